import { AddDistributionGroupMember, GetDistributionGroupMember, GetMailbox, MailboxObject, RecipientObject, RemoveDistributionGroupMember, UpdateDistributionGroupMember } from "../exchange/cmdlets";
import { Command } from "../exchange/command";
import { bare, domainOf } from "../exchange/addresses";
import { isAlreadyExists, isNotFound } from "../exchange/errors";
import { findIn, forwardingRecipient } from "../exchange/identity";
import { SessionPool } from "../pool/sessionPool";
import { afterNew } from "./operations";

/** One recipient's membership of a coexist group, as the per-user resources change it. */
export interface Membership {
  /** The group's primary SMTP address. */
  group: string;
  /** The member's address. */
  emailAddress: string;
}

const bypass = { BypassSecurityGroupManagerCheck: true } as const;
// The two commands, for the resources' runs and their change-review plans alike.
export const joinGroup = (m: Membership) => AddDistributionGroupMember({ Identity: m.group, Member: m.emailAddress, ...bypass });
export const leaveGroup = (m: Membership) => RemoveDistributionGroupMember({ Identity: m.group, Member: m.emailAddress, Confirm: false, ...bypass });

/** Joins; already a member (an earlier, interrupted run got this far) is done. */
export async function join(pool: SessionPool, m: Membership): Promise<void> {
  try {
    await pool.run(joinGroup(m));
  } catch (e) {
    if (!isAlreadyExists(e)) throw e;
  }
  remember(m.group, m.emailAddress, true);
}

/** Leaves; not a member, or the group gone, is done: nothing left to undo. */
export async function leave(pool: SessionPool, m: Membership): Promise<void> {
  try {
    await pool.run(leaveGroup(m));
  } catch (e) {
    if (!isNotFound(e)) throw e;
  }
  remember(m.group, m.emailAddress, false);
}

/**
 * Group membership for the per-user resources: one Get-DistributionGroupMember per group per
 * half minute instead of one per user, kept current by this process's own Add/Remove.
 */
const memberCache = new Map<string, { at: number; members: Set<string> }>();
const MEMBER_CACHE_MS = 30_000;

export async function members(pool: SessionPool, group: string): Promise<Set<string> | undefined> {
  const hit = memberCache.get(group);
  if (hit && Date.now() - hit.at < MEMBER_CACHE_MS) return hit.members;
  try {
    const list = (await pool.run(GetDistributionGroupMember({ Identity: group, ResultSize: "Unlimited" }))) as RecipientObject[];
    const set = new Set(list.map((m) => m.PrimarySmtpAddress.toLowerCase()));
    memberCache.set(group, { at: Date.now(), members: set });
    return set;
  } catch (e) {
    if (isNotFound(e)) return undefined;
    throw e;
  }
}

export const remember = (group: string, user: string, member: boolean): void => {
  const hit = memberCache.get(group);
  if (hit) member ? hit.members.add(user) : hit.members.delete(user);
};

/**
 * The source's mailboxes, listed once per provider process (one run) for every create in it (one
 * Get-Mailbox -ResultSize Unlimited, not one read per user). The run started with the safety
 * gate's own read of the same list, so a re-read adds nothing but time.
 */
let sourceList: { pool: SessionPool; list: Promise<MailboxObject[]> } | undefined;
export function sourceMailboxes(pool: SessionPool): Promise<MailboxObject[]> {
  if (!sourceList || sourceList.pool !== pool) {
    const list = pool.run(GetMailbox({ ResultSize: "Unlimited" })) as Promise<MailboxObject[]>;
    sourceList = { pool, list };
    list.catch(() => (sourceList = undefined));
  }
  return sourceList.list;
}

/**
 * Whether a source mailbox forwards to Exchange Online: to the tenant's onmicrosoft.com
 * domains or a routing subdomain of the shared domain (what coexist's MigratedMailbox sets).
 * A forward elsewhere (a colleague, outside) is its owner's choice: that user still lives there.
 * ForwardingAddress wins: "If you configure values for both the ForwardingAddress and
 * ForwardingSmtpAddress parameters, the value of ForwardingSmtpAddress is ignored" (Set-Mailbox
 * reference), as the routing model reads it (oracle forwardingOf); one that names a recipient
 * rather than an address is a source recipient there, not the tenant.
 */
export function forwardsToTenant(
  m: Pick<MailboxObject, "ForwardingSmtpAddress" | "ForwardingAddress">,
  sharedDomain: string,
  mailboxes: readonly (Pick<MailboxObject, "PrimarySmtpAddress"> & Partial<Pick<MailboxObject, "Name" | "Alias">>)[] = [],
): boolean {
  let to = m.ForwardingSmtpAddress;
  if (m.ForwardingAddress) {
    // As Get-Mailbox prints it (a canonical name, DN, name or address): forwardingRecipient. One
    // that resolves to no address reads as not the tenant, so the user stays at the source.
    const r = forwardingRecipient(m.ForwardingAddress, findIn(mailboxes));
    to = r === undefined ? null : "address" in r ? r.address : r.mailbox.PrimarySmtpAddress;
  }
  if (!to) return false;
  const d = domainOf(bare(to));
  return d.endsWith(".onmicrosoft.com") || d.endsWith(`.${sharedDomain.toLowerCase()}`);
}

/**
 * pendingGroup (seed 1): who belongs in the group of users still at the source. Every listed
 * source user whose mailbox does not forward to Exchange Online yet, plus whoever is a member
 * now: a user already migrated is never added (member and forwarded, their mail would go round
 * between the two systems), and nobody is taken out here; users leave one by one, each just
 * before their forward goes on (MigratedMailbox). The safety gate models the same function.
 */
export function pendingMembers(
  listed: readonly string[],
  mailboxes: readonly (Pick<MailboxObject, "PrimarySmtpAddress" | "EmailAddresses" | "ForwardingSmtpAddress" | "ForwardingAddress"> & Partial<Pick<MailboxObject, "Name" | "Alias">> & { unconfirmed?: { was: string | null } })[],
  current: ReadonlySet<string>, sharedDomain: string): { all: string[]; added: string[] } {
  const forwarded = new Set<string>();
  for (const m of mailboxes) {
    // A vendor's change not yet confirmed (snapshot/vendorSource.ts): the forward it replaces may
    // still be in effect, so a maybe-forwarded user is never added (a member forwarded would loop).
    const maybe = m.unconfirmed?.was ? forwardsToTenant({ ForwardingSmtpAddress: m.unconfirmed.was, ForwardingAddress: null }, sharedDomain) : false;
    if (!maybe && !forwardsToTenant(m, sharedDomain, mailboxes)) continue;
    for (const a of [m.PrimarySmtpAddress, ...m.EmailAddresses]) forwarded.add(bare(a));
  }
  const added = [...new Set(listed.map(bare))].filter((u) => !current.has(u) && !forwarded.has(u));
  return { all: [...current, ...added], added };
}

/**
 * How many members one Update-DistributionGroupMember names in a fill. "Cmdlets backed by the REST
 * API have a 15-minute timeout, which can affect bulk operations", and an Update naming 10,000
 * members "might time out": "Instead, use the Update-DistributionGroupMember command to update
 * fewer members, and then add the remaining members individually using an
 * Add-DistributionGroupMember command", with $Members[0..4999] as its example
 * (exchange-online-powershell-v2.md). The cmdlet's own cap is 10,000 (Update-DistributionGroupMember.md).
 */
export const FILL_UPDATE_MAX = 5_000;

/**
 * pendingGroup's fill as commands, for the group resource's run and the safety gate's model alike
 * (one plan): one Update naming today's members and the first of the added ones, up to
 * FILL_UPDATE_MAX, then one Add for each added user beyond it. An Update replaces the whole
 * membership, so it is used only while it can name every member the group has today; past that
 * every added user gets an Add, and no member is ever taken out, even for a moment.
 */
export function pendingFill(group: string, fill: { all: readonly string[]; added: readonly string[] }, current: ReadonlySet<string>): Command[] {
  if (fill.added.length === 0) return [];
  const add = (m: string) => AddDistributionGroupMember({ Identity: group, Member: m, ...bypass });
  if (current.size >= FILL_UPDATE_MAX) return fill.added.map(add);
  // `all` is today's members, then the added ones (pendingMembers).
  const head = fill.all.slice(0, FILL_UPDATE_MAX);
  return [UpdateDistributionGroupMember({ Identity: group, Members: [...head], Confirm: false, ...bypass }), ...fill.all.slice(FILL_UPDATE_MAX).map(add)];
}

/**
 * Runs a fill (pendingFill): the Update first, since it names today's members too, then the Adds
 * side by side over the pool's sessions. An Add of a member an earlier, interrupted run added is
 * done; every Add is waited for before the first failure is thrown, so none runs on unwatched.
 */
export async function runFill(pool: SessionPool, commands: Command[]): Promise<void> {
  const run = async (c: Command) => {
    try {
      await afterNew(pool, c);
    } catch (e) {
      if (!isAlreadyExists(e)) throw e;
    }
  };
  const [first, ...rest] = commands;
  if (first) await run(first);
  const failed = (await Promise.allSettled(rest.map(run))).find((r): r is PromiseRejectedResult => r.status === "rejected");
  if (failed) throw failed.reason;
}
