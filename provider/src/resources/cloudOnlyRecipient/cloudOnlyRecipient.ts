import { z } from "zod";
import { SmtpAddress } from "../../exchange/command";
import { address } from "../compare";
import { Definition } from "../definition";
import { programRan } from "../cleanupGuard";
import { join, joinGroup, leave, leaveGroup, members } from "../groupMembers";

/**
 * An Exchange-Online-only recipient in migratedGroup (seed 2): a new hire or shared mailbox with
 * no source mailbox. Outside the Migrated Users group the coexistence rule sends its mail to the
 * source, which has no such recipient: it bounces. So it joins the group, with no source step
 * (coexist:cloudOnly). In pendingGroup (seed 1) such recipients are simply never in the group.
 */
const lower = SmtpAddress.transform((s) => s.toLowerCase());
export const CloudOnlyRecipientInputs = z.object({
  emailAddress: lower,
  /** The Migrated Users group (its primary SMTP address). */
  group: lower,
});
export type CloudOnlyRecipientInputs = z.output<typeof CloudOnlyRecipientInputs>;
export type CloudOnlyRecipientOutputs = CloudOnlyRecipientInputs & { isMember: boolean };

export const cloudOnlyRecipient: Definition<typeof CloudOnlyRecipientInputs, CloudOnlyRecipientOutputs> = {
  name: "CloudOnlyRecipient",
  resourceName: (i) => i.emailAddress,
  inputs: CloudOnlyRecipientInputs,
  replaceOn: ["emailAddress", "group"],
  deleteBeforeReplace: true,
  compare: { emailAddress: address, group: address },
  plan: {
    create: (news) => [joinGroup(news)],
    update: (_olds, news) => [joinGroup(news)],
    delete: (olds) => [leaveGroup(olds)],
  },
  drift: (outs) => (outs.isMember ? [] : ["isMember"]),

  async create(ctx, inputs) {
    await join(ctx.exchange, inputs);
    return { id: inputs.emailAddress, outs: { ...inputs, isMember: true } };
  },

  async read(ctx, _id, outs) {
    const m = await members(ctx.exchange, outs.group);
    if (!m) return undefined; // the group is gone: so is this membership
    return { ...outs, isMember: m.has(outs.emailAddress) };
  },

  async update(ctx, _id, _olds, news) {
    await join(ctx.exchange, news);
    return { ...news, isMember: true };
  },

  async delete(ctx, _id, outs) {
    // In the cleanup the group itself goes (after the rules); taken off the list during an up, the
    // recipient leaves the group, and its mail follows the coexistence rule again.
    if (programRan()) await leave(ctx.exchange, outs);
  },
};
