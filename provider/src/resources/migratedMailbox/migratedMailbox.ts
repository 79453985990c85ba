import { z } from "zod";
import { GetMailbox, GmailDisposition, MailboxObject, SetMailbox, SetTenantMailbox } from "../../exchange/cmdlets";
import { UserError } from "../../host/quietErrors";
import * as gmail from "./gmailSteps";
import * as vendor from "./vendorSteps";
import { askedForward, released } from "../vendorLedger";
import { Identity, SmtpAddress } from "../../exchange/command";
import { isNotFound } from "../../exchange/errors";
import { SessionPool } from "../../pool/sessionPool";
import { join, joinGroup, leave, leaveGroup, members, sourceMailboxes } from "../groupMembers";
import { address, exact } from "../compare";
import { Context } from "../context";
import { Definition } from "../definition";
import { programRan } from "../cleanupGuard";
import { getOne } from "../operations";

/**
 * One migrated user. The order is the point (mail-flow.md): a user the source forwards to the
 * tenant while the coexistence rule still sends their Exchange Online mail to the source loops
 * between the two systems. So create first takes the user out of the rule's reach — joins the
 * Migrated Users group (migratedGroup, seed 2) or leaves the group of users still at the source
 * (pendingGroup, seed 1) — and then turns on source forwarding; delete (rollback or cleanup)
 * turns forwarding off first and then puts the membership back. With a routing subdomain
 * (seed 1's user@subdomain.domain.com) the user's Exchange Online mailbox gets that address
 * before the source forwards to it, and loses it last. All of it lives in this one resource so
 * Pulumi can never run the steps in the wrong order.
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

const sourceId = (i: MigratedMailboxInputs) => i.sourceIdentity ?? i.emailAddress;

const pending = (i: { routing?: string }) => i.routing === "pendingGroup";

/** The source's mailboxes by every key an identity may use, from the one list per process. */
let byKey: { list: Promise<MailboxObject[]>; map: Map<string, MailboxObject> } | undefined;
async function sourceMailbox(pool: SessionPool, identity: string): Promise<MailboxObject | undefined> {
  const list = sourceMailboxes(pool);
  if (byKey?.list !== list) {
    const map = new Map<string, MailboxObject>();
    for (const m of await list) for (const k of [m.Identity, m.Name, m.Alias, m.PrimarySmtpAddress, ...m.EmailAddresses]) map.set(k.replace(/^smtp:/i, "").toLowerCase(), m);
    byKey = { list, map };
  }
  return byKey.map.get(identity.toLowerCase());
}

/**
 * A create refuses a source mailbox with a ForwardingAddress unless told to clear it: it wins
 * over ForwardingSmtpAddress ("the value of ForwardingSmtpAddress is ignored", Set-Mailbox
 * reference), so the user's mail would keep going wherever it points. Returns the value to
 * restore on delete.
 */
async function forwardingAddressOf(ctx: Context, i: MigratedMailboxInputs): Promise<string | null> {
  const m = await sourceMailbox(ctx.source, sourceId(i));
  const fa = m?.ForwardingAddress ?? null;
  if (fa && !i.clearForwardingAddress) {
    throw new Error(
      `MigratedMailbox ${i.emailAddress}: the source mailbox has ForwardingAddress ${fa}, which wins over the ForwardingSmtpAddress coexist sets, ` +
        `so its mail would not follow the move. Remove it at the source, or set coexist:clearForwardingAddress true to have coexist clear it and put it back on rollback.`,
    );
  }
  return fa;
}

// The commands a migrated user ever needs; create/update/delete and the change-review plan are
// all built from these, so the plan shows exactly what runs.
/** Out of the coexistence rule's reach: into Migrated Users, or out of the pending group. */
export const takeOver = (i: MigratedMailboxInputs) => (pending(i) ? leaveGroup(i) : joinGroup(i));
/** Back in the rule's reach (rollback): out of Migrated Users, or back into the pending group. */
export const handBack = (i: MigratedMailboxInputs) => (pending(i) ? joinGroup(i) : leaveGroup(i));
export const addTenantAddress = (i: MigratedMailboxInputs, address: string) => SetTenantMailbox({ Identity: i.emailAddress, EmailAddresses: { Add: [address] } });
export const removeTenantAddress = (i: MigratedMailboxInputs, address: string) => SetTenantMailbox({ Identity: i.emailAddress, EmailAddresses: { Remove: [address] } });
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

const takeOverRun = (ctx: Context, i: MigratedMailboxInputs) => (pending(i) ? leave(ctx.exchange, i) : join(ctx.exchange, i));
const handBackRun = (ctx: Context, i: MigratedMailboxInputs) => (pending(i) ? join(ctx.exchange, i) : leave(ctx.exchange, i));

/** Idempotent (an Add of an address the mailbox holds changes nothing: SetTenantMailbox). */
async function withTenantAddress(ctx: Context, i: MigratedMailboxInputs, address: string | undefined, add: boolean): Promise<void> {
  if (!address) return;
  try {
    await ctx.exchange.run(add ? addTenantAddress(i, address) : removeTenantAddress(i, address));
  } catch (e) {
    if (add || !isNotFound(e)) throw e; // removing from a mailbox that is gone: nothing to undo
  }
}

/** The source step that turns the forward on (a vendor's: the worksheet row; a waiting rollback's: the removal row). */
async function forward(ctx: Context, i: MigratedMailboxInputs, olds?: MigratedMailboxOutputs): Promise<void> {
  if (i.source === "google-workspace") return gmail.forwardOn(ctx.source, i, olds);
  if (i.source === "vendor") return vendor.requestForward(ctx.config.vendor, i.emailAddress, i.forwardTo, i.vendorRemoval ? "remove" : "add");
  await ctx.source.run(forwardOn(i, olds?.proxyAddress));
}

async function unforward(ctx: Context, i: MigratedMailboxOutputs): Promise<void> {
  if (i.source === "google-workspace") return gmail.forwardOff(ctx.source, i);
  if (i.source === "vendor") return vendor.requestForward(ctx.config.vendor, i.emailAddress, i.forwardTo, "remove");
  try {
    await ctx.source.run(forwardOff(i));
  } catch (e) {
    if (!isNotFound(e)) throw e; // the source mailbox is gone: it forwards nothing
  }
}

/** The source-side commands a plan shows: a vendor's steps are worksheet rows, not commands. */
const planOn = (i: MigratedMailboxInputs, oldProxy?: string) =>
  i.source === "google-workspace" ? [gmail.addForwardingAddress(i), gmail.autoForwardingOn(i)] : i.source === "vendor" ? [] : [forwardOn(i, oldProxy)];
const planOff = (o: MigratedMailboxInputs) =>
  o.source === "google-workspace" ? [gmail.autoForwardingOff(o), ...(o.keepForwardingAddress ? [] : [gmail.removeForwardingAddress(o)])] : o.source === "vendor" ? [] : [forwardOff(o)];

/** A worksheet row as the change review shows it. */
const worksheetRow = (i: MigratedMailboxInputs, action: "add" | "remove") =>
  `worksheet: ${action} ${i.emailAddress} → ${i.forwardTo} (${action === "add" ? "written once the cmdlets above succeed" : "the membership stays until the vendor confirms it"})`;


/** The outputs once create or update ran: out of the rule's reach, forwarded (unless a removal was asked for). */
const applied = (i: MigratedMailboxInputs, saved: string | null): MigratedMailboxOutputs => ({
  ...i,
  isMember: true,
  forwardingSmtpAddress: i.vendorRemoval ? null : i.forwardTo,
  // Present only when there is something to keep: a few bytes per user add up in state.
  ...(saved ? { savedForwardingAddress: saved } : {}),
  ...(i.source === "google-workspace" ? { forwardingDisposition: i.disposition ?? "archive" } : {}),
});

export const migratedMailbox: Definition<typeof MigratedMailboxInputs, MigratedMailboxOutputs> = {
  name: "MigratedMailbox",
  resourceName: (i) => i.emailAddress,
  inputs: MigratedMailboxInputs,
  replaceOn: ["emailAddress", "group", "sourceIdentity", "routing", "source"],
  deleteBeforeReplace: true,
  compare: { emailAddress: address, group: address, forwardTo: address, sourceIdentity: address, deliverToMailboxAndForward: exact, proxyAddress: address,
    // Absent in state written before the setting existed: the same as off.
    clearForwardingAddress: (a, b) => Boolean(a) === Boolean(b), tenantAddress: address, routing: exact,
    source: exact, disposition: exact, keepForwardingAddress: exact, vendorRemoval: exact },
  plan: {
    create: (news) => [takeOver(news), ...(news.tenantAddress ? [addTenantAddress(news, news.tenantAddress)] : []), ...planOn(news)],
    update: (olds, news) => [
      takeOver(news),
      ...(news.tenantAddress ? [addTenantAddress(news, news.tenantAddress)] : []),
      ...(news.vendorRemoval ? [] : planOn(news, olds.proxyAddress)),
      // Gmail: a changed routing address, the old one deleted once auto-forwarding points at the new (gmailSteps.forwardOn).
      ...(news.source === "google-workspace" && !address(olds.forwardTo, news.forwardTo) && !news.keepForwardingAddress ? [gmail.removeForwardingAddress(news, olds.forwardTo)] : []),
      ...(olds.tenantAddress && !address(olds.tenantAddress, news.tenantAddress) && news.source !== "vendor" ? [removeTenantAddress(news, olds.tenantAddress)] : []),
    ],
    // The plan shows a rollback's; a cleanup (`pulumi destroy`) keeps the membership (see delete).
    delete: (olds) => [...planOff(olds), handBack(olds), ...(olds.tenantAddress ? [removeTenantAddress(olds, olds.tenantAddress)] : [])],
  },
  // A vendor's source step is a row of the stack's worksheet (vendorSteps.ts), for the consultant to send.
  asks: {
    create: (news) => (news.source === "vendor" ? [worksheetRow(news, news.vendorRemoval ? "remove" : "add")] : []),
    update: (olds, news) => (news.source !== "vendor" ? [] : news.vendorRemoval ? [worksheetRow(news, "remove")] : address(olds.forwardTo, news.forwardTo) && !olds.vendorRemoval ? [] : [worksheetRow(news, "add")]),
    delete: (olds) => (olds.source === "vendor" && !olds.vendorRemoval ? [worksheetRow(olds, "remove")] : []),
  },
  drift: (outs) => [
    // isMember means out of the rule's reach: a member of Migrated Users, no member of the pending group.
    ...(!outs.isMember ? ["isMember"] : []),
    // Nothing reads a vendor's forwarding: the ledger is what coexist asked for, not drift.
    ...(outs.source !== "vendor" && !address(outs.forwardingSmtpAddress, outs.forwardTo) ? ["forwardingSmtpAddress"] : []),
    // Gmail: the disposition changed by hand (while forwarding is on).
    ...(outs.source === "google-workspace" && outs.forwardingSmtpAddress && outs.forwardingDisposition !== (outs.disposition ?? "archive") ? ["forwardingDisposition"] : []),
    // Set by hand after coexist's forward: it silently takes over (ForwardingAddress wins).
    ...(outs.forwardingAddress ? ["forwardingAddress"] : []),
  ],

  async create(ctx, inputs) {
    // ForwardingAddress is an Exchange mailbox's; Gmail and a vendor have none coexist can see.
    const saved = inputs.source ? null : await forwardingAddressOf(ctx, inputs);
    await takeOverRun(ctx, inputs); // first: a forwarded user the rule still routes to the source would loop
    await withTenantAddress(ctx, inputs, inputs.tenantAddress, true); // before anything is forwarded to it
    await forward(ctx, inputs);
    return { id: inputs.emailAddress, outs: applied(inputs, saved) };
  },

  async read(ctx, _id, outs) {
    const member = (await members(ctx.exchange, outs.group))?.has(outs.emailAddress) ?? false;
    const isMember = pending(outs) ? !member : member;
    if (outs.source === "vendor") {
      // The vendor's system is not readable: the forward is what the ledger asked for.
      const s = await vendor.stateOf(ctx.config.vendor, outs.emailAddress);
      if (!s && !member) return undefined;
      return { ...outs, isMember, forwardingSmtpAddress: askedForward(s) };
    }
    if (outs.source === "google-workspace") {
      const now = await gmail.readForwarding(ctx.source, outs);
      if (!now && !member) return undefined;
      return { ...outs, isMember, forwardingSmtpAddress: now?.forwardingSmtpAddress ?? null, forwardingDisposition: now?.disposition ?? null };
    }
    const mailbox = await getOne<MailboxObject>(ctx.source, GetMailbox({ Identity: sourceId(outs) }));
    if (!mailbox && !member) return undefined;
    const forwarding = mailbox?.ForwardingSmtpAddress?.replace(/^smtp:/i, "").toLowerCase() ?? null;
    const { forwardingAddress: _stale, ...rest } = outs;
    return { ...rest, isMember, forwardingSmtpAddress: forwarding, ...(mailbox?.ForwardingAddress ? { forwardingAddress: mailbox.ForwardingAddress } : {}) };
  },

  async update(ctx, _id, olds, news) {
    const saved = news.source ? null : (olds.savedForwardingAddress ?? (await forwardingAddressOf(ctx, news)));
    await takeOverRun(ctx, news);
    await withTenantAddress(ctx, news, news.tenantAddress, true);
    await forward(ctx, news, olds);
    // A vendor may still forward to the old address until it confirms the change (or the removal):
    // it stays, a harmless leftover docs/runbook/vendor.md says to remove by hand once confirmed.
    if (olds.tenantAddress && !address(olds.tenantAddress, news.tenantAddress) && news.source !== "vendor") await withTenantAddress(ctx, news, olds.tenantAddress, false);
    return applied(news, saved);
  },

  async delete(ctx, _id, outs) {
    // A stack made before MigratedMailboxes (one resource for every user, issue 24): its first up
    // declares no MigratedMailbox, and MigratedMailboxes plans each user from the live tenant and
    // source. The old per-user resources are only forgotten; undoing them would roll users back.
    if (programRan()) return;
    await unforward(ctx, outs); // first: back in the rule's reach while still forwarded would loop
    if (outs.source === "vendor" && !released(await vendor.stateOf(ctx.config.vendor, outs.emailAddress))) {
      // Maybe still forwarded: the membership and the address stay. In a cleanup that is the plan
      // (members stay until the group goes); in a rollback the program keeps the user declared
      // until the vendor confirms, so reaching here means the user left every wave unconfirmed.
      if (programRan()) {
        throw new UserError(
          `MigratedMailbox ${outs.emailAddress}: the vendor has not confirmed removing the forward to ${outs.forwardTo} (asked for in the worksheet), and back in the coexistence rule's reach while still forwarded the user's mail would loop; ` +
            `keep the user in their wave and list them in coexist:rollback, then record the vendor's confirmation in the confirmations file (coexist:vendor.confirmed) and run \`pulumi up\` again`,
        );
      }
      return; // cleanup: the tenant address stays too (the vendor may still forward to it); docs/runbook/vendor.md says to remove it once confirmed
    }
    // In the cleanup (`pulumi destroy`) the membership stays as it is: in migratedGroup the user
    // stays a member until the group itself goes, after the rules (out of the group while the
    // coexistence rule still runs, their internet mail, MX now at Exchange Online, would be routed
    // back to the source); in pendingGroup they never rejoin (their mailbox is in Exchange Online).
    if (programRan()) await handBackRun(ctx, outs);
    await withTenantAddress(ctx, outs, outs.tenantAddress, false); // last: nothing forwards to it now
  },
};
