import { z } from "zod";
import { clearedForward, KeptForwards, type KeptForward } from "../migratedMailboxes/keptForwards";
import { GmailDisposition } from "../../exchange/cmdlets";
import { UserError } from "../../host/quietErrors";
import { Identity, SmtpAddress } from "../../exchange/command";
import { isNotFound } from "../../exchange/errors";
import { Definition } from "../definition";
import { programRan } from "../cleanupGuard";
import { commandsOf, type PlannedUser, type UserSettings } from "../migratedMailboxes/userPlan";
import { sourceOf } from "../migratedMailboxes/sources";

/**
 * The inputs of the per-user resource stacks had before MigratedMailboxes (below): kept so that
 * their state still parses.
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
  /** pendingGroup: `group` is the group of users still at the source. Absent: migratedGroup. */
  routing: z.literal("pendingGroup").optional(),
  /**
   * The routing address in a subdomain of the shared domain, added to the user's Exchange Online
   * mailbox (tenant Set-Mailbox -EmailAddresses @{Add}) before the forward, removed after it.
   */
  tenantAddress: lower.optional(),
  /** The source's kind (coexist:source): absent for an Exchange source. */
  source: z.enum(["google-workspace", "vendor"]).optional(),
  /** Gmail: what Gmail does with its copy of a forwarded message (coexist:google.disposition). */
  disposition: GmailDisposition.optional(),
  /** Gmail: a rollback or cleanup leaves the forwarding address (coexist:google.removeForwardingAddress false). */
  keepForwardingAddress: z.literal(true).optional(),
  /**
   * Vendor: rolled back, and the vendor asked to remove the forward. The user stays out of the
   * rule's reach until the vendor confirms: back in it while maybe still forwarded would loop.
   */
  vendorRemoval: z.literal("requested").optional(),
});
export type MigratedMailboxInputs = z.output<typeof MigratedMailboxInputs>;
export type MigratedMailboxOutputs = MigratedMailboxInputs & {
  isMember: boolean;
  forwardingSmtpAddress: string | null;
  /** Gmail: the disposition auto-forwarding has now (null when off). */
  forwardingDisposition?: string | null;
  /** What Get-Mailbox reports now (null once cleared, or when there never was one). */
  forwardingAddress?: string | null;
  /** The ForwardingAddress coexist cleared, restored on delete. */
  savedForwardingAddress?: string | null;
};

/** The stack-wide settings and the user as the one plan's functions take them. */
function asPlanned(o: MigratedMailboxOutputs): { settings: UserSettings; user: PlannedUser } {
  const settings: UserSettings = {
    domain: o.emailAddress.slice(o.emailAddress.lastIndexOf("@") + 1),
    group: o.group,
    ...(o.routing ? { routing: o.routing } : {}),
    ...(o.source ? { source: o.source } : {}),
    deliverToMailboxAndForward: o.deliverToMailboxAndForward,
    clearForwardingAddress: Boolean(o.clearForwardingAddress),
    ...(o.disposition ? { disposition: o.disposition } : {}),
    ...(o.keepForwardingAddress ? { keepForwardingAddress: true as const } : {}),
  };
  const user: PlannedUser = { emailAddress: o.emailAddress, forwardTo: o.forwardTo, action: "migrate", ...(o.sourceIdentity ? { sourceIdentity: o.sourceIdentity } : {}), ...(o.proxyAddress ? { proxyAddress: o.proxyAddress } : {}) };
  return { settings, user };
}

const replaced = (i: { emailAddress: string }) =>
  new UserError(`MigratedMailbox ${i.emailAddress}: one resource per user is replaced by MigratedMailboxes (every user in one resource, planned from the live tenant and source); the coexist program declares it`);

/**
 * The per-user resource of stacks made before MigratedMailboxes (issue 24), kept so their state
 * still loads: their first \`pulumi up\` declares no MigratedMailbox, and the engine deletes each,
 * which only forgets it (MigratedMailboxes plans that user from the live tenant and source). A
 * \`pulumi destroy\` of a stack never upgraded cleans the user up as before: the forward off (a
 * cleared ForwardingAddress put back), then the routing subdomain address; the membership stays.
 */
/** The ForwardingAddress this old resource cleared, as the one plan keeps forwards. */
const savedOf = (o: { savedForwardingAddress?: string | null }): KeptForward | undefined =>
  o.savedForwardingAddress ? clearedForward(o.savedForwardingAddress) : undefined;

export const migratedMailbox: Definition<typeof MigratedMailboxInputs, MigratedMailboxOutputs> = {
  name: "MigratedMailbox",
  resourceName: (i) => i.emailAddress,
  inputs: MigratedMailboxInputs,
  replaceOn: [],
  deleteBeforeReplace: false,
  plan: {
    create: () => [],
    update: () => [],
    delete: (olds) => {
      const { settings, user } = asPlanned(olds);
      const kept = savedOf(olds);
      return settings.source === "vendor" ? [] : [...sourceOf(settings).cleanupCommands(settings, { ...user, ...(kept ? { kept } : {}) }), ...commandsOf(settings, user, "dropAddress")];
    },
  },
  async create(_ctx, inputs) {
    throw replaced(inputs);
  },
  async read(_ctx, _id, outs) {
    return outs;
  },
  async update(_ctx, _id, _olds, news) {
    throw replaced(news);
  },
  async delete(ctx, _id, outs) {
    if (programRan()) return; // an up of the current program: forgotten, never undone
    const { settings, user } = asPlanned(outs);
    const kept = savedOf(outs);
    const memory = { kept: KeptForwards.inMemory(kept ? [[user.emailAddress, kept]] : []), notRestored: {} };
    await sourceOf(settings).cleanup(ctx, settings, user, memory);
    const [drop] = commandsOf(settings, user, "dropAddress");
    if (drop && settings.source !== "vendor") {
      try {
        await ctx.exchange.run(drop);
      } catch (e) {
        if (!isNotFound(e)) throw e;
      }
    }
  },
};
