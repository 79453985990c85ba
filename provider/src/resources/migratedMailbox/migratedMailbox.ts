import { z } from "zod";
import {
  AddDistributionGroupMember,
  GetDistributionGroupMember,
  GetMailbox,
  MailboxObject,
  RecipientObject,
  RemoveDistributionGroupMember,
  SetMailbox,
} from "../../exchange/cmdlets";
import { Identity, SmtpAddress } from "../../exchange/command";
import { isAlreadyExists, isNotFound } from "../../exchange/errors";
import { SessionPool } from "../../pool/sessionPool";
import { address, exact } from "../compare";
import { Context } from "../context";
import { Definition } from "../definition";
import { programRan } from "../cleanupGuard";
import { getOne } from "../operations";

/**
 * One migrated user. The order is the point (mail-flow.md): a user the source forwards to the
 * tenant before they are in the Migrated Users group loops between the two systems. So create
 * joins the group first and then turns on source forwarding; delete (rollback or cleanup)
 * turns forwarding off first and then leaves the group. Both halves live in this one resource
 * so Pulumi can never run them in the wrong order.
 */
const lower = SmtpAddress.transform((s) => s.toLowerCase());
export const MigratedMailboxInputs = z.object({
  emailAddress: lower,
  /** The Migrated Users group (its primary SMTP address). */
  group: lower,
  /** The tenant routing address the source forwards to, e.g. alias@contoso.onmicrosoft.com. */
  forwardTo: lower,
  /** The mailbox on the source, when its identity is not the email address. */
  sourceIdentity: Identity.optional(),
  /** Keep a copy at the source (usually false: the mailbox has moved). */
  deliverToMailboxAndForward: z.boolean().default(false),
  /** Also add this address as a proxy address of the source mailbox (seed 1). */
  proxyAddress: lower.optional(),
  /**
   * Clear a ForwardingAddress the source mailbox has (seed 1 prepares mailboxes with one): it
   * wins over ForwardingSmtpAddress (Set-Mailbox reference), so coexist's forward would do
   * nothing. Cleared with the forward, put back on rollback.
   */
  clearForwardingAddress: z.boolean().default(false),
});
export type MigratedMailboxInputs = z.output<typeof MigratedMailboxInputs>;
export type MigratedMailboxOutputs = MigratedMailboxInputs & {
  isMember: boolean;
  forwardingSmtpAddress: string | null;
  /** What Get-Mailbox reports now (null once cleared, or when there never was one). */
  forwardingAddress?: string | null;
  /** The ForwardingAddress coexist cleared, restored on delete. */
  savedForwardingAddress?: string | null;
};

const bypass = { BypassSecurityGroupManagerCheck: true } as const;
const sourceId = (i: MigratedMailboxInputs) => i.sourceIdentity ?? i.emailAddress;

/**
 * Group membership for refresh: one Get-DistributionGroupMember per group per half minute
 * instead of one per user, kept current by this process's own Add/Remove.
 */
const memberCache = new Map<string, { at: number; members: Set<string> }>();
const MEMBER_CACHE_MS = 30_000;

async function members(pool: SessionPool, group: string): Promise<Set<string> | undefined> {
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
const remember = (group: string, user: string, member: boolean) => {
  const hit = memberCache.get(group);
  if (hit) member ? hit.members.add(user) : hit.members.delete(user);
};

/**
 * The source's mailboxes, listed once per provider process (one run) for every create in it (one
 * Get-Mailbox -ResultSize Unlimited, not one read per user): what a create checks first. The run
 * started with the safety gate's own read of the same list, so a re-read adds nothing but time.
 */
let sourceList: { pool: SessionPool; byKey: Promise<Map<string, MailboxObject>> } | undefined;
function sourceMailboxes(pool: SessionPool): Promise<Map<string, MailboxObject>> {
  if (!sourceList || sourceList.pool !== pool) {
    const byKey = pool.run(GetMailbox({ ResultSize: "Unlimited" })).then((list) => {
      const map = new Map<string, MailboxObject>();
      for (const m of list as MailboxObject[]) for (const k of [m.Identity, m.Name, m.Alias, m.PrimarySmtpAddress, ...m.EmailAddresses]) map.set(k.replace(/^smtp:/i, "").toLowerCase(), m);
      return map;
    });
    sourceList = { pool, byKey };
    byKey.catch(() => (sourceList = undefined));
  }
  return sourceList.byKey;
}

/**
 * A create refuses a source mailbox with a ForwardingAddress unless told to clear it: it wins
 * over ForwardingSmtpAddress ("the value of ForwardingSmtpAddress is ignored", Set-Mailbox
 * reference), so the user's mail would keep going wherever it points. Returns the value to
 * restore on delete.
 */
async function forwardingAddressOf(ctx: Context, i: MigratedMailboxInputs): Promise<string | null> {
  const m = (await sourceMailboxes(ctx.source)).get(sourceId(i).toLowerCase());
  const fa = m?.ForwardingAddress ?? null;
  if (fa && !i.clearForwardingAddress) {
    throw new Error(
      `MigratedMailbox ${i.emailAddress}: the source mailbox has ForwardingAddress ${fa}, which wins over the ForwardingSmtpAddress coexist sets, ` +
        `so its mail would not follow the move. Remove it at the source, or set coexist:clearForwardingAddress true to have coexist clear it and put it back on rollback.`,
    );
  }
  return fa;
}

// The four commands a migrated user ever needs; create/update/delete and the change-review
// plan are all built from these, so the plan shows exactly what runs.
export const joinGroup = (i: MigratedMailboxInputs) => AddDistributionGroupMember({ Identity: i.group, Member: i.emailAddress, ...bypass });
export const leaveGroup = (i: MigratedMailboxInputs) =>
  RemoveDistributionGroupMember({ Identity: i.group, Member: i.emailAddress, Confirm: false, ...bypass });
export function forwardOn(i: MigratedMailboxInputs, oldProxy?: string) {
  const add = i.proxyAddress ? [i.proxyAddress] : [];
  const remove = oldProxy && oldProxy !== i.proxyAddress ? [oldProxy] : [];
  return SetMailbox({
    Identity: sourceId(i),
    ...(i.clearForwardingAddress ? { ForwardingAddress: null } : {}),
    ForwardingSmtpAddress: i.forwardTo,
    DeliverToMailboxAndForward: i.deliverToMailboxAndForward,
    ...(add.length + remove.length > 0 ? { EmailAddresses: { ...(add.length ? { Add: add } : {}), ...(remove.length ? { Remove: remove } : {}) } } : {}),
  });
}
export const forwardOff = (i: MigratedMailboxInputs & { savedForwardingAddress?: string | null }) =>
  SetMailbox({
    Identity: sourceId(i),
    ...(i.clearForwardingAddress && i.savedForwardingAddress ? { ForwardingAddress: i.savedForwardingAddress } : {}),
    ForwardingSmtpAddress: null,
    DeliverToMailboxAndForward: false,
    ...(i.proxyAddress ? { EmailAddresses: { Remove: [i.proxyAddress] } } : {}),
  });

async function join(ctx: Context, i: MigratedMailboxInputs): Promise<void> {
  try {
    await ctx.exchange.run(joinGroup(i));
  } catch (e) {
    if (!isAlreadyExists(e)) throw e; // already a member: an earlier, interrupted run got this far
  }
  remember(i.group, i.emailAddress, true);
}

async function leave(ctx: Context, i: MigratedMailboxInputs): Promise<void> {
  try {
    await ctx.exchange.run(leaveGroup(i));
  } catch (e) {
    if (!isNotFound(e)) throw e; // not a member, or the group is gone: nothing left to undo
  }
  remember(i.group, i.emailAddress, false);
}

async function unforward(ctx: Context, i: MigratedMailboxOutputs): Promise<void> {
  try {
    await ctx.source.run(forwardOff(i));
  } catch (e) {
    if (!isNotFound(e)) throw e; // the source mailbox is gone: it forwards nothing
  }
}

export const migratedMailbox: Definition<typeof MigratedMailboxInputs, MigratedMailboxOutputs> = {
  name: "MigratedMailbox",
  resourceName: (i) => i.emailAddress,
  inputs: MigratedMailboxInputs,
  replaceOn: ["emailAddress", "group", "sourceIdentity"],
  deleteBeforeReplace: true,
  compare: { emailAddress: address, group: address, forwardTo: address, sourceIdentity: address, deliverToMailboxAndForward: exact, proxyAddress: address,
    // Absent in state written before the setting existed: the same as off.
    clearForwardingAddress: (a, b) => Boolean(a) === Boolean(b) },
  plan: {
    create: (news) => [joinGroup(news), forwardOn(news)],
    update: (olds, news) => [joinGroup(news), forwardOn(news, olds.proxyAddress)],
    delete: (olds) => [forwardOff(olds), leaveGroup(olds)],
  },
  drift: (outs) => [
    ...(!outs.isMember ? ["isMember"] : []),
    ...(!address(outs.forwardingSmtpAddress, outs.forwardTo) ? ["forwardingSmtpAddress"] : []),
    // Set by hand after coexist's forward: it silently takes over (ForwardingAddress wins).
    ...(outs.forwardingAddress ? ["forwardingAddress"] : []),
  ],

  async create(ctx, inputs) {
    const saved = await forwardingAddressOf(ctx, inputs);
    await join(ctx, inputs); // first: a forwarded user outside the group would loop
    await ctx.source.run(forwardOn(inputs));
    return {
      id: inputs.emailAddress,
      // Present only when there is something to keep: a few bytes per user add up in state.
      outs: { ...inputs, isMember: true, forwardingSmtpAddress: inputs.forwardTo, ...(saved ? { savedForwardingAddress: saved } : {}) },
    };
  },

  async read(ctx, _id, outs) {
    const mailbox = await getOne<MailboxObject>(ctx.source, GetMailbox({ Identity: sourceId(outs) }));
    const isMember = (await members(ctx.exchange, outs.group))?.has(outs.emailAddress) ?? false;
    if (!mailbox && !isMember) return undefined;
    const forwarding = mailbox?.ForwardingSmtpAddress?.replace(/^smtp:/i, "").toLowerCase() ?? null;
    const { forwardingAddress: _stale, ...rest } = outs;
    return { ...rest, isMember, forwardingSmtpAddress: forwarding, ...(mailbox?.ForwardingAddress ? { forwardingAddress: mailbox.ForwardingAddress } : {}) };
  },

  async update(ctx, _id, olds, news) {
    const saved = olds.savedForwardingAddress ?? (await forwardingAddressOf(ctx, news));
    await join(ctx, news);
    await ctx.source.run(forwardOn(news, olds.proxyAddress));
    return { ...news, isMember: true, forwardingSmtpAddress: news.forwardTo, ...(saved ? { savedForwardingAddress: saved } : {}) };
  },

  async delete(ctx, _id, outs) {
    await unforward(ctx, outs); // first: leaving the group while still forwarded would loop
    // In the cleanup (`pulumi destroy`) the user stays a member until the group itself goes,
    // after the rules: a user out of the group while the coexistence rule still runs would have
    // internet mail (MX now at Exchange Online) routed back to the source.
    if (programRan()) await leave(ctx, outs);
  },
};
