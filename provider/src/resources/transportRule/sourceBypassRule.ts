import { z } from "zod";
import { IpRange } from "../../exchange/cmdlets";
import { Name64 } from "../../exchange/command";
import { caseless, caselessSet, exact } from "../compare";
import { Owner, unmarked } from "../ownership";
import { transportRule } from "./transportRule";

/** Seed 2's "Inbound from Shared Namespace": mail from the source's IPs gets SCL -1 (not junked). */
export const SourceBypassRuleInputs = z.object({
  name: Name64.default("Inbound from Shared Namespace"),
  senderIpRanges: z.array(IpRange).min(1, "needs the source's outbound IP addresses or ranges"),
  comments: z.string().max(1024).default(""),
  enabled: z.boolean().default(true),
  /** The stack that owns it, `<project>/<stack>` (resources/ownership.ts). */
  owner: Owner.optional(),
});

export const sourceBypassRule = transportRule({
  name: "SourceBypassRule",
  resourceName: () => "source-bypass-rule",
  inputs: SourceBypassRuleInputs,
  parameters: (i) => ({
    SenderIpRanges: i.senderIpRanges,
    SetSCL: -1,
    StopRuleProcessing: false,
    RuleErrorAction: "Ignore",
    SenderAddressLocation: "Header",
    Mode: "Enforce",
    Comments: i.comments || null,
  }),
  observed: (r) => ({ senderIpRanges: r.SenderIpRanges, comments: unmarked(r.Comments) }),
  rename: "coexist:names.bypassRule",
  compare: { name: caseless, senderIpRanges: caselessSet, comments: exact, enabled: exact },
});
