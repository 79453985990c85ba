import { z } from "zod";
import { cmdlet, Confirm, Identity, Name64 } from "../command";

const Fqdn = /^(?=.{1,253}$)(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,63}$/;
const Ipv4 = /^(?:25[0-5]|2[0-4]\d|1?\d?\d)(?:\.(?:25[0-5]|2[0-4]\d|1?\d?\d)){3}(?:\/(?:3[0-2]|[12]?\d))?$/;
/** A smart host: an FQDN, an IPv4 address or an IPv4 CIDR range (Exchange Online has no IPv6 here). */
export const SmartHost = z.string().refine((s) => Fqdn.test(s) || Ipv4.test(s), {
  message: "must be an FQDN, an IPv4 address or an IPv4 CIDR range",
});
/** A recipient domain; `*.contoso.com` is allowed, embedded wildcards are not. */
export const RecipientDomain = z.string().regex(/^(?:\*\.)?(?:[A-Za-z0-9-]+\.)+[A-Za-z]{2,63}$|^\*$/, {
  message: "must be a domain, optionally starting with *.",
});
export const TlsSettings = z.enum(["EncryptionOnly", "CertificateValidation", "DomainValidation"]);
export const ConnectorType = z.enum(["Partner", "OnPremises"]);

const settable = {
  ConnectorType: ConnectorType.optional(),
  IsTransportRuleScoped: z.boolean().optional(),
  SmartHosts: z.array(SmartHost).nullable().optional(),
  UseMXRecord: z.boolean().optional(),
  TlsSettings: TlsSettings.nullable().optional(),
  TlsDomain: z.string().regex(/^(?:\*\.)?(?:[A-Za-z0-9-]+\.)+[A-Za-z]{2,63}$/).nullable().optional(),
  RecipientDomains: z.array(RecipientDomain).nullable().optional(),
  AllAcceptedDomains: z.boolean().optional(),
  CloudServicesMailEnabled: z.boolean().optional(),
  RouteAllMessagesViaOnPremises: z.boolean().optional(),
  SenderRewritingEnabled: z.boolean().optional(),
  Comment: z.string().max(1024).nullable().optional(),
  Enabled: z.boolean().optional(),
  TestMode: z.boolean().optional(),
};

export const GetOutboundConnector = cmdlet({
  name: "Get-OutboundConnector",
  role: "exchange",
  effect: "read",
  idempotent: true,
  // Without -Identity: every object (the routing snapshot reads them all in one call).
  parameters: z.strictObject({ Identity: Identity.optional() }),
});

export const NewOutboundConnector = cmdlet({
  name: "New-OutboundConnector",
  role: "exchange",
  effect: "write",
  idempotent: false,
  parameters: z.strictObject({ Name: Name64, ...settable }),
});

export const SetOutboundConnector = cmdlet({
  name: "Set-OutboundConnector",
  role: "exchange",
  effect: "write",
  idempotent: true,
  parameters: z.strictObject({ Identity, Name: Name64.optional(), ...settable }),
});

export const RemoveOutboundConnector = cmdlet({
  name: "Remove-OutboundConnector",
  role: "exchange",
  effect: "write",
  idempotent: false,
  parameters: z.strictObject({ Identity, Confirm }),
});

export const OutboundConnectorObject = z.object({
  Identity: z.string(),
  Guid: z.string(),
  Name: z.string(),
  Enabled: z.boolean(),
  ConnectorType,
  Comment: z.string().nullable(),
  RecipientDomains: z.array(z.string()),
  SmartHosts: z.array(z.string()),
  UseMXRecord: z.boolean(),
  TlsSettings: TlsSettings.nullable(),
  TlsDomain: z.string().nullable(),
  IsTransportRuleScoped: z.boolean(),
  AllAcceptedDomains: z.boolean(),
  CloudServicesMailEnabled: z.boolean(),
  RouteAllMessagesViaOnPremises: z.boolean(),
  SenderRewritingEnabled: z.boolean(),
  TestMode: z.boolean(),
});
export type OutboundConnectorObject = z.infer<typeof OutboundConnectorObject>;
