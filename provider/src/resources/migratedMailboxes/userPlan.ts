import { z } from "zod";
import { domainOf } from "../../exchange/addresses";
import { GmailDisposition, SetTenantMailbox } from "../../exchange/cmdlets";
import { Command, Identity, SmtpAddress } from "../../exchange/command";
import type { SourceMailbox } from "../../simulator/model";
import { joinGroup, leaveGroup } from "../groupMembers";
import type { KeptForward } from "./keptForwards";
import { sourceOf, type ApplyContext } from "./sources";

/**
 * The one plan for a user (issue 24): from what is live and what the config wants, the steps
 * that converge them, in the order that never loops. The safety gate folds these steps over the
 * live snapshot to check every state the user passes through; the MigratedMailboxes resource
 * runs exactly these steps, handed to it by the program. Pulumi's saved state plays no part: a
 * user changed by hand, a run killed half-way, a rollback already done are all read from the
 * tenant and the source and repaired (or refused) by a plain `pulumi up`.
 *
 * The order is the point (mail-flow.md): a user the source forwards to the tenant while the
 * coexistence rule still sends their Exchange Online mail to the source loops between the two
 * systems. So migrating first takes the user out of the rule's reach (joins the Migrated Users
 * group, seed 2, or leaves the group of users still at the source, seed 1), then gives the
 * tenant mailbox its routing subdomain address, then turns the source forward on; a rollback
 * turns the forward off first, then puts the membership back, then drops the address.
 */
const lower = SmtpAddress.transform((s) => s.toLowerCase());

/** What the config wants of one user: kept per user in state, so it is small. */
export const UserRecord = z.object({
  /** The tenant routing address the source forwards to, e.g. alias@contoso.onmicrosoft.com. */
  forwardTo: lower,
  /** The mailbox on the source, when its identity is not the email address. */
  sourceIdentity: Identity.optional(),
  /** Also add this address as a proxy address of the source mailbox (seed 1). */
  proxyAddress: lower.optional(),
  /**
   * migrate: lives in Exchange Online; rollback: back at the source; wait (a vendor source):
   * rolled back, the vendor asked to remove the forward and not yet confirmed, so the user stays
   * out of the rule's reach (back in it while maybe still forwarded would loop).
   */
  action: z.enum(["migrate", "rollback", "wait"]),
});
export type UserRecord = z.output<typeof UserRecord>;

/** What holds for every user of the stack. */
export const UserSettings = z.object({
  /** The shared domain: a routing address in a subdomain of it is given to the tenant mailbox. */
  domain: lower.or(z.string().min(1).transform((s) => s.toLowerCase())),
  /** The coexist group (its primary SMTP address). */
  group: lower,
  /** pendingGroup: `group` is the group of users still at the source. Absent: migratedGroup. */
  routing: z.literal("pendingGroup").optional(),
  /** The source's kind (coexist:source): absent for an Exchange source. */
  source: z.enum(["google-workspace", "vendor"]).optional(),
  /** Keep a copy at the source (usually false: the mailbox has moved). */
  deliverToMailboxAndForward: z.boolean().default(false),
  /**
   * Clear a ForwardingAddress the source mailbox has: it wins over ForwardingSmtpAddress
   * (Set-Mailbox reference), so coexist's forward would do nothing. Put back on rollback.
   */
  clearForwardingAddress: z.boolean().default(false),
  /** Gmail: what Gmail does with its copy of a forwarded message (coexist:google.disposition). */
  disposition: GmailDisposition.optional(),
  /** Gmail: a rollback leaves the forwarding address (coexist:google.removeForwardingAddress false). */
  keepForwardingAddress: z.literal(true).optional(),
});
export type UserSettings = z.output<typeof UserSettings>;

/**
 * A step of a user's plan. takeOver/handBack: out of / back into the coexistence rule's reach;
 * addAddress/dropAddress: the routing subdomain address on the tenant mailbox; forward/unforward:
 * an Exchange source's Set-Mailbox; gmail*: Gmail's two settings each way; vendor*: a worksheet row.
 */
export const Step = z.enum(["takeOver", "addAddress", "forward", "gmailAddress", "gmailOn", "vendorAdd", "unforward", "gmailOff", "gmailDropAddress", "vendorRemove", "handBack", "dropAddress"]);
export type Step = z.output<typeof Step>;

/** What the steps depend on, read live: the same whether the gate's snapshot or the provider read it. */
export interface UserLive {
  /** A member of the coexist group now (after the group's own fill, in pendingGroup). */
  member: boolean;
  /** The source mailbox (a Gmail user's carries `gmail`; a vendor's, what the ledger asked for). */
  mailbox: SourceMailbox | undefined;
  /** Whether the user's tenant mailbox already holds the routing address (a subdomain one). */
  tenantHoldsAddress: boolean;
}

/**
 * The user as the steps and commands see them. `kept`: the user's own forward this run keeps
 * (migrate: the one the forward replaces) or puts back (rollback), as the gate proved it
 * (keptForwards.ts).
 */
export type PlannedUser = UserRecord & { emailAddress: string; kept?: KeptForward | undefined };

const pending = (s: UserSettings) => s.routing === "pendingGroup";
/** A routing address in a subdomain of the shared domain: the user's tenant mailbox must hold it. */
export const tenantAddressOf = (s: Pick<UserSettings, "domain">, u: Pick<UserRecord, "forwardTo">): string | undefined =>
  domainOf(u.forwardTo).endsWith(`.${s.domain.toLowerCase()}`) ? u.forwardTo : undefined;
/** Out of the rule's reach: a member of Migrated Users, no member of the pending group. */
export const outOfReach = (s: UserSettings, member: boolean): boolean => (pending(s) ? !member : member);

/**
 * The steps that take `live` to what `u.action` wants, in the safe order. A step is left out when
 * live already has its effect, so a converged user has none and a half-done one (a killed run, a
 * hand edit) gets exactly the rest.
 */
export function stepsFor(s: UserSettings, u: PlannedUser, live: UserLive): Step[] {
  const m = live.mailbox;
  const kind = sourceOf(s);
  const moved = outOfReach(s, live.member);
  const address = tenantAddressOf(s, u);
  if (u.action === "migrate") {
    return [...(moved ? [] : (["takeOver"] as const)), ...(address && !live.tenantHoldsAddress ? (["addAddress"] as const) : []), ...(m ? kind.forwardSteps(s, u, m) : [])];
  }
  // rollback / wait: the forward goes first; no source mailbox forwards nothing (the gate names it).
  const steps: Step[] = m ? kind.unforwardSteps(s, u, m) : [];
  // A vendor's removal not yet confirmed: the membership and the address wait for it.
  if (u.action === "wait" || kind.holdsMembership(u, m, steps)) return steps;
  if (moved) steps.push("handBack");
  if (address && live.tenantHoldsAddress) steps.push("dropAddress");
  return steps;
}

/** How each step reads in a state's name ("after joining the group, before forwarding is on"). */
export function stepLabel(s: UserSettings, step: Step, vendor = "the vendor"): string {
  switch (step) {
    case "takeOver":
      return pending(s) ? "leaving the group" : "joining the group";
    case "handBack":
      return pending(s) ? "rejoining the group" : "leaving the group";
    case "addAddress":
      return "the routing address is added to the Exchange Online mailbox";
    case "dropAddress":
      return "the routing address is removed from the Exchange Online mailbox";
    case "forward":
      return "forwarding is on";
    case "unforward":
      return "forwarding is off";
    case "gmailAddress":
      return "the Gmail forwarding address is added";
    case "gmailOn":
      return "auto-forwarding is on";
    case "gmailOff":
      return "auto-forwarding is off";
    case "gmailDropAddress":
      return "the Gmail forwarding address is removed";
    case "vendorAdd":
      return "the worksheet asks for the forward";
    case "vendorRemove":
      return `the worksheet asks ${vendor} to remove the forward`;
  }
}

/** The write commands a step runs (a vendor's steps run none: they are worksheet rows). */
export function commandsOf(s: UserSettings, u: PlannedUser, step: Step): Command[] {
  const membership = { group: s.group, emailAddress: u.emailAddress };
  const address = tenantAddressOf(s, u);
  switch (step) {
    case "takeOver":
      return [pending(s) ? leaveGroup(membership) : joinGroup(membership)];
    case "handBack":
      return [pending(s) ? joinGroup(membership) : leaveGroup(membership)];
    case "addAddress":
      return address ? [SetTenantMailbox({ Identity: u.emailAddress, EmailAddresses: { Add: [address] } })] : [];
    case "dropAddress":
      return address ? [SetTenantMailbox({ Identity: u.emailAddress, EmailAddresses: { Remove: [address] } })] : [];
    default:
      return sourceOf(s).commands(s, u, step);
  }
}

/** A step as the change review shows it when it is no cmdlet (a vendor's worksheet row). */
export const askOf = (s: UserSettings, u: PlannedUser, step: Step): string | undefined => sourceOf(s).ask(u, step);

/** What each step does to the user's source mailbox and membership, for the gate's states. */
export interface UserState {
  mailbox: SourceMailbox | undefined;
  member: boolean;
}

/** One step's effect, as the routing model reads it (the source kind's own steps: sources/*.ts). */
export function applyStep(s: UserSettings, u: PlannedUser, step: Step, st: UserState, ctx: ApplyContext): UserState {
  switch (step) {
    case "takeOver":
      return { ...st, member: !pending(s) };
    case "handBack":
      return { ...st, member: pending(s) };
    case "addAddress":
    case "dropAddress":
      return st; // the tenant side: the gate lays the address into its end world (see gate.ts)
    default:
      return st.mailbox ? { ...st, mailbox: sourceOf(s).apply(s, u, step, st.mailbox, ctx) } : st;
  }
}
