import { bare, sameAddress } from "../../../exchange/addresses";
import { GmailDisposition } from "../../../exchange/cmdlets";
import type { SourceMailbox } from "../../../simulator/model";
import { forwardsToTenant } from "../../groupMembers";
import * as gmail from "../../migratedMailbox/gmailSteps";
import type { PlannedUser, UserSettings } from "../userPlan";
import type { SourceKind } from "./source";

/**
 * A Google Workspace source (docs/design/sources-google-and-vendor.md §3.4): the forward is two
 * Gmail settings, the routing address as a forwarding address, then auto-forwarding to it ("A
 * verified forwarding address must be specified when auto-forwarding is enabled",
 * users.settings.updateAutoForwarding); off is the other way round.
 */
export const gmailUser = (s: UserSettings, u: PlannedUser): gmail.GmailUser => ({
  emailAddress: u.emailAddress,
  sourceIdentity: u.sourceIdentity,
  forwardTo: u.forwardTo,
  disposition: s.disposition,
  keepForwardingAddress: s.keepForwardingAddress,
});
const dispositionOf = (s: UserSettings) => s.disposition ?? "archive";
const settingsOf = (m: SourceMailbox) => m.gmail ?? { forwardingAddresses: [], autoForwarding: { enabled: false, emailAddress: null, disposition: null } };

export const gmailSource: SourceKind = {
  forwardSteps(s, u, m) {
    const g = settingsOf(m);
    const has = g.forwardingAddresses.some((a) => sameAddress(a.forwardingEmail, u.forwardTo));
    const a = g.autoForwarding;
    const on = has && a.enabled && a.emailAddress !== null && sameAddress(a.emailAddress, u.forwardTo) && (a.disposition ?? "archive") === dispositionOf(s);
    return [...(has ? [] : (["gmailAddress"] as const)), ...(on ? [] : (["gmailOn"] as const))];
  },
  unforwardSteps(s, u, m) {
    const g = settingsOf(m);
    const a = g.autoForwarding;
    // Auto-forwarding to Exchange Online goes; a kept forward not back yet (auto-forwarding off) is put back by the same step.
    const off = (a.enabled && a.emailAddress !== null && forwardsToTenant({ ForwardingSmtpAddress: a.emailAddress, ForwardingAddress: null }, s.domain)) || (u.kept?.kind === "gmail" && !a.enabled);
    const drop = !s.keepForwardingAddress && g.forwardingAddresses.some((x) => sameAddress(x.forwardingEmail, u.forwardTo));
    return [...(off ? (["gmailOff"] as const) : []), ...(drop ? (["gmailDropAddress"] as const) : [])];
  },
  holdsMembership: () => false,
  ownForward(s, u, m) {
    const a = settingsOf(m).autoForwarding;
    const to = a.enabled && a.emailAddress ? bare(a.emailAddress) : null;
    if (!to || sameAddress(to, u.forwardTo) || forwardsToTenant({ ForwardingSmtpAddress: to, ForwardingAddress: null }, s.domain)) return undefined;
    return { kind: "gmail", emailAddress: to, disposition: GmailDisposition.safeParse(a.disposition).data ?? "leaveInInbox" };
  },
  // "A verified forwarding address must be specified when auto-forwarding is enabled" (users.settings.updateAutoForwarding).
  restorable: (kept, m) => kept.kind === "gmail" && settingsOf(m).forwardingAddresses.some((a) => sameAddress(a.forwardingEmail, kept.emailAddress) && a.verificationStatus === "accepted"),
  commands(s, u, step) {
    const g = gmailUser(s, u);
    switch (step) {
      case "gmailAddress":
        return [gmail.addForwardingAddress(g)];
      case "gmailOn":
        return [gmail.autoForwardingOn(g)];
      case "gmailOff":
        return [u.kept?.kind === "gmail" ? gmail.autoForwardingBack(g, u.kept) : gmail.autoForwardingOff(g)];
      case "gmailDropAddress":
        return [gmail.removeForwardingAddress(g)];
      default:
        return [];
    }
  },
  ask: () => undefined,
  /** A pending address (Gmail would not take it unverified) is added, but auto-forwarding never goes on to it: the resource stops first (gmailSteps pendingError). */
  apply(s, u, step, m, ctx) {
    const g = settingsOf(m);
    switch (step) {
      case "gmailAddress": {
        const status = ctx.gmailAccepts ? ("accepted" as const) : ("pending" as const);
        return { ...m, gmail: { ...g, forwardingAddresses: [...g.forwardingAddresses.filter((a) => !sameAddress(a.forwardingEmail, u.forwardTo)), { forwardingEmail: u.forwardTo, verificationStatus: status }] } };
      }
      case "gmailOn": {
        const accepted = g.forwardingAddresses.some((a) => sameAddress(a.forwardingEmail, u.forwardTo) && a.verificationStatus === "accepted");
        return accepted ? { ...m, ForwardingSmtpAddress: u.forwardTo, gmail: { ...g, autoForwarding: { enabled: true, emailAddress: u.forwardTo, disposition: dispositionOf(s) } } } : m;
      }
      case "gmailOff": {
        const k = u.kept?.kind === "gmail" ? u.kept : undefined;
        return k
          ? { ...m, ForwardingSmtpAddress: k.emailAddress, gmail: { ...g, autoForwarding: { enabled: true, emailAddress: k.emailAddress, disposition: k.disposition } } }
          : { ...m, ForwardingSmtpAddress: null, gmail: { ...g, autoForwarding: { ...g.autoForwarding, enabled: false } } };
      }
      case "gmailDropAddress":
        return { ...m, gmail: { ...g, forwardingAddresses: g.forwardingAddresses.filter((a) => !sameAddress(a.forwardingEmail, u.forwardTo)) } };
      default:
        return m;
    }
  },
  async run(ctx, s, u, step, memory) {
    switch (step) {
      case "gmailAddress":
        return; // gmailOn adds it, read first (gmailSteps.forwardOn): every plan with one has the other
      case "gmailOn":
        // Kept before the write: a run failing right after it still knows what to put back.
        if (u.kept) memory.kept.keep(u.emailAddress, u.kept);
        return gmail.forwardOn(ctx.source, gmailUser(s, u));
      case "gmailOff":
        await gmail.forwardOff(ctx.source, { ...gmailUser(s, u), keepForwardingAddress: true }, u.kept?.kind === "gmail" ? u.kept : undefined);
        return memory.kept.forget(u.emailAddress);
      case "gmailDropAddress":
        return gmail.removeAddress(ctx.source, gmailUser(s, u), u.forwardTo);
    }
  },
  // `pulumi destroy` runs no program: the kept forward comes from the file (the gate ran at every up).
  cleanupCommands: (s, u) => [
    u.kept?.kind === "gmail" ? gmail.autoForwardingBack(gmailUser(s, u), u.kept) : gmail.autoForwardingOff(gmailUser(s, u)),
    ...(s.keepForwardingAddress ? [] : [gmail.removeForwardingAddress(gmailUser(s, u))]),
  ],
  async cleanup(ctx, s, u, memory) {
    const k = memory.kept.get(u.emailAddress);
    await gmail.forwardOff(ctx.source, gmailUser(s, u), k?.kind === "gmail" ? k : undefined);
    memory.kept.forget(u.emailAddress);
  },
};
