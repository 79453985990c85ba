import { z } from "zod";
import { Identity, Name64 } from "../../exchange/command";
import { address, caseless, exact } from "../compare";
import { transportRule } from "./transportRule";

/**
 * Seed 2's "Coexistence" rule: in-organisation mail goes out the partner connector to the
 * source, except mail for members of the Migrated Users group, which is delivered in Exchange
 * Online. SCL -1 so mail bound for the source is not junked on the way.
 */
export const CoexistenceRuleInputs = z.object({
  name: Name64.default("Coexistence"),
  /** The partner connector's name. */
  connector: Identity,
  /** The Migrated Users group's primary SMTP address. */
  exceptMembersOf: Identity,
  comments: z.string().max(1024).default("Redirect in-org mail to Foreign Server except for members of a specific group"),
  enabled: z.boolean().default(true),
});

export const coexistenceRule = transportRule({
  name: "CoexistenceRule",
  resourceName: () => "coexistence-rule",
  inputs: CoexistenceRuleInputs,
  parameters: (i) => ({
    SentToScope: "InOrganization",
    RouteMessageOutboundConnector: i.connector,
    ExceptIfSentToMemberOf: [i.exceptMembersOf],
    SetSCL: -1,
    Mode: "Enforce",
    RuleErrorAction: "Ignore",
    SenderAddressLocation: "Header",
    StopRuleProcessing: false,
    Comments: i.comments,
  }),
  observed: (r) => ({
    connector: r.RouteMessageOutboundConnector ?? "",
    exceptMembersOf: r.ExceptIfSentToMemberOf.join(","),
    comments: r.Comments ?? "",
  }),
  compare: { name: caseless, connector: caseless, exceptMembersOf: address, comments: exact, enabled: exact },
});

