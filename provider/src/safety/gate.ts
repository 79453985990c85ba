import { bare, domainOf, sameAddress } from "../exchange/addresses";
import { overlay, recipientPrimary, traceMail, viewOf, type RoutingWorld, type Trace, type View } from "../oracle";
import type { SourceMailbox, TenantMailbox } from "../simulator/model";
import type { RoutingModel } from "../config/provider";
import { forwardsToTenant, pendingFill, pendingMembers } from "../resources/groupMembers";
import { applyStep, stepLabel, stepsFor, type PlannedUser, type Step, type UserSettings } from "../resources/migratedMailboxes/userPlan";
import { keptText, type KeptForward } from "../resources/migratedMailboxes/keptForwards";
import { sourceOf } from "../resources/migratedMailboxes/sources";
import { applyShared, copyWorld, SHARED_LABEL, SHARED_ORDER, sharedCommands, SharedInputs, SharedStep } from "./desired";

/**
 * The mail-flow safety gate. Given a live snapshot and what this run will change, it works out
 * the end state and every state the engine can pass through on the way, and finds each user
 * whose mail, from any entry point, would loop, bounce, or land in the system (or mailbox) where
 * they don't live. Pure: the program feeds it a snapshot and refuses the run on its findings.
 *
 * States checked (no enumeration of interleavings):
 * - the shared objects created one by one in the program's dependency order, users as they are;
 * - each changing user after each of their steps, with every other user either as they are (they
 *   go later) or as they will be (they went first). Another user's state reaches a user's mail
 *   only through who holds an address; a routing address must resolve to the user's own mailbox
 *   and a proxy address must not be the routing address, both checked outright, so mixed orders
 *   of the others cannot add a problem the two extremes miss.
 * The end state must be right for every user of the stack, whatever today's state is (a problem
 * there already is named "as it does today"; coexist:acknowledge accepts it deliberately), with
 * one exception: a user the run leaves alone whose source mailbox forwards by its owner's or an
 * admin's choice (to a colleague, outside) is reported, not refused, in every state — coexist did
 * not set that forward and does not change it (once the coexistence rule sends Exchange Online
 * senders' mail to the source, it follows that forward too). In passing states only new problems count: before the coexistence rule
 * exists, Exchange Online senders' mail for users at the source lands in their waiting mailboxes
 * today too.
 */
export type Entry = "internet" | "exchange" | "source";
export const ENTRIES: Entry[] = ["internet", "exchange", "source"];
export const ENTRY_LABEL: Record<Entry, string> = {
  internet: "internet mail",
  exchange: "mail from Exchange Online users",
  source: "mail from source users",
};
export type Home = "exchange" | "source";

export interface UserPlan {
  /** The user's primary address in the shared domain (lower case). */
  email: string;
  sourceIdentity?: string;
  /**
   * wait (a vendor source): rolled back and the vendor asked to remove the forward, not yet
   * confirmed; the membership stays until it is (docs/design/sources-google-and-vendor.md §6).
   */
  action: "migrate" | "rollback" | "wait";
  /** The source's kind: absent for an Exchange source. */
  source?: "google-workspace" | "vendor";
  /** A vendor source's name, for the states' labels. */
  vendor?: string;
  /** migrate: the routing address the source forwards to. */
  forwardTo?: string;
  proxyAddress?: string;
  deliverToMailboxAndForward: boolean;
  /** Clear a ForwardingAddress the source mailbox has (it wins over ForwardingSmtpAddress). */
  clearForwardingAddress: boolean;
  /** The wave file that lists the user, for messages. */
  wave?: string;
  /** A routing address in a subdomain, added to the user's Exchange Online mailbox before the forward. */
  tenantAddress?: string;
  /** rollback: the user's own forward coexist replaced and kept (keptForwards.ts), to put back. */
  kept?: KeptForward;
}

export interface GateInput {
  domain: string;
  groupAddress: string;
  shared: SharedInputs;
  users: UserPlan[];
  /** Users whose problems are accepted deliberately (coexist:acknowledge): warnings only. */
  acknowledged: string[];
  /** coexist:routing (absent: migratedGroup). In pendingGroup the group holds users still at the source. */
  routing?: RoutingModel;
  /** coexist:cloudOnly: Exchange Online recipients with no source mailbox (migratedGroup: they join the group). */
  cloudOnly?: string[];
  /** What holds for every user (the resource's settings); absent: worked out from the fields above. */
  userSettings?: UserSettings;
  /** The stack's file of kept forwards (forwards/<stack>.json), for messages. */
  keptFile?: string;
}

/** The users' settings as MigratedMailboxes has them. */
function settingsOf(input: GateInput): UserSettings {
  if (input.userSettings) return input.userSettings;
  const first = input.users[0];
  return {
    domain: input.domain,
    group: input.groupAddress,
    ...(input.routing === "pendingGroup" ? { routing: "pendingGroup" as const } : {}),
    ...(first?.source ? { source: first.source } : {}),
    deliverToMailboxAndForward: first?.deliverToMailboxAndForward ?? false,
    clearForwardingAddress: first?.clearForwardingAddress ?? false,
  };
}

export interface Finding {
  user: string;
  entry?: Entry;
  refuse: boolean;
  message: string;
}

export interface GateResult {
  findings: Finding[];
  refusals: Finding[];
  warnings: Finding[];
  /** Where each stack user lives once this run is done. */
  homes: Map<string, Home>;
  /** The end state (snapshot plus this run's changes). */
  end: RoutingWorld;
  /** Exchange Online recipients of the shared domain with no source mailbox (listed or not). */
  cloudOnly: Set<string>;
  /** Each declared user's plan: the steps the gate checked, which MigratedMailboxes runs. */
  steps: Map<string, Step[]>;
  /** What the run changes that is no mail problem but the consultant must know (a user's own forward replaced). */
  notices: string[];
  /** This run's kept forwards, as checked: a migrating user's own (to keep), a rollback's (to put back). */
  kept: Map<string, KeptForward>;
}

type Problem = { kind: "loop" | "bounce" | "exchange" | "source" | "mailbox"; trace: Trace };

/** What is wrong with a trace for a user who should end in `home` (or anywhere, when undefined). */
function problemOf(view: View, user: string, trace: Trace, home: Home | undefined): Problem | undefined {
  if (trace.outcome === "loop") return { kind: "loop", trace };
  if (trace.outcome === "bounce") return { kind: "bounce", trace };
  const got: Home = trace.outcome === "delivered-exchange" ? "exchange" : "source";
  if (home && got !== home) return { kind: got, trace };
  if (trace.outcome === "forwarded-outside") return undefined; // the owner's own forward, out of both systems
  // Delivered in the right system but to someone else's mailbox: worse than the wrong system.
  const own = got === "exchange" ? view.tenantRecipient(user) : view.sourceMailbox(user);
  const ownAddress = own === undefined ? undefined : "kind" in own ? recipientPrimary(own) : own.PrimarySmtpAddress;
  if (trace.deliveredTo && ownAddress && !sameAddress(trace.deliveredTo, ownAddress)) return { kind: "mailbox", trace };
  return undefined;
}

/**
 * What is wrong with a user's mail from one entry point under either reading of SentToScope
 * InOrganization (oracle/routing.ts InOrganizationReading): the conditions page's, then, only when
 * the trace met a SentToScope condition the readings decide differently, New-TransportRule.md's.
 * Which one Exchange Online implements is not documented, so a state unsafe under either is a
 * problem (the reading that cannot lose mail); `reading` names the cmdlet page's when only it fails.
 */
function mailProblem(view: View, user: string, entry: Entry, home: Home | undefined): { problem: Problem; reading: string } | undefined {
  const trace = traceMail(view, { to: user, entry });
  const problem = problemOf(view, user, trace, home);
  if (problem) return { problem, reading: "" };
  if (!trace.inOrganizationReadingsDiffer) return undefined;
  const other = problemOf(view, user, traceMail(view, { to: user, entry }, { inOrganization: "cmdlet" }), home);
  return other && { problem: other, reading: CMDLET_READING };
}

/** Said of a problem only New-TransportRule.md's reading of SentToScope InOrganization shows. */
export const CMDLET_READING =
  " (if SentToScope InOrganization needs an authenticated connection for every recipient, as New-TransportRule.md says; the mail flow rule conditions page does not need one for a recipient of the organization, and which Exchange Online does is not documented)";

const outcomeText = (p: Problem): string => {
  switch (p.kind) {
    case "loop":
      return "loop";
    case "bounce":
      return "bounce";
    case "exchange":
      return "land in Exchange Online, where the user does not live";
    case "source":
      return "land at the source, where the user does not live";
    case "mailbox":
      return `be delivered to another mailbox (${p.trace.deliveredTo})`;
  }
};

/** One user's source mailbox and group membership in one state. */
interface UserState {
  mailbox: SourceMailbox | undefined;
  member: boolean;
  label: string;
}

/** Where each source mailbox sits, by every key an identity may use (built once per world). */
function mailboxIndex(w: RoutingWorld): Map<string, number> {
  const index = new Map<string, number>();
  w.source.mailboxes.forEach((m, i) => {
    for (const k of [m.Guid, m.Name, m.Alias, m.PrimarySmtpAddress, ...m.EmailAddresses]) if (!index.has(bare(k))) index.set(bare(k), i);
  });
  return index;
}

/** A user's source mailbox: worlds copied from one another keep their mailboxes' order. */
function findSourceMailbox(w: RoutingWorld, index: Map<string, number>, u: UserPlan): SourceMailbox | undefined {
  const i = index.get(bare(u.sourceIdentity ?? u.email));
  return i === undefined ? undefined : w.source.mailboxes[i];
}

/**
 * The states a user passes through: today's, then one after each step of their plan (the very
 * steps MigratedMailboxes runs: userPlan.ts stepsFor), the last being the end state. A user whose
 * live state is already what the config wants has no steps and one state.
 */
function statesOf(settings: UserSettings, u: UserPlan, steps: readonly Step[], mailbox: SourceMailbox | undefined, member: boolean, gmailAccepts: boolean): UserState[] {
  const planned = plannedUser(u);
  const ctx = { gmailAccepts, vendor: u.vendor ?? "the vendor", now: new Date().toISOString() };
  const label = (i: number) => stepLabel(settings, steps[i]!, ctx.vendor);
  const states: UserState[] = [{ mailbox, member, label: steps.length === 0 ? "end" : "before" }];
  let at: { mailbox: SourceMailbox | undefined; member: boolean } = { mailbox, member };
  steps.forEach((step, i) => {
    at = applyStep(settings, planned, step, at, ctx);
    states.push({ ...at, label: i === steps.length - 1 ? "end" : `after ${label(i)}, before ${label(i + 1)}` });
  });
  return states;
}

/** A gate user as the plan's functions take them. */
const plannedUser = (u: UserPlan): PlannedUser => ({
  emailAddress: u.email,
  ...(u.kept ? { kept: u.kept } : {}),
  forwardTo: u.forwardTo ?? u.email,
  action: u.action,
  ...(u.sourceIdentity ? { sourceIdentity: u.sourceIdentity } : {}),
  ...(u.proxyAddress ? { proxyAddress: u.proxyAddress } : {}),
});

/**
 * Adds `address` to `user`'s tenant mailbox in `mailboxes` (the end world's, by primary address),
 * as MigratedMailbox's tenant Set-Mailbox does. An add fails in Exchange when another recipient
 * holds the address or its domain is not accepted (SetTenantMailbox): the mailbox is then left as
 * it is, and diagnose says why. Who holds what is looked up in `before` (the world the run's
 * user steps start from), indexed once, not by a scan of every recipient for every user.
 */
function addTenantAddress(before: View, w: RoutingWorld, mailboxes: ReadonlyMap<string, TenantMailbox>, user: string, address: string): void {
  const m = mailboxes.get(user);
  if (!m) return;
  const holder = before.tenantRecipient(bare(address));
  const held = holder?.kind === "mailbox" && sameAddress(holder.mailbox.PrimarySmtpAddress, user);
  const d = domainOf(address);
  if (!held && !holder && w.tenant.acceptedDomains.some((a) => sameAddress(a.DomainName, d))) m.EmailAddresses = [...m.EmailAddresses, `smtp:${bare(address)}`];
}

/** Why a migrating user's routing cannot work, found without tracing, with the fix. */
function diagnose(end: View, u: UserPlan, mailbox: SourceMailbox | undefined, tenantOrg: string | undefined, source: RoutingWorld["source"], domain: string): { cause: string; fix: string; standalone: boolean }[] {
  const out: { cause: string; fix: string; standalone: boolean }[] = [];
  if (!mailbox) {
    out.push({
      cause: `no source mailbox is ${u.sourceIdentity ?? u.email}, so its forwarding cannot be set`,
      fix: "fix the address or SourceIdentity in the wave, or take the user out of the wave",
      standalone: true,
    });
    return out;
  }
  if (mailbox.ForwardingAddress && !u.clearForwardingAddress) {
    out.push({
      cause: `the source mailbox has ForwardingAddress ${mailbox.ForwardingAddress}, which wins over the ForwardingSmtpAddress coexist sets (Set-Mailbox reference)`,
      fix: "remove it at the source, or set coexist:clearForwardingAddress true to have coexist clear it (and put it back on rollback)",
      standalone: true,
    });
  }
  const to = u.forwardTo;
  if (!to) return out;
  const d = domainOf(to);
  const own = end.tenantRecipient(u.email);
  const target = end.tenantRecipient(to);
  const accepted = end.acceptedDomainFor(d);
  const aliasDomain = u.source === "google-workspace" && (source.google?.domainAliases ?? []).some((a) => sameAddress(a.domainAliasName, d));
  if (aliasDomain) {
    // A user alias domain gives every user an address there inside Google (support.google.com/a/answer/175747).
    out.push({
      cause: `${d} is a domain alias of the Google Workspace account, so Gmail holds ${to} as ${u.email}'s own alias and keeps what it forwards there`,
      fix: `remove ${d} as a domain alias in Google (add it with "Add a domain", or not at all: a subdomain of ${domain} needs no verification), keep its MX at Exchange Online`,
      standalone: true,
    });
  } else if (u.source === "google-workspace" && !gmailAccepts(source, u.email, to)) {
    out.push({
      cause: `Gmail accepts a forwarding address without a verification click only in the user's own domain (${domainOf(u.email)}), a subdomain of it or a domain alias of the Workspace account, and ${to} is in none of them, so it would stay "pending" and auto-forwarding to it fails`,
      fix: `use a routing subdomain: o365.${domain} (if you add it in the Google Admin console, use Domains → Manage domains → Add a domain, never a domain alias), point its MX at Exchange Online, add it as an accepted domain of the tenant, and set coexist:routingTemplate '{alias}@o365.{domain}' (coexist then gives each mailbox that address before Gmail forwards to it)`,
      standalone: true,
    });
  }
  const held = u.source === "google-workspace" && mailbox.gmail?.forwardingAddresses.find((a) => sameAddress(a.forwardingEmail, to) && a.verificationStatus === "pending");
  if (held && !aliasDomain) {
    // Live: Gmail already holds the address as pending (a verification mail went out); coexist
    // cannot verify it, and auto-forwarding to it is not in effect (gmailForward).
    out.push({
      cause: `Gmail reports ${to} as pending verification for ${u.email}, so auto-forwarding to it is not in effect and the user's mail stays in Gmail`,
      fix: `have the verification mail's link clicked, or delete the forwarding address in Gmail and forward to a routing subdomain Gmail accepts without verification (coexist:routingTemplate '{alias}@o365.{domain}')`,
      standalone: true,
    });
  }
  if (aliasDomain) {
    // Said above, in Google's terms.
  } else if (mailbox.EmailAddresses.some((a) => sameAddress(a, to)) || sameAddress(mailbox.PrimarySmtpAddress, to)) {
    out.push({
      cause: `the source mailbox holds ${to}, the address it forwards to`,
      fix: "remove that proxy address from the source mailbox (or the ProxyAddress column), or forward to another routing address",
      standalone: false,
    });
  } else if (end.sourceMailbox(to) || end.hostsDomain(d)) {
    // The source delivers what it hosts itself: an on-premises Exchange accepts a proxy address
    // only in one of its accepted domains, so a domain any source mailbox has an address in is
    // the source's own, and mail forwarded into it never leaves.
    const holder = end.sourceMailbox(to);
    const other = end.domainHolder(d)?.PrimarySmtpAddress;
    out.push({
      cause: holder
        ? `the source mailbox ${holder.PrimarySmtpAddress} holds ${to}, the address ${u.email} forwards to`
        : `the source treats ${d} as its own domain${other ? ` (${other} has an address in it)` : ""}, so it keeps mail forwarded to ${to} instead of sending it to Exchange Online`,
      fix: holder ? `remove ${to} from ${holder.PrimarySmtpAddress} at the source` : `remove the ${d} addresses from the source mailboxes, or forward to a routing address in a domain the source does not host`,
      standalone: false,
    });
  }
  // The tenant side, independently: where the forwarded copy arrives.
  if (u.tenantAddress && accepted && !sameAddress(accepted.DomainName, d)) {
    // Not documented whether a MatchSubDomains parent lets a mailbox hold an address in a
    // subdomain; Exchange takes a proxy address only in an accepted domain, so coexist (and the
    // simulator) want the subdomain itself accepted.
    out.push({
      cause: `coexist gives ${u.email}'s Exchange Online mailbox the routing address ${to} before the source forwards to it, but ${d} is not an accepted domain of its own (only covered by ${accepted.DomainName}'s MatchSubDomains), and Exchange takes an address only in an accepted domain`,
      fix: `add ${d} as an accepted domain of the tenant (its MX at Exchange Online), or forward to the tenant domain${tenantOrg ? ` (${tenantOrg})` : ""} with coexist:routingTemplate {alias}@{tenant}`,
      standalone: true,
    });
  } else if (!accepted) {
    out.push({
      cause: `${to} is in ${d}, which is not an accepted domain of the tenant`,
      // With a tenant address to add, MatchSubDomains on the parent is not enough (see above).
      fix: d.endsWith(`.`)
        ? "fix the routing address"
        : u.tenantAddress
          ? `add ${d} as an accepted domain of the tenant (its MX at Exchange Online), or use the tenant domain${tenantOrg ? ` (${tenantOrg})` : ""}`
          : `add ${d} as an accepted domain, or set coexist:matchSubDomains true if it is a subdomain of an InternalRelay domain, or use the tenant domain${tenantOrg ? ` (${tenantOrg})` : ""}`,
      standalone: false,
    });
  } else if (!target) {
    out.push({
      cause: u.tenantAddress ? `${u.email} has no Exchange Online mailbox to give the routing address ${to}` : `no Exchange Online recipient has the routing address ${to}`,
      fix: u.tenantAddress ? "create (license) the user's Exchange Online mailbox before the wave" : `add ${to} to the user's Exchange Online mailbox (or create the mailbox) before the wave, or fix ForwardTo`,
      standalone: false,
    });
  } else if (target.kind !== "mailbox" || !own || own.kind !== "mailbox" || own.mailbox !== target.mailbox) {
    const holder = target.kind === "mailbox" ? target.mailbox.PrimarySmtpAddress : `the ${target.kind === "group" ? "group" : target.recipient.RecipientType === "MailUser" ? "mail user" : "mail contact"} ${recipientPrimary(target)}`;
    out.push({
      cause: `the routing address ${to} belongs to ${holder}, not to ${own?.kind === "mailbox" ? own.mailbox.PrimarySmtpAddress : `${u.email}'s Exchange Online mailbox (there is none)`}`,
      fix: "forward to an address of the user's own Exchange Online mailbox",
      standalone: true,
    });
  } else if (end.mx(d) !== "exchange") {
    out.push({
      cause: `the MX of ${d} ${end.mx(d) === "source" ? "points at the source" : "does not exist"}, so forwarded mail never reaches Exchange Online`,
      fix: `point the MX of ${d} at Exchange Online before the wave`,
      standalone: false,
    });
  }
  return out;
}

/**
 * The worlds a user's mail may meet in `view`: one, or for a vendor's unconfirmed change both
 * the one where the vendor applied it and the one where it has not yet (§6 "maybe applied").
 * Two unconfirmed adds in a row (the routing address changed) leave a third possibility, no
 * forward at all; it is not checked because an unforwarded user, in or out of the group, has
 * mail delivered in one system or the other, never looping or bouncing, and in a not-yet-applied
 * variant only a loop or a bounce counts.
 */
function variants(view: View, user: string): { view: View; label: string; pending: boolean }[] {
  const before = notYetApplied(view, user);
  if (!before) return [{ view, label: "", pending: false }];
  const { vendor } = view.sourceMailbox(user)!.unconfirmed!;
  return [
    { view, label: ` (if ${vendor} has applied the worksheet's last request for this user)`, pending: false },
    // Not applied yet, the user's mail may still be delivered where it was (as in any passing
    // state): only a loop or a bounce counts there.
    { view: before, label: ` (if ${vendor} has not applied it yet)`, pending: true },
  ];
}

/**
 * For a user with a vendor request not yet confirmed, `view` as it is while the vendor has not
 * applied the request: the forward is `unconfirmed.was`. The gate checks it, and status shows it.
 */
export function notYetApplied(view: View, user: string): View | undefined {
  const m = view.sourceMailbox(user);
  if (!m?.unconfirmed) return undefined;
  const { unconfirmed, ...applied } = m;
  return overlay(view, { before: m, after: { ...applied, ForwardingSmtpAddress: unconfirmed.was } });
}

/**
 * Gmail's rule for a forwarding address it accepts without a verification mail
 * (guides/forwarding_settings): the sender's own domain, a subdomain of it, or a domain alias of
 * the same Google Workspace account. Any other address stays "pending".
 */
export function gmailAccepts(source: RoutingWorld["source"], user: string, address: string): boolean {
  const d = domainOf(address);
  const own = domainOf(user);
  return d === own || d.endsWith(`.${own}`) || (source.google?.domainAliases ?? []).some((a) => sameAddress(a.domainAliasName, d));
}

export function evaluate(snapshot: RoutingWorld, input: GateInput): GateResult {
  const ack = new Set(input.acknowledged.map(bare));
  const pending = input.routing === "pendingGroup";
  const commands = sharedCommands(input.shared);
  const inDomain = (a: string) => domainOf(a) === input.domain;
  const groupNow = snapshot.tenant.groups.find((g) => sameAddress(g.PrimarySmtpAddress, input.groupAddress));
  const membersToday = new Set(groupNow?.Members.map(bare) ?? []);
  const v0 = viewOf(snapshot);
  const unresolvable: string[] = [];
  if (pending && input.shared.group.pending) {
    // The fill as the group resource works it out from the same lists (groupMembers.ts).
    const { all, added } = pendingMembers(input.shared.group.pending, snapshot.source.mailboxes, membersToday, input.domain);
    // Update-DistributionGroupMember fails as a whole on a member it cannot resolve (the
    // simulator's reading; not documented either way), so each must be a tenant recipient.
    unresolvable.push(...added.filter((a) => !v0.tenantRecipient(a)));
    const fill = pendingFill(input.groupAddress, { all, added }, membersToday);
    commands.group = [...commands.group.filter((c) => c.cmdlet !== "Update-DistributionGroupMember" && c.cmdlet !== "Add-DistributionGroupMember"), ...fill];
  }
  // migratedGroup: the listed cloud-only recipients join with the group, before the rule exists
  // (the program makes the rule depend on them), so no state has the rule without them.
  const cloudListed = new Set((input.cloudOnly ?? []).map(bare));
  if (!pending) for (const r of cloudListed) commands.group.push({ cmdlet: "Add-DistributionGroupMember", parameters: { Identity: input.groupAddress, Member: r } });

  // Shared objects, one at a time: S0 = today, ..., W1 = all shared objects in place.
  const sharedStates: { after: SharedStep; world: RoutingWorld }[] = [];
  let w = copyWorld(snapshot);
  for (const step of SHARED_ORDER) {
    w = copyWorld(w);
    for (const c of commands[step]) applyShared(w, c);
    sharedStates.push({ after: step, world: w });
  }
  const w1 = w;
  const v1 = viewOf(w1);
  const group = w1.tenant.groups.find((g) => sameAddress(g.PrimarySmtpAddress, input.groupAddress));

  // Every user of the stack: the source's users in the shared domain, everyone in a wave, and
  // the Exchange Online recipients of the domain with no source mailbox (cloud-only).
  const stackUsers = new Set<string>();
  for (const m of snapshot.source.mailboxes) if (inDomain(m.PrimarySmtpAddress)) stackUsers.add(bare(m.PrimarySmtpAddress));
  for (const u of input.users) stackUsers.add(u.email);
  const cloudOnly = new Set<string>();
  for (const m of snapshot.tenant.mailboxes) {
    const a = bare(m.PrimarySmtpAddress);
    if (inDomain(a) && !stackUsers.has(a) && !v0.sourceMailbox(a)) cloudOnly.add(a);
  }
  for (const a of cloudListed) cloudOnly.add(a);
  for (const a of cloudOnly) stackUsers.add(a);

  const membersNow = new Set(group?.Members.map(bare) ?? []);
  const isMemberNow = (u: string) => membersNow.has(u);
  // Migrated today: forwarded and out of the rule's reach (in Migrated Users; not in the pending group).
  const homeNow = (u: string): Home => {
    if (cloudOnly.has(u)) return "exchange";
    const m = v0.sourceMailbox(u);
    if (pending) return !membersToday.has(u) && m && forwardsToTenant(m, input.domain, snapshot.source.mailboxes) ? "exchange" : "source";
    return membersToday.has(u) && (m?.ForwardingSmtpAddress || m?.ForwardingAddress) ? "exchange" : "source";
  };
  const plans = new Map(input.users.map((u) => [u.email, u]));
  const homes = new Map<string, Home>();
  for (const u of stackUsers) {
    const p = plans.get(u);
    homes.set(u, p ? (p.action === "migrate" ? "exchange" : "source") : homeNow(u));
  }
  // A vendor rollback waiting for its confirmation is on its way back: its mail may be delivered
  // in either system (never loop or bounce) until the vendor confirms; `homes` says where it is going.
  const either = new Set(input.users.filter((u) => u.action === "wait").map((u) => u.email));

  // Each changing user's states; the end state has every user in their last one.
  const trajectories = new Map<string, { before: SourceMailbox | undefined; states: UserState[] }>();
  const end = copyWorld(w1);
  const index = mailboxIndex(w1);
  const endTenantMailboxes = new Map(end.tenant.mailboxes.map((m) => [bare(m.PrimarySmtpAddress), m]));
  const endMembers = new Set(membersNow);
  const settings = settingsOf(input);
  const kind = sourceOf(settings);
  const stepsByUser = new Map<string, Step[]>();
  const keptByUser = new Map<string, KeptForward>();
  const notices: string[] = [];
  const keptFile = input.keptFile ?? "forwards/<stack>.json";
  /**
   * The forward this run keeps (a migrating user's own, which coexist's forward replaces) or puts
   * back (a rollback's, kept then); one Gmail no longer verifies cannot go back, which is said.
   */
  const keptFor = (u: UserPlan, m: SourceMailbox | undefined): KeptForward | undefined => {
    if (!m) return undefined;
    if (u.action === "migrate") return u.forwardTo ? kind.ownForward(settings, plannedUser(u), m) : undefined;
    if (u.action !== "rollback" || !u.kept) return undefined;
    if (kind.restorable(u.kept, m)) return u.kept;
    notices.push(
      `${u.email}: coexist kept this user's own ${keptText(u.kept)} (${keptFile}) to put back on rollback, but Gmail no longer holds it as a verified forwarding address ("A verified forwarding address must be specified when auto-forwarding is enabled", users.settings.updateAutoForwarding): forwarding stays off; set it again in Gmail if the user still wants it`,
    );
    return undefined;
  };
  for (const u of input.users) {
    const mailbox = findSourceMailbox(w1, index, u);
    // The live state the plan starts from: after the shared objects (the pending group's fill).
    const tenantHoldsAddress = Boolean(u.tenantAddress && v1.tenantRecipient(u.tenantAddress)?.kind === "mailbox" && sameAddress((v1.tenantRecipient(u.tenantAddress) as { mailbox: TenantMailbox }).mailbox.PrimarySmtpAddress, u.email));
    const kept = keptFor(u, mailbox);
    const planned = { ...u, ...(kept && u.action !== "migrate" ? { kept } : { kept: undefined }) };
    const steps = stepsFor(settings, plannedUser(planned), { member: isMemberNow(u.email), mailbox, tenantHoldsAddress });
    stepsByUser.set(u.email, steps);
    // A migrating user's own forward is kept only when this run's forward replaces it.
    if (kept && (u.action !== "migrate" || steps.some((x) => x === "forward" || x === "gmailOn"))) keptByUser.set(u.email, kept);
    const states = statesOf(settings, planned, steps, mailbox, isMemberNow(u.email), u.forwardTo ? gmailAccepts(snapshot.source, u.email, u.forwardTo) : false);
    trajectories.set(u.email, { before: mailbox, states });
    const last = states[states.length - 1]!;
    const i = index.get(bare(u.sourceIdentity ?? u.email));
    if (i !== undefined && last.mailbox) end.source.mailboxes[i] = last.mailbox;
    if (last.member) endMembers.add(u.email);
    else endMembers.delete(u.email);
    // A rollback removes the address last, once nothing forwards to it: the end state keeps it,
    // so the passing states (this end with the user's earlier, still forwarded, states laid over
    // it) see the address their forward needs. Held but unused, it routes nothing.
    if (u.tenantAddress && steps.includes("addAddress")) addTenantAddress(v1, end, endTenantMailboxes, u.email, u.tenantAddress);
  }
  // migratedGroup: a cloud-only member no longer listed leaves with its CloudOnlyRecipient (one
  // added by hand would stay; the gate cannot tell them apart, so it shows the worse case).
  if (!pending) for (const a of cloudOnly) if (!cloudListed.has(a)) endMembers.delete(a);
  const endGroup = end.tenant.groups.find((g) => sameAddress(g.PrimarySmtpAddress, input.groupAddress));
  if (endGroup) endGroup.Members = [...endMembers];
  const vEnd = viewOf(end);

  // Today's problems: not this run's doing.
  const baseline = new Set<string>();
  const key = (u: string, e: Entry, p: Problem) => `${u}|${e}|${p.kind}`;
  for (const u of stackUsers) {
    for (const e of ENTRIES) {
      for (const { view } of variants(v0, u)) {
        const p = mailProblem(view, u, e, homeNow(u))?.problem;
        if (p) baseline.add(key(u, e, p));
      }
    }
  }

  /** A user the run leaves alone whose source mailbox forwards: their own (or an admin's) choice. */
  const ownForwarding = (u: string) => {
    const m = v0.sourceMailbox(u);
    // A vendor's forwards are all coexist's requests (the ledger), never an owner's choice.
    return !plans.has(u) && !cloudOnly.has(u) && homeNow(u) === "source" && Boolean(m?.ForwardingSmtpAddress || m?.ForwardingAddress) && !batchForward(u) && snapshot.source.kind !== "vendor";
  };
  /**
   * A Gmail user the run leaves alone whose forward goes to Exchange Online while the rule still
   * routes them to Google: not an owner's choice but what completing an Exchange Online Google
   * Workspace migration batch sets ("a forwarding address that routes mail from Google Workspace
   * to O365 is added", perform-Google-Workspace-migration.md). Refused, not shown.
   */
  const batchForward = (u: string) => {
    const m = v0.sourceMailbox(u);
    // An Exchange source's forward to the tenant is no owner's choice either: set by hand (or a
    // script) while the rule still routes the user to the source, it loops from every entry point.
    return Boolean(m && (m.ForwardingSmtpAddress || m.ForwardingAddress) && forwardsToTenant(m, input.domain, snapshot.source.mailboxes));
  };

  /**
   * A rollback putting back the user's own forward: where it sends their mail (a colleague, in
   * either system) is the owner's choice, as before coexist. Only a loop, a bounce, or their own
   * Exchange Online mailbox (where they no longer live) is a problem of the put-back.
   */
  const ownChoice = (view: View, user: string, p: Problem): boolean => {
    if (plans.get(user)?.action !== "rollback" || !keptByUser.has(user)) return false;
    if (p.kind === "mailbox" || p.kind === "source") return true;
    if (p.kind !== "exchange" || !p.trace.deliveredTo) return false;
    const own = view.tenantRecipient(user);
    return !(own && "kind" in own && sameAddress(recipientPrimary(own), p.trace.deliveredTo));
  };

  // The first problem found per (user, entry), with where it was found.
  const found = new Map<string, { user: string; entry: Entry; problem: Problem; state: string; endState: boolean; variant: string }>();
  const note = (user: string, entry: Entry, problem: Problem, state: string, endState: boolean, variant: string) => {
    const k = `${user}|${entry}`;
    const had = found.get(k);
    if (!had || (endState && !had.endState)) found.set(k, { user, entry, problem, state, endState, variant });
  };
  const check = (at: View, user: string, home: Home | undefined, state: string, endState: boolean) => {
    for (const { view, label, pending: notYet } of variants(at, user)) {
      for (const e of ENTRIES) {
        const hit = mailProblem(view, user, e, either.has(user) || notYet ? undefined : home);
        if (!hit) continue;
        const p = hit.problem;
        if (ownForwarding(user) || (!endState && baseline.has(key(user, e, p))) || ownChoice(view, user, p)) continue;
        note(user, e, p, state, endState, label + hit.reading);
      }
    }
  };

  // 1. The end state, for everyone.
  for (const u of stackUsers) check(vEnd, u, homes.get(u), "end", true);
  // 2. The shared objects appearing one by one, nobody's steps yet.
  for (const s of sharedStates.slice(0, -1)) {
    const v = viewOf(s.world);
    for (const u of stackUsers) check(v, u, homeNow(u), `while the shared objects are set up (once the ${SHARED_LABEL[s.after]})`, false);
  }
  // 3. Each changing user after each step, the others before (W1) or after (end) theirs.
  for (const [u, t] of trajectories) {
    const inEnd = findSourceMailbox(end, index, plans.get(u)!);
    t.states.slice(0, -1).forEach((s, i) => {
      const membership = group ? { groupGuid: group.Guid, primary: u, member: s.member } : undefined;
      for (const [base, before] of [
        [v1, t.before],
        [vEnd, inEnd],
      ] as const) {
        const v = overlay(base, { ...(before ? { before } : {}), ...(s.mailbox ? { after: s.mailbox } : {}), ...(membership ? { membership } : {}) });
        // Passing states may deliver in either system (the mailbox is moving), never loop or bounce.
        check(v, u, i === 0 && base === v1 ? homeNow(u) : undefined, s.label === "before" ? "before this user's steps" : s.label, false);
      }
    });
  }

  const findings: Finding[] = [];
  // The routing model of a live stack does not change under it: the rule would be rewritten
  // while every membership still means the other model's thing.
  // The rule by its name, or (renamed in the same change) any rule routing to coexist's connector.
  const liveRule =
    snapshot.tenant.transportRules.find((r) => sameAddress(r.Name, input.shared.coexistenceRule.name ?? "Coexistence")) ??
    snapshot.tenant.transportRules.find((r) => r.RouteMessageOutboundConnector && sameAddress(r.RouteMessageOutboundConnector, input.shared.coexistenceRule.connector));
  const liveModel = liveRule && ((liveRule.SentToMemberOf ?? []).length > 0 ? "pendingGroup" : liveRule.ExceptIfSentToMemberOf.length > 0 ? "migratedGroup" : undefined);
  if (liveModel && liveModel !== (input.routing ?? "migratedGroup")) {
    findings.push({
      user: "coexist:routing",
      refuse: true,
      message:
        `coexist:routing: the stack is set to ${input.routing ?? "migratedGroup"}, but the live coexistence rule '${liveRule!.Name}' is the ${liveModel} model's (${liveModel === "pendingGroup" ? "SentToMemberOf" : "ExceptIfSentToMemberOf"} ${(liveModel === "pendingGroup" ? liveRule!.SentToMemberOf! : liveRule!.ExceptIfSentToMemberOf).join(", ")}): ` +
        `changing the routing model of a live stack is not supported, because every user's membership would mean the opposite until each was redone. Set coexist:routing back to ${liveModel}, or finish the migration and clean up (\`pulumi destroy\`) before starting over with the other model`,
    });
  }
  const ackHint = (u: string) => (ack.has(u) ? " (acknowledged in coexist:acknowledge)" : "");
  // A vendor: a user the worksheet asked to forward who is in no wave any more would have their
  // MigratedMailbox deleted, handing the membership back while the vendor may still forward.
  if (snapshot.source.kind === "vendor") {
    for (const m of snapshot.source.mailboxes) {
      const u = bare(m.PrimarySmtpAddress);
      const to = m.ForwardingSmtpAddress ?? m.unconfirmed?.was;
      if (plans.has(u) || !to) continue;
      const vendor = m.unconfirmed?.vendor ?? input.users.find((p) => p.vendor)?.vendor ?? "the vendor";
      findings.push({
        user: u,
        refuse: !ack.has(u),
        message:
          `${u}: the worksheet asked ${vendor} to forward this user to ${to}${m.unconfirmed ? " (not confirmed yet)" : ""}, but the user is in no wave: coexist would stop tracking a user ${vendor} may still forward, and handing their membership back later would loop their mail; ` +
          `keep them in their wave and list them in coexist:rollback (coexist then asks ${vendor} to remove the forward and waits for its confirmation)${ackHint(u)}`,
      });
    }
  }
  // Identity: users are resolved to source mailboxes from the live read; one mailbox listed under
  // two of its addresses would be two users to coexist and one to Exchange.
  const byMailbox = new Map<number, UserPlan[]>();
  for (const u of input.users) {
    const i = index.get(bare(u.sourceIdentity ?? u.email));
    if (i !== undefined) byMailbox.set(i, [...(byMailbox.get(i) ?? []), u]);
  }
  for (const [i, same] of byMailbox) {
    if (same.length < 2) continue;
    const listed = same.map((x) => `${x.email}${x.wave ? ` (${x.wave})` : ""}`).join(" and ");
    for (const u of same) {
      findings.push({ user: u.email, refuse: true, message: `${u.email}: ${listed} are one source mailbox, ${w1.source.mailboxes[i]!.PrimarySmtpAddress}: list the user once, by their primary address` });
    }
  }
  // Migrated today, in no wave: coexist never rolls a user back because they left the wave files
  // (it plans from what is live, not from what it once declared). Said, and refused until the
  // consultant says which they meant. A vendor's is said above, in the vendor's terms.
  if (snapshot.source.kind !== "vendor") {
    for (const u of stackUsers) {
      if (plans.has(u) || cloudOnly.has(u) || homeNow(u) !== "exchange") continue;
      const m = v0.sourceMailbox(u);
      findings.push({
        user: u,
        refuse: !ack.has(u),
        message:
          `${u}: migrated (${pending ? "not in" : "in"} ${input.groupAddress}, forwarded to ${m?.ForwardingAddress ?? m?.ForwardingSmtpAddress ?? "Exchange Online"}) but in no wave: coexist does not roll a user back because they left the wave files. ` +
          `To roll them back, keep them in their wave and list them in coexist:rollback; to leave them migrated and unmanaged, list them in coexist:acknowledge${ackHint(u)}`,
      });
    }
  }
  for (const u of unresolvable) {
    findings.push({
      user: u,
      refuse: true,
      message: `${u}: coexist:sourceUsers lists it, but it has no Exchange Online recipient to be a member of ${input.groupAddress}, and one member that does not resolve fails the whole Update-DistributionGroupMember; create its Exchange Online mailbox first (seed 1 pre-stages one per user), or take it off the list`,
    });
  }
  /** Problems coexist causes for a cloud-only recipient (listed, or put in the pending group by this run) are refused; others are shown. */
  // migratedGroup: a cloud-only member struck off coexist:cloudOnly leaves the group with its
  // CloudOnlyRecipient (the gate cannot tell coexist's from one added by hand, so it takes the
  // worse case): that is this run's doing too.
  const coexistsDoing = (u: string) => cloudListed.has(u) || (pending && endMembers.has(u) && !membersToday.has(u)) || (!pending && membersToday.has(u) && !endMembers.has(u));
  const relayFix =
    snapshot.source.kind === "google-workspace"
      ? `Gmail must route mail for recipients it does not know in ${input.domain} to Exchange Online (a split-delivery route in the Google Admin console, Apps → Google Workspace → Gmail → Routing), declared to coexist with coexist:google.relaysUnknownRecipients true`
      : snapshot.source.kind === "vendor"
        ? `the vendor must relay recipients it does not know in ${input.domain} to Exchange Online (agree it with the vendor; coexist cannot see it, so this stays a warning)`
        : `the source must relay recipients it does not know in ${input.domain} to Exchange Online (an InternalRelay accepted domain and a send connector to the tenant: seed 1's send and receive connector)`;
  const cloudHint = (u: string, e: Entry): string =>
    e === "exchange"
      ? pending
        ? `; it is an Exchange Online recipient with no source mailbox: keep it out of coexist:sourceUsers, so it is not in the group ${input.groupAddress}`
        : `; it is an Exchange Online recipient with no source mailbox: list it in coexist:cloudOnly, so it joins the group ${input.groupAddress} and its mail stays in Exchange Online`
      : `; it is an Exchange Online recipient with no source mailbox, and while MX points at the source, mail for it reaches the source first: ${relayFix}`;
  const tenantOrg = snapshot.tenant.acceptedDomains.find((d) => d.InitialDomain)?.DomainName;
  const diagnosed = new Map<string, ReturnType<typeof diagnose>>();
  for (const u of input.users) if (u.action === "migrate") diagnosed.set(u.email, diagnose(vEnd, u, findSourceMailbox(end, index, u), tenantOrg, snapshot.source, input.domain));

  for (const f of [...found.values()].sort((a, b) => a.user.localeCompare(b.user) || ENTRIES.indexOf(a.entry) - ENTRIES.indexOf(b.entry))) {
    const ds = diagnosed.get(f.user) ?? [];
    const when = (f.endState ? (baseline.has(key(f.user, f.entry, f.problem)) && !plans.has(f.user) ? " (as it does today)" : "") : ` ${f.state}`) + f.variant;
    const cloud = cloudOnly.has(f.user);
    const unlisted =
      pending && !cloud && !plans.has(f.user) && homes.get(f.user) === "source" && !endMembers.has(f.user)
        ? `; ${f.user} is not in the group of users still at the source (${input.groupAddress}): list it in coexist:sourceUsers`
        : "";
    const batch =
      !plans.has(f.user) && batchForward(f.user)
        ? snapshot.source.kind === "google-workspace"
          ? `; Gmail forwards ${f.user} to Exchange Online while the coexistence rule still routes them to Google: a Google Workspace migration batch completed for this user sets this forward (TargetDeliveryDomain); run the user's coexist wave, or turn the forward off in Gmail`
          : `; the source forwards ${f.user} to Exchange Online (set outside coexist) while the coexistence rule still routes them to the source: put the user in a wave, or turn the forward off at the source`
        : "";
    const back = keptByUser.get(f.user);
    const restored =
      back && plans.get(f.user)?.action === "rollback"
        ? `; the rollback puts back the user's own ${keptText(back)}, which coexist kept when its forward replaced it (${keptFile}): if that forward is not wanted any more, remove the user's entry from ${keptFile}, or correct it at the source after the rollback and acknowledge the user`
        : "";
    const cause = (ds.length > 0 ? ds.map((d) => `${d.cause}; ${d.fix}`).join(". Also: ") : `${f.problem.trace.reason ?? describeHops(f.problem.trace)}`) + (cloud ? cloudHint(f.user, f.entry) : unlisted) + batch + restored;
    findings.push({
      user: f.user,
      entry: f.entry,
      refuse: !ack.has(f.user) && (!cloud || (f.entry === "exchange" && coexistsDoing(f.user))),
      message: `${f.user}: ${ENTRY_LABEL[f.entry]} would ${outcomeText(f.problem)}${when}: ${cause}${ackHint(f.user)}`,
    });
  }
  // Causes that no trace shows (yet): a failing step, a ForwardingAddress that happens to deliver.
  for (const [u, ds] of diagnosed) {
    for (const d of ds.filter((x) => x.standalone)) {
      if (findings.some((f) => f.user === u && f.message.includes(d.cause))) continue;
      findings.push({ user: u, refuse: !ack.has(u), message: `${u}: ${d.cause}; ${d.fix}${ackHint(u)}` });
    }
  }
  // Users this run leaves alone whose mail follows their mailbox's own forward: shown, not refused.
  for (const u of stackUsers) {
    if (!ownForwarding(u)) continue;
    for (const e of ENTRIES) {
      if (found.has(`${u}|${e}`)) continue;
      const hit = mailProblem(vEnd, u, e, homes.get(u));
      const p = hit?.problem;
      if (p) findings.push({ user: u, entry: e, refuse: false, message: `${u}: ${ENTRY_LABEL[e]} would ${outcomeText(p)} (by the source mailbox's own forwarding, which coexist leaves alone)${hit.reading}: ${p.trace.reason ?? describeHops(p.trace)}` });
    }
  }
  findings.sort((a, b) => a.user.localeCompare(b.user) || (a.entry ? ENTRIES.indexOf(a.entry) : 9) - (b.entry ? ENTRIES.indexOf(b.entry) : 9));
  // A user's own forward (to a colleague, outside: not to Exchange Online) that this run's forward
  // replaces, or that a rollback puts back: shown before it happens.
  for (const u of input.users) {
    const k = keptByUser.get(u.email);
    if (!k) continue;
    const steps = stepsByUser.get(u.email) ?? [];
    if (u.action === "migrate") {
      notices.push(`${u.email}: the source forwards this user's mail with ${keptText(k)} (the owner's or an admin's setting); this run replaces it with the forward to ${u.forwardTo}, keeps it in ${keptFile} and puts it back on rollback`);
    } else if (steps.some((x) => x === "unforward" || x === "gmailOff")) {
      notices.push(`${u.email}: the rollback puts back the user's own ${keptText(k)}, which coexist's forward replaced (kept in ${keptFile})`);
    }
  }
  return { findings, refusals: findings.filter((f) => f.refuse), warnings: findings.filter((f) => !f.refuse), homes, end, cloudOnly, steps: stepsByUser, notices, kept: keptByUser };
}

/** The systems a message went through, for a problem with no NDR-like reason. */
function describeHops(t: Trace): string {
  const path: string[] = [];
  for (const h of t.hops) if (path[path.length - 1] !== h.at) path.push(h.at);
  return `via ${path.join(" → ")}${t.deliveredTo ? ` to ${t.deliveredTo}` : ""}`;
}

/** The refusal as the program prints it: every problem, then how to accept one deliberately. */
export function formatRefusal(r: GateResult, stack: string): string {
  const lines = [
    `coexist: refusing this change: it would break mail flow (${r.refusals.length} problem${r.refusals.length === 1 ? "" : "s"}; nothing was applied):`,
    ...r.refusals.map((f) => `  ${f.message}`),
    `To accept a user's problem deliberately, list them in coexist:acknowledge, e.g. \`pulumi config set --stack ${stack} --path 'coexist:acknowledge[0]' ${r.refusals[0]?.user ?? "user@domain"}\`.`,
  ];
  return lines.join("\n");
}
