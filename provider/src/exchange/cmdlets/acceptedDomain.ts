import { z } from "zod";
import { cmdlet, Identity } from "../command";

export const DomainType = z.enum(["Authoritative", "InternalRelay", "ExternalRelay"]);
export type DomainType = z.infer<typeof DomainType>;

export const GetAcceptedDomain = cmdlet({
  name: "Get-AcceptedDomain",
  role: "exchange",
  effect: "read",
  idempotent: true,
  // Without -Identity: every object (the routing snapshot reads them all in one call).
  parameters: z.strictObject({ Identity: Identity.optional() }),
});

/**
 * The source's own Get-AcceptedDomain ("available in on-premises Exchange and in the cloud-based
 * service", Get-AcceptedDomain.md; the same name as the tenant's, keyed by role). The routing snapshot lists them to
 * see whether the source relays unknown recipients of the shared domain (InternalRelay or
 * ExternalRelay, Set-AcceptedDomain.md, -DomainType) rather than rejecting them.
 */
export const GetSourceAcceptedDomain = cmdlet({
  name: "Get-AcceptedDomain",
  role: "source",
  effect: "read",
  idempotent: true,
  parameters: z.strictObject({ Identity: Identity.optional() }),
});

export const SetAcceptedDomain = cmdlet({
  name: "Set-AcceptedDomain",
  role: "exchange",
  effect: "write",
  idempotent: true,
  parameters: z.strictObject({
    Identity,
    DomainType: DomainType.optional(),
    MatchSubDomains: z.boolean().optional(),
    OutboundOnly: z.boolean().optional(),
  }),
});

/** The properties of Get-AcceptedDomain output we use. */
export const AcceptedDomainObject = z.object({
  Identity: z.string(),
  Name: z.string(),
  DomainName: z.string(),
  DomainType,
  MatchSubDomains: z.boolean(),
  Default: z.boolean(),
  InitialDomain: z.boolean().optional(),
});
export type AcceptedDomainObject = z.infer<typeof AcceptedDomainObject>;
