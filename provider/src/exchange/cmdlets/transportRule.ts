import { z } from "zod";
import { cmdlet, Confirm, Identity, Name64 } from "../command";

export const SentToScope = z.enum(["InOrganization", "NotInOrganization"]);
export const RuleMode = z.enum(["Audit", "AuditAndNotify", "Enforce"]);
export const RuleErrorAction = z.enum(["Ignore", "Defer"]);
export const SenderAddressLocation = z.enum(["Header", "Envelope", "HeaderOrEnvelope"]);
const Ipv4Range = /^(?:\d{1,3}\.){3}\d{1,3}(?:\/\d{1,2}|-(?:\d{1,3}\.){3}\d{1,3})?$/;
/** A single IPv4 address, an `a-b` range or a CIDR range. */
export const IpRange = z.string().regex(Ipv4Range, { message: "must be an IPv4 address, a-b range or CIDR range" });

const settable = {
  SentToScope: SentToScope.nullable().optional(),
  RouteMessageOutboundConnector: Identity.nullable().optional(),
  // "a condition that looks for messages sent to members of distribution groups, dynamic
  // distribution groups, or mail-enabled security groups" (New-TransportRule.md, -SentToMemberOf).
  SentToMemberOf: z.array(Identity).nullable().optional(),
  ExceptIfSentToMemberOf: z.array(Identity).nullable().optional(),
  SenderIpRanges: z.array(IpRange).nullable().optional(),
  // Type SclValue: "Valid values are: -1: The message is from a trusted sender, so the message
  // bypasses spam filtering. Integers 0 through 9: A higher value indicates that a message is more
  // likely to be spam." (New-TransportRule.md, -SetSCL). Sent as a number, as the reference's own
  // values and every public example (`-SetSCL -1`) give it; the runner passes a JSON number as
  // [long], and whether SclValue binds a [long] as it binds the literal's [int] is not verified
  // (a string '-1' would bind through SclValue's string conversion, equally unverified).
  SetSCL: z.number().int().min(-1).max(9).nullable().optional(),
  StopRuleProcessing: z.boolean().optional(),
  Mode: RuleMode.optional(),
  RuleErrorAction: RuleErrorAction.optional(),
  SenderAddressLocation: SenderAddressLocation.optional(),
  Comments: z.string().max(1024).nullable().optional(),
  Priority: z.number().int().min(0).optional(),
};

export const GetTransportRule = cmdlet({
  name: "Get-TransportRule",
  role: "exchange",
  effect: "read",
  idempotent: true,
  // Without -Identity: every object (the routing snapshot reads them all in one call).
  parameters: z.strictObject({ Identity: Identity.optional() }),
});

export const NewTransportRule = cmdlet({
  name: "New-TransportRule",
  role: "exchange",
  effect: "write",
  idempotent: false,
  parameters: z.strictObject({ Name: Name64, Enabled: z.boolean().optional(), ...settable }),
});

/** Set-TransportRule has no -Enabled: the state changes only through Enable-/Disable-TransportRule. */
export const SetTransportRule = cmdlet({
  name: "Set-TransportRule",
  role: "exchange",
  effect: "write",
  idempotent: true,
  parameters: z.strictObject({ Identity, Name: Name64.optional(), ...settable }),
});

export const EnableTransportRule = cmdlet({
  name: "Enable-TransportRule",
  role: "exchange",
  effect: "write",
  idempotent: true,
  parameters: z.strictObject({ Identity, Mode: RuleMode.optional() }),
});

export const DisableTransportRule = cmdlet({
  name: "Disable-TransportRule",
  role: "exchange",
  effect: "write",
  idempotent: true,
  parameters: z.strictObject({ Identity, Confirm }),
});

export const RemoveTransportRule = cmdlet({
  name: "Remove-TransportRule",
  role: "exchange",
  effect: "write",
  idempotent: false,
  parameters: z.strictObject({ Identity, Confirm }),
});

export const TransportRuleObject = z.object({
  Identity: z.string(),
  Name: z.string(),
  Guid: z.string(),
  Priority: z.number(),
  State: z.enum(["Enabled", "Disabled"]),
  Mode: RuleMode,
  Comments: z.string().nullable(),
  SentToScope: SentToScope.nullable(),
  RouteMessageOutboundConnector: z.string().nullable(),
  SentToMemberOf: z.array(z.string()),
  ExceptIfSentToMemberOf: z.array(z.string()),
  SenderIpRanges: z.array(z.string()),
  // Read back as a number or, deserialised over REST as some Exchange value types are, its text
  // ("-1"): compare and route it only through sclOf.
  SetSCL: z.union([z.number(), z.string()]).nullable(),
  StopRuleProcessing: z.boolean(),
  RuleErrorAction: RuleErrorAction,
  SenderAddressLocation: SenderAddressLocation,
});
export type TransportRuleObject = z.infer<typeof TransportRuleObject>;

/** A rule's SCL as a number, whether Exchange printed -1 or "-1"; null when the rule sets none or the text is no SCL. */
export function sclOf(value: unknown): number | null {
  if (typeof value === "number") return Number.isInteger(value) ? value : null;
  if (typeof value === "string" && /^\s*-?\d+\s*$/.test(value)) return Number(value);
  return null;
}
