import { bare, sameAddress } from "../../../exchange/addresses";
import { GetMailbox, MailboxObject, SetMailbox } from "../../../exchange/cmdlets";
import { Command } from "../../../exchange/command";
import { isNotFound } from "../../../exchange/errors";
import { UserError } from "../../../host/quietErrors";
import type { SourceMailbox } from "../../../simulator/model";
import type { Context } from "../../context";
import { forwardsToTenant, sourceMailboxes } from "../../groupMembers";
import { getOne } from "../../operations";
import type { PlannedUser, Step, UserSettings } from "../userPlan";
import { clearedForward, type KeptForward } from "../keptForwards";
import type { Memory, SourceKind } from "./source";

/**
 * An Exchange source (on-premises Exchange, or another tenant): the forward is one Set-Mailbox
 * (ForwardingSmtpAddress, DeliverToMailboxAndForward, and seed 1's proxy address).
 */
const sourceId = (u: PlannedUser) => u.sourceIdentity ?? u.emailAddress;
const holds = (m: SourceMailbox, a: string) => sameAddress(m.PrimarySmtpAddress, a) || m.EmailAddresses.some((x) => sameAddress(x, a));

/** The forward on, ForwardingAddress cleared when told to (it wins over ForwardingSmtpAddress: Set-Mailbox reference). */
export function forwardOn(s: UserSettings, u: PlannedUser): Command {
  return SetMailbox({
    Identity: sourceId(u),
    ...(s.clearForwardingAddress ? { ForwardingAddress: null } : {}),
    ForwardingSmtpAddress: u.forwardTo,
    DeliverToMailboxAndForward: s.deliverToMailboxAndForward,
    ...(u.proxyAddress ? { EmailAddresses: { Add: [u.proxyAddress] } } : {}),
  });
}

/**
 * The forward off, and the user's own forwarding coexist replaced put back (`kept`: a
 * ForwardingAddress it cleared, the owner's ForwardingSmtpAddress, DeliverToMailboxAndForward).
 */
export function forwardOff(u: PlannedUser, kept?: KeptForward): Command {
  const k = kept?.kind === "exchange" ? kept : undefined;
  return SetMailbox({
    Identity: sourceId(u),
    ...(k?.forwardingAddress ? { ForwardingAddress: k.forwardingAddress } : {}),
    ForwardingSmtpAddress: k?.forwardingSmtpAddress ?? null,
    DeliverToMailboxAndForward: k?.deliverToMailboxAndForward ?? false,
    ...(u.proxyAddress ? { EmailAddresses: { Remove: [u.proxyAddress] } } : {}),
  });
}

/**
 * A source mailbox's ForwardingAddress wins over the ForwardingSmtpAddress coexist sets ("the
 * value of ForwardingSmtpAddress is ignored", Set-Mailbox reference): the forward refuses it
 * unless told to clear it, and is kept to put back. One list read per run (sourceMailboxes).
 */
async function clearedForwardingAddress(ctx: Context, s: UserSettings, u: PlannedUser): Promise<string | null> {
  const id = sourceId(u).toLowerCase();
  const m = (await sourceMailboxes(ctx.source)).find((x) => [x.Identity, x.Name, x.Alias, x.PrimarySmtpAddress, ...x.EmailAddresses].some((k) => k.replace(/^smtp:/i, "").toLowerCase() === id));
  const fa = m?.ForwardingAddress ?? null;
  if (fa && !s.clearForwardingAddress) {
    throw new UserError(
      `MigratedMailboxes ${u.emailAddress}: the source mailbox has ForwardingAddress ${fa}, which wins over the ForwardingSmtpAddress coexist sets, ` +
        `so its mail would not follow the move. Remove it at the source, or set coexist:clearForwardingAddress true to have coexist clear it and put it back on rollback.`,
    );
  }
  return fa;
}

/**
 * Turns the forward off, putting back the user's own forwarding as the gate proved it (`u.kept`).
 * When Exchange cannot find an object, it may be the mailbox (gone: it forwards nothing) or the
 * kept ForwardingAddress's recipient (a parameter's "Couldn't find object", issue 26): the
 * mailbox is read to tell them apart, and a forward whose recipient is gone is turned off
 * without it and recorded (notRestored), never left on while the user goes back in the rule's reach.
 */
async function unforward(ctx: Context, u: PlannedUser, memory: Memory, kept: KeptForward | undefined): Promise<void> {
  try {
    await ctx.source.run(forwardOff(u, kept));
  } catch (e) {
    if (!isNotFound(e)) throw e;
    const mailbox = await getOne<MailboxObject>(ctx.source, GetMailbox({ Identity: sourceId(u) }));
    if (!mailbox) return memory.kept.forget(u.emailAddress); // the source mailbox is gone: it forwards nothing
    if (kept?.kind !== "exchange" || !kept.forwardingAddress) throw e;
    await ctx.source.run(forwardOff(u, { ...kept, forwardingAddress: null }));
    memory.notRestored[u.emailAddress] = kept.forwardingAddress;
  }
  memory.kept.forget(u.emailAddress);
}

/** Whether the mailbox forwards at all (any ForwardingAddress or ForwardingSmtpAddress). */
const forwards = (m: Pick<SourceMailbox, "ForwardingAddress" | "ForwardingSmtpAddress">) => Boolean(m.ForwardingAddress || m.ForwardingSmtpAddress);

export const exchangeSource: SourceKind = {
  forwardSteps(s, u, m) {
    const forwarded =
      m.ForwardingSmtpAddress !== null &&
      sameAddress(bare(m.ForwardingSmtpAddress), u.forwardTo) &&
      m.DeliverToMailboxAndForward === s.deliverToMailboxAndForward &&
      !(s.clearForwardingAddress && m.ForwardingAddress) &&
      (!u.proxyAddress || holds(m, u.proxyAddress));
    return forwarded ? [] : ["forward"];
  },
  // Only a forward to Exchange Online is coexist's to turn off: one to a colleague or outside is the
  // owner's. A kept forward not back yet (the mailbox forwards nowhere) is put back by the same step.
  unforwardSteps: (s, u, m) =>
    (m.ForwardingSmtpAddress && forwardsToTenant(m, s.domain)) || (u.proxyAddress && holds(m, u.proxyAddress) && !sameAddress(m.PrimarySmtpAddress, u.proxyAddress)) || (u.kept?.kind === "exchange" && !forwards(m))
      ? ["unforward"]
      : [],
  holdsMembership: () => false,
  ownForward(s, u, m) {
    const fa = s.clearForwardingAddress ? m.ForwardingAddress : null;
    const smtp = m.ForwardingSmtpAddress ? bare(m.ForwardingSmtpAddress) : null;
    const own = smtp && !sameAddress(smtp, u.forwardTo) && !forwardsToTenant({ ForwardingSmtpAddress: smtp, ForwardingAddress: null }, s.domain) ? smtp : null;
    return fa || own ? { kind: "exchange", forwardingAddress: fa, forwardingSmtpAddress: own, deliverToMailboxAndForward: m.DeliverToMailboxAndForward } : undefined;
  },
  restorable: (kept) => kept.kind === "exchange",
  commands: (s, u, step: Step) => (step === "forward" ? [forwardOn(s, u)] : step === "unforward" ? [forwardOff(u, u.kept)] : []),
  ask: () => undefined,
  apply(s, u, step, m) {
    if (step === "forward") {
      return {
        ...m,
        ForwardingSmtpAddress: u.forwardTo,
        DeliverToMailboxAndForward: s.deliverToMailboxAndForward,
        ForwardingAddress: s.clearForwardingAddress ? null : m.ForwardingAddress,
        EmailAddresses: u.proxyAddress && !holds(m, u.proxyAddress) ? [...m.EmailAddresses, `smtp:${u.proxyAddress}`] : m.EmailAddresses,
      };
    }
    if (step === "unforward") {
      const k = u.kept?.kind === "exchange" ? u.kept : undefined;
      return {
        ...m,
        ForwardingSmtpAddress: k?.forwardingSmtpAddress ?? null,
        ForwardingAddress: k?.forwardingAddress ?? m.ForwardingAddress,
        DeliverToMailboxAndForward: k?.deliverToMailboxAndForward ?? false,
        EmailAddresses: u.proxyAddress ? m.EmailAddresses.filter((a) => !sameAddress(a, u.proxyAddress!)) : m.EmailAddresses,
      };
    }
    return m;
  },
  async run(ctx, s, u, step, memory) {
    if (step === "forward") {
      const fa = await clearedForwardingAddress(ctx, s, u);
      // Kept before the write: a run failing right after it still knows what to put back. A
      // ForwardingAddress set since the gate's read is kept too: the write clears it either way.
      const own = u.kept?.kind === "exchange" ? u.kept : undefined;
      const kept = fa && !own?.forwardingAddress ? clearedForward(fa, own) : u.kept;
      if (kept) memory.kept.keep(u.emailAddress, kept);
      await ctx.source.run(forwardOn(s, u));
    } else if (step === "unforward") {
      await unforward(ctx, u, memory, u.kept);
    }
  },
  // `pulumi destroy` runs no program: the kept forward comes from the file (the gate ran at every up).
  cleanupCommands: (_s, u) => [forwardOff(u, u.kept)],
  cleanup: (ctx, _s, u, memory) => unforward(ctx, u, memory, memory.kept.get(u.emailAddress)),
};
