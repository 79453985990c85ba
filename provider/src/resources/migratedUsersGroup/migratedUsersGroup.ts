import { z } from "zod";
import {
  DistributionGroupObject,
  GetDistributionGroup,
  NewDistributionGroup,
  RemoveDistributionGroup,
  SetDistributionGroup,
} from "../../exchange/cmdlets";
import { Identity, Name64, SmtpAddress } from "../../exchange/command";
import { address, caseless, caselessSet } from "../compare";
import { Context } from "../context";
import { Definition } from "../definition";
import { afterNew, conflict, getOne, removeIfPresent } from "../operations";

/**
 * The "Migrated Users" distribution group: the coexistence rule's exception. Its members are
 * not managed here but by each MigratedMailbox, so that joining the group and turning on source
 * forwarding happen in one per-user resource, in the loop-free order.
 */
export const MigratedUsersGroupInputs = z.object({
  name: Name64.default("Migrated Users"),
  primarySmtpAddress: SmtpAddress.transform((s) => s.toLowerCase()),
  /** Owners. Required: under app-only auth there is no signed-in user to become the owner. */
  managedBy: z.array(Identity).min(1, "needs at least one owner (ManagedBy) under app-only authentication").max(10),
  hiddenFromAddressLists: z.boolean().default(true),
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
    Notes: "Managed by coexist: members are users whose mailbox lives in Exchange Online.",
  });
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
  resourceName: () => "migrated-users",
  inputs: MigratedUsersGroupInputs,
  replaceOn: [],
  deleteBeforeReplace: false,
  compare: { name: caseless, primarySmtpAddress: address, managedBy: caselessSet },
  plan: {
    create: (news) => [newGroup(news), ...(news.hiddenFromAddressLists ? [SetDistributionGroup({ Identity: news.name, HiddenFromAddressListsEnabled: true, ...bypass })] : [])],
    update: (olds, news) => [
      SetDistributionGroup({
        Identity: olds.primarySmtpAddress,
        Name: news.name,
        PrimarySmtpAddress: news.primarySmtpAddress,
        HiddenFromAddressListsEnabled: news.hiddenFromAddressLists,
        ...(caselessSet(olds.managedBy, news.managedBy) ? {} : { ManagedBy: news.managedBy }),
        ...bypass,
      }),
    ],
    delete: (olds) => [removeGroup(olds.primarySmtpAddress)],
  },
  drift: (outs) => (outs.liveHidden !== outs.hiddenFromAddressLists ? ["hiddenFromAddressLists"] : []),

  async create(ctx, inputs) {
    const existing = await getOne<DistributionGroupObject>(ctx.exchange, GetDistributionGroup({ Identity: inputs.primarySmtpAddress }));
    if (existing) {
      const differences = [
        ...(existing.Name.toLowerCase() !== inputs.name.toLowerCase() ? [`name is '${existing.Name}'`] : []),
        ...(existing.RecipientTypeDetails !== "MailUniversalDistributionGroup" ? [`it is a ${existing.RecipientTypeDetails}`] : []),
      ];
      if (differences.length > 0) throw conflict("Group", inputs.primarySmtpAddress, differences);
      await converge(ctx, existing.Guid, inputs, existing, true); // adopt: an earlier run created it
      const now = (await getOne<DistributionGroupObject>(ctx.exchange, GetDistributionGroup({ Identity: existing.Guid })))!;
      return { id: existing.Guid, outs: outputs(inputs, now) };
    }
    const [created] = (await ctx.exchange.run(newGroup(inputs))) as [DistributionGroupObject];
    await converge(ctx, created.Guid, inputs, undefined, false);
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
    const now = (await getOne<DistributionGroupObject>(ctx.exchange, GetDistributionGroup({ Identity: id })))!;
    return outputs(news, now);
  },

  async delete(ctx, id) {
    await removeIfPresent(ctx.exchange, removeGroup(id));
  },
};
