import { currentStack } from "../../journal/stack";
import { projectRoot } from "../../projectRoot";
import { UserError } from "../../host/quietErrors";
import type { VendorSettings } from "../../config/provider";
import { formatProblem, Problem } from "../../waves/problems";
import { request, statesIn, vendorFiles, writeWorksheet, type VendorFiles, type VendorState } from "../vendorLedger";

/**
 * A vendor-managed user's source steps (docs/design/sources-google-and-vendor.md §6): nothing is
 * run at the source; a row is written to the stack's worksheet for the consultant to send the
 * vendor. A row is written only after the tenant side is ready, so every row means "safe to
 * apply now"; a rollback's membership waits for the vendor's confirmation (the program keeps the
 * user declared with vendorRemoval "requested" until then).
 */
async function files(settings: VendorSettings | undefined) {
  const stack = await currentStack();
  if (!stack) throw new UserError("coexist: cannot tell which stack this is, so the vendor worksheet cannot be named; run pulumi with --stack");
  return vendorFiles(settings, projectRoot(), stack);
}

/**
 * Records the request in the ledger (at once, synchronously) and resolves once the worksheet
 * shows it. The worksheet is drawn whole from the ledger, so a wave of N users drawing it once per
 * request would cost N² lines (10,000 users: about a minute of the provider's time). Requests
 * share drawings instead: one is drawn at most every ten times the last one took (at least 50 ms),
 * so drawing costs at most about a tenth of the wave's time, and no request reports success before
 * its row is on the worksheet the consultant sends.
 */
export async function requestForward(settings: VendorSettings | undefined, mailbox: string, forwardTo: string, action: "add" | "remove"): Promise<void> {
  const f = await files(settings);
  if (request(f, { mailbox, forwardTo, action }, new Date(), false).added) await drawn(f);
}

const drawings = new Map<string, { next?: Promise<void>; lastAt: number; lastMs: number }>();
export function drawn(f: VendorFiles): Promise<void> {
  const d = drawings.get(f.worksheet) ?? { lastAt: 0, lastMs: 0 };
  drawings.set(f.worksheet, d);
  d.next ??= new Promise<void>((resolve, reject) => {
    const wait = Math.max(0, d.lastAt + Math.max(50, 10 * d.lastMs) - Date.now());
    setTimeout(() => {
      d.next = undefined; // requests from now on wait for the next drawing
      const t0 = Date.now();
      try {
        writeWorksheet(f);
        resolve();
      } catch (e) {
        reject(e);
      } finally {
        d.lastAt = Date.now();
        d.lastMs = d.lastAt - t0;
      }
    }, wait);
  });
  return d.next;
}

/** Every user's state, as the stack's ledger and confirmations file say now; a bad confirmation row is an error naming it. */
export async function statesNow(settings: VendorSettings | undefined): Promise<ReadonlyMap<string, VendorState>> {
  const problems: Problem[] = [];
  const states = statesIn(await files(settings), problems);
  if (problems.length > 0) throw new UserError(`coexist: ${problems.map(formatProblem).join("; ")}`);
  return states;
}

/** One user's state (statesNow). */
export const stateOf = async (settings: VendorSettings | undefined, mailbox: string): Promise<VendorState | undefined> => (await statesNow(settings)).get(mailbox.toLowerCase());
