import { sameAddress } from "../../../exchange/addresses";
import * as vendor from "../../migratedMailbox/vendorSteps";
import type { PlannedUser, Step } from "../userPlan";
import type { SourceKind } from "./source";

/**
 * A vendor with no API (docs/design/sources-google-and-vendor.md §6): nothing runs at the source;
 * each step is a row of the stack's worksheet for the consultant to send. The live mailbox is
 * the ledger's (snapshot/vendorSource.ts): ForwardingSmtpAddress is the latest request, and a
 * request not yet confirmed is "maybe applied", so a rollback keeps the user out of the rule's
 * reach until the vendor confirms the removal.
 */
const row = (u: PlannedUser, action: "add" | "remove") =>
  `worksheet: ${action} ${u.emailAddress} → ${u.forwardTo} (${action === "add" ? "written once the cmdlets above succeed" : "the membership stays until the vendor confirms it"})`;

export const vendorSource: SourceKind = {
  forwardSteps: (_s, u, m) => (m.ForwardingSmtpAddress && sameAddress(m.ForwardingSmtpAddress, u.forwardTo) ? [] : ["vendorAdd"]),
  // The ledger's latest request is an add (confirmed or not): ask for the removal.
  unforwardSteps: (_s, _u, m) => (m.ForwardingSmtpAddress ? ["vendorRemove"] : []),
  holdsMembership: (_u, m, steps: readonly Step[]) => steps.includes("vendorRemove") || Boolean(m?.unconfirmed),
  // No API reads a vendor user's own forward: there is nothing to keep or put back.
  ownForward: () => undefined,
  restorable: () => false,
  commands: () => [],
  ask: (u, step) => (step === "vendorAdd" ? row(u, "add") : step === "vendorRemove" ? row(u, "remove") : undefined),
  apply(_s, u, step, m, ctx) {
    // Maybe applied, maybe not, until the vendor confirms: the gate checks both (its variants).
    if (step === "vendorAdd") return { ...m, ForwardingSmtpAddress: u.forwardTo, unconfirmed: { was: m.unconfirmed ? m.unconfirmed.was : m.ForwardingSmtpAddress, vendor: ctx.vendor, requested: ctx.now } };
    if (step === "vendorRemove") {
      const now = m.unconfirmed ? (m.ForwardingSmtpAddress ?? m.unconfirmed.was) : m.ForwardingSmtpAddress;
      return { ...m, ForwardingSmtpAddress: null, unconfirmed: { was: now, vendor: ctx.vendor, requested: ctx.now } };
    }
    return m;
  },
  async run(ctx, _s, u, step) {
    if (step === "vendorAdd" || step === "vendorRemove") await vendor.requestForward(ctx.config.vendor, u.emailAddress, u.forwardTo, step === "vendorAdd" ? "add" : "remove");
  },
  cleanupCommands: () => [],
  cleanup: (ctx, _s, u) => vendor.requestForward(ctx.config.vendor, u.emailAddress, u.forwardTo, "remove"),
};

/** The removal row a cleanup writes, for the review. */
export const removalRow = (u: PlannedUser): string => row(u, "remove");
