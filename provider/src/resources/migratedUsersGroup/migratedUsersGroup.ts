import { z } from "zod";
import { DistributionGroupObject, GetDistributionGroup, GetGroup, GroupObject, NewDistributionGroup, RemoveDistributionGroup, SetDistributionGroup, SetGroup } from "../../exchange/cmdlets";
import { domainOf } from "../../exchange/addresses";
import { sourceKindOf } from "../../exchange/targets";
import { vendorSource } from "../../snapshot/vendorSource";
import { statesNow } from "../migratedMailbox/vendorSteps";
import { members as membersOf, pendingFill, pendingMembers, remember, runFill, sourceMailboxes } from "../groupMembers";
import { Identity, Name64, SmtpAddress } from "../../exchange/command";
import { address, caseless, caselessSet, exact } from "../compare";
import { Context } from "../context";
import { Definition } from "../definition";
import { afterNew, conflict, createOnce, getOne, removeIfPresent } from "../operations";
import { Claimed, mayAdopt, foreign, marked, mayDelete, Owner, ownerOf } from "../ownership";

/**
 * The coexist group. migratedGroup (seed 2): "Migrated Users", the coexistence rule's exception;
 * its members are not managed here but by each MigratedMailbox, so that joining the group and
 * turning on source forwarding happen in one per-user resource, in the loop-free order.
 * pendingGroup (seed 1): the group of users still at the source, the rule's condition. Seed 1
 * "add[s] all users to the distribution group"; here the listed source users (`pending`) join
 * in one Update-DistributionGroupMember (up to 5,000 per call, then one Add each) instead of one Add each, except
 * those already forwarded to Exchange Online (groupMembers.ts pendingMembers). Each migrating
 * user then leaves it in their own MigratedMailbox, just before their forward goes on.
 */
export const MigratedUsersGroupInputs = z.object({
  name: Name64.default("Migrated Users"),
  primarySmtpAddress: SmtpAddress.transform((s) => s.toLowerCase()),
  /** Owners. Required: under app-only auth there is no signed-in user to become the owner. */
  managedBy: z.array(Identity).min(1, "needs at least one owner (ManagedBy) under app-only authentication").max(10),
  hiddenFromAddressLists: z.boolean().default(true),
  /** pendingGroup: every source user (coexist:sourceUsers), lower case; absent in migratedGroup. */
  pending: z.array(SmtpAddress.transform((s) => s.toLowerCase())).optional(),
  /** The stack that owns it, `<project>/<stack>`: its marker ends the group's Notes (ownership.ts). */
  owner: Owner.optional(),
});
export type MigratedUsersGroupInputs = z.output<typeof MigratedUsersGroupInputs>;
export type MigratedUsersGroupOutputs = MigratedUsersGroupInputs & { liveHidden: boolean };

const bypass = { BypassSecurityGroupManagerCheck: true } as const;

const newGroup = (i: MigratedUsersGroupInputs) =>
  NewDistributionGroup({
    Name: i.name,
    PrimarySmtpAddress: i.primarySmtpAddress,
    ManagedBy: i.managedBy,
    Type: "Distribution",
    MemberJoinRestriction: "Closed",
    MemberDepartRestriction: "Closed",
    Notes: marked(notes(i), i.owner)!,
  });

const notes = (i: MigratedUsersGroupInputs) =>
  i.pending
    ? "Managed by coexist: members are users whose mailbox still lives at the source; mail for them goes there."
    : "Managed by coexist: members are users whose mailbox lives in Exchange Online.";

/** The group's Notes: on the group object, read with Get-Group by GUID (exchange/cmdlets/distributionGroup.ts GetGroup). */
const notesOf = async (ctx: Context, guid: string) => (await getOne<GroupObject>(ctx.exchange, GetGroup({ Identity: guid })))?.Notes ?? null;
/** Writes this stack's marker into the group's Notes, keeping the text there. */
const markGroup = (guid: string, had: string | null, owner: string | undefined) => SetGroup({ Identity: guid, Notes: marked(had, owner), ...bypass });
const claimed = (name: string): Claimed => ({ kind: "Group", name, field: "Notes", rename: "coexist:names.group and coexist:names.groupAddress" });


/**
 * The fill as a review shows it, before any read: the listed users not in `had` (on an update,
 * the last declared list), with pendingMembers' own rule. The run reads the live members and the
 * source's forwards instead, so it leaves out users already forwarded.
 */
const plannedFill = (i: MigratedUsersGroupInputs, had: ReadonlySet<string>) =>
  pendingFill(i.primarySmtpAddress, pendingMembers(i.pending ?? [], [], had, domainOf(i.primarySmtpAddress)), had);

/**
 * pendingGroup: adds the listed source users not yet forwarded to Exchange Online and not yet
 * members; one list read of each side, then one Update of at most FILL_UPDATE_MAX members and one
 * Add for each beyond it (pendingFill), the Adds spread over the pool's sessions.
 */
async function fill(ctx: Context, group: string, i: MigratedUsersGroupInputs): Promise<void> {
  if (!i.pending) return;
  const current = (await membersOf(ctx.exchange, group)) ?? new Set<string>();
  const members = pendingMembers(i.pending, await forwardings(ctx, i.pending, domainOf(i.primarySmtpAddress)), current, domainOf(i.primarySmtpAddress));
  await runFill(ctx.exchange, pendingFill(group, members, current));
  for (const m of members.added) remember(group, m, true);
}
/**
 * Who forwards now: an Exchange or Google source's one list read; a vendor's, which nothing can
 * read, is its ledger (the same vendorSource the safety gate's snapshot is built from), a change
 * the vendor has not confirmed counting both ways.
 */
async function forwardings(ctx: Context, listed: readonly string[], domain: string): Promise<Parameters<typeof pendingMembers>[1]> {
  if (sourceKindOf(ctx.config.source) !== "vendor") return sourceMailboxes(ctx.source);
  return vendorSource(domain, ctx.config.vendor?.name ?? "the vendor", listed, await statesNow(ctx.config.vendor)).mailboxes;
}

const removeGroup = (identity: string) => RemoveDistributionGroup({ Identity: identity, Confirm: false, ...bypass });

const outputs = (inputs: MigratedUsersGroupInputs, g: DistributionGroupObject): MigratedUsersGroupOutputs => ({
  ...inputs,
  name: g.Name,
  primarySmtpAddress: g.PrimarySmtpAddress.toLowerCase(),
  liveHidden: g.HiddenFromAddressListsEnabled,
});

/**
 * Brings name, visibility and (when asked) owners to what is declared. ManagedBy comes back from
 * Exchange as display names, not as declared, so it is compared against the last declaration.
 */
async function converge(ctx: Context, identity: string, want: MigratedUsersGroupInputs, have: DistributionGroupObject | undefined, owners: boolean): Promise<void> {
  const change: Parameters<typeof SetDistributionGroup>[0] = { Identity: identity, ...bypass };
  if (have && have.Name !== want.name) change.Name = want.name;
  if (!have || have.HiddenFromAddressListsEnabled !== want.hiddenFromAddressLists) change.HiddenFromAddressListsEnabled = want.hiddenFromAddressLists;
  if (owners) change.ManagedBy = want.managedBy;
  if (Object.keys(change).length > 2) await afterNew(ctx.exchange, SetDistributionGroup(change));
}

export const migratedUsersGroup: Definition<typeof MigratedUsersGroupInputs, MigratedUsersGroupOutputs> = {
  name: "MigratedUsersGroup",
  resourceName: (i) => (i.pending ? "pending-users" : "migrated-users"),
  inputs: MigratedUsersGroupInputs,
  replaceOn: [],
  deleteBeforeReplace: false,
  compare: { name: caseless, primarySmtpAddress: address, managedBy: caselessSet, owner: exact },
  plan: {
    create: (news) => [
      newGroup(news),
      ...(news.hiddenFromAddressLists ? [SetDistributionGroup({ Identity: news.name, HiddenFromAddressListsEnabled: true, ...bypass })] : []),
      ...plannedFill(news, new Set()),
    ],
    update: (olds, news) => [
      SetDistributionGroup({
        Identity: olds.primarySmtpAddress,
        Name: news.name,
        PrimarySmtpAddress: news.primarySmtpAddress,
        HiddenFromAddressListsEnabled: news.hiddenFromAddressLists,
        ...(caselessSet(olds.managedBy, news.managedBy) ? {} : { ManagedBy: news.managedBy }),
        ...bypass,
      }),
      // A stack without a marker yet (state from before markers): its own text, marked.
      ...(olds.owner !== news.owner && news.owner !== undefined ? [SetGroup({ Identity: news.name, Notes: marked(notes(news), news.owner), ...bypass })] : []),
      ...plannedFill(news, new Set(olds.pending ?? [])),
    ],
    delete: (olds) => [removeGroup(olds.primarySmtpAddress)],
  },
  drift: (outs) => (outs.liveHidden !== outs.hiddenFromAddressLists ? ["hiddenFromAddressLists"] : []),

  async claim(ctx, inputs) {
    const existing = await getOne<DistributionGroupObject>(ctx.exchange, GetDistributionGroup({ Identity: inputs.primarySmtpAddress }));
    if (existing) mayAdopt(claimed(inputs.name), await notesOf(ctx, existing.Guid), inputs.owner, ctx.config.adopt, inputs.primarySmtpAddress);
  },

  async create(ctx, inputs) {
    const existing = await getOne<DistributionGroupObject>(ctx.exchange, GetDistributionGroup({ Identity: inputs.primarySmtpAddress }));
    if (existing) {
      // Another stack's, or unmarked and not in coexist:adopt: refused before anything is written.
      const had = await notesOf(ctx, existing.Guid);
      const how = mayAdopt(claimed(inputs.name), had, inputs.owner, ctx.config.adopt, inputs.primarySmtpAddress);
      const differences = [
        ...(existing.Name.toLowerCase() !== inputs.name.toLowerCase() ? [`name is '${existing.Name}'`] : []),
        ...(existing.RecipientTypeDetails !== "MailUniversalDistributionGroup" ? [`it is a ${existing.RecipientTypeDetails}`] : []),
      ];
      if (differences.length > 0) throw conflict("Group", inputs.primarySmtpAddress, differences);
      if (how === "adopt") await ctx.exchange.run(markGroup(existing.Guid, had, inputs.owner));
      await converge(ctx, existing.Guid, inputs, existing, true); // adopt: an earlier run created it
      await fill(ctx, existing.PrimarySmtpAddress.toLowerCase(), inputs);
      const now = (await getOne<DistributionGroupObject>(ctx.exchange, GetDistributionGroup({ Identity: existing.Guid })))!;
      return { id: existing.Guid, outs: outputs(inputs, now) };
    }
    // Read back after an unknown outcome, it is this call's only when it carries this stack's marker.
    const readBack = async () => {
      const g = await getOne<DistributionGroupObject>(ctx.exchange, GetDistributionGroup({ Identity: inputs.primarySmtpAddress }));
      return g && ownerOf(await notesOf(ctx, g.Guid)) === inputs.owner ? g : undefined;
    };
    const created = await createOnce(ctx.exchange, newGroup(inputs), readBack);
    await converge(ctx, created.Guid, inputs, undefined, false);
    await fill(ctx, created.PrimarySmtpAddress.toLowerCase(), inputs);
    return { id: created.Guid, outs: outputs(inputs, { ...created, HiddenFromAddressListsEnabled: inputs.hiddenFromAddressLists }) };
  },

  async read(ctx, id, outs) {
    const g = await getOne<DistributionGroupObject>(ctx.exchange, GetDistributionGroup({ Identity: id }));
    return g ? outputs(outs, g) : undefined;
  },

  async update(ctx, id, olds, news) {
    const have = await getOne<DistributionGroupObject>(ctx.exchange, GetDistributionGroup({ Identity: id }));
    if (!have) throw new Error(`MigratedUsersGroup: group ${id} no longer exists; run \`pulumi refresh\` to recreate it`);
    if (!address(have.PrimarySmtpAddress, news.primarySmtpAddress)) {
      await ctx.exchange.run(SetDistributionGroup({ Identity: id, PrimarySmtpAddress: news.primarySmtpAddress, ...bypass }));
    }
    await converge(ctx, id, news, have, !caselessSet(olds.managedBy, news.managedBy));
    if (olds.owner !== news.owner && news.owner !== undefined) {
      const had = await notesOf(ctx, id);
      const found = ownerOf(had);
      // Marking a group from before markers; never taking over one another stack marked meanwhile.
      if (found !== undefined && found !== news.owner) throw foreign(claimed(have.Name), found, news.owner);
      await ctx.exchange.run(markGroup(id, had, news.owner));
    }
    await fill(ctx, news.primarySmtpAddress, news);
    const now = (await getOne<DistributionGroupObject>(ctx.exchange, GetDistributionGroup({ Identity: id })))!;
    return outputs(news, now);
  },

  async delete(ctx, id, outs) {
    const live = await getOne<DistributionGroupObject>(ctx.exchange, GetDistributionGroup({ Identity: id }));
    if (!live) return;
    mayDelete(claimed(live.Name), await notesOf(ctx, id), outs.owner);
    await removeIfPresent(ctx.exchange, removeGroup(id));
  },
};
