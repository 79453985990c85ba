import { z } from "zod";
import { cmdlet, Identity } from "../command";

/**
 * The source's send connectors (on-premises Exchange only: "This cmdlet is available only in
 * on-premises Exchange", Get-SendConnector.md). Read, never written: a connector "To Exchange
 * Online" whose address space covers an InternalRelay domain is how the source relays mail for
 * recipients it does not know (seed 1's "Send & Receive Connector"). Without -Identity it lists
 * every connector; Get-SendConnector has no ResultSize (Get-SendConnector.md, SYNTAX).
 */
export const GetSendConnector = cmdlet({
  name: "Get-SendConnector",
  role: "source",
  effect: "read",
  idempotent: true,
  parameters: z.strictObject({ Identity: Identity.optional() }),
});

/**
 * The properties of Get-SendConnector output routing uses. Get-SendConnector.md does not list its
 * output's properties; the names and meanings are New-SendConnector.md's parameters of the same
 * name (assumed to be reported as set, as Get-* cmdlets do):
 * - AddressSpaces: "AddressSpaceType:AddressSpace;AddressSpaceCost", type SMTP and cost 1 when
 *   omitted; `*`, `*.com` and `*.contoso.com` are permitted. Printed as that text (runner.ps1
 *   prints a collection's items by ToString; the exact text is not documented).
 * - SmartHosts: FQDNs or IP addresses; "If you specify a SmartHosts parameter, the
 *   DNSRoutingEnabled parameter must be $false" (-DNSRoutingEnabled, default $true).
 * - Enabled: "whether to enable the Send connector to process email messages", default $true.
 */
export const SendConnectorObject = z.object({
  Identity: z.string(),
  Name: z.string(),
  AddressSpaces: z.array(z.string()),
  SmartHosts: z.array(z.string()),
  DNSRoutingEnabled: z.boolean(),
  Enabled: z.boolean(),
});
export type SendConnectorObject = z.infer<typeof SendConnectorObject>;
