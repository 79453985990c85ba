import { z } from "zod";
import { Identity, Name64 } from "../../exchange/command";
import { address, caseless, exact } from "../compare";
import { Owner, unmarked } from "../ownership";
import { transportRule } from "./transportRule";

/**
 * The "Coexistence" rule. Seed 2 (migratedGroup): in-organisation mail goes out the partner
 * connector to the source, except mail for members of the Migrated Users group, which is
 * delivered in Exchange Online. Seed 1 (pendingGroup): mail "coming to @domain.com and member of
 * [the] special distribution group" of users still at the source goes to the connector; everyone
 * else's is delivered in Exchange Online. SCL -1 so mail bound for the source is not junked on
 * the way. Exactly one of exceptMembersOf and sentToMemberOf is set.
 */
export const CoexistenceRuleInputs = z.object({
  name: Name64.default("Coexistence"),
  /** The partner connector's name. */
  connector: Identity,
  /** migratedGroup: the Migrated Users group's primary SMTP address. */
  exceptMembersOf: Identity.optional(),
  /** pendingGroup: the group of users still at the source. */
  sentToMemberOf: Identity.optional(),
  comments: z.string().max(1024).default("Redirect in-org mail to Foreign Server except for members of a specific group"),
  enabled: z.boolean().default(true),
  /** The stack that owns it, `<project>/<stack>` (resources/ownership.ts). */
  owner: Owner.optional(),
}).refine((i) => (i.exceptMembersOf === undefined) !== (i.sentToMemberOf === undefined), { message: "needs exactly one of exceptMembersOf (migratedGroup) and sentToMemberOf (pendingGroup)" });

export const coexistenceRule = transportRule({
  name: "CoexistenceRule",
  resourceName: () => "coexistence-rule",
  inputs: CoexistenceRuleInputs,
  parameters: (i) => ({
    SentToScope: "InOrganization",
    RouteMessageOutboundConnector: i.connector,
    ...(i.sentToMemberOf ? { SentToMemberOf: [i.sentToMemberOf] } : { ExceptIfSentToMemberOf: [i.exceptMembersOf!] }),
    SetSCL: -1,
    Mode: "Enforce",
    RuleErrorAction: "Ignore",
    SenderAddressLocation: "Header",
    StopRuleProcessing: false,
    Comments: i.comments,
  }),
  observed: (r) => ({
    connector: r.RouteMessageOutboundConnector ?? "",
    ...(r.SentToMemberOf.length > 0 ? { sentToMemberOf: r.SentToMemberOf.join(",") } : { exceptMembersOf: r.ExceptIfSentToMemberOf.join(",") }),
    comments: unmarked(r.Comments),
  }),
  rename: "coexist:names.coexistenceRule",
  compare: { name: caseless, connector: caseless, exceptMembersOf: address, sentToMemberOf: address, comments: exact, enabled: exact },
});

