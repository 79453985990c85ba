import { currentStack } from "../../journal/stack";
import { projectRoot } from "../../projectRoot";
import { UserError } from "../../host/quietErrors";
import type { VendorSettings } from "../../config/provider";
import { readConfirmations, readLedger, request, vendorFiles, vendorStates, type VendorState } from "../vendorLedger";

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

export async function requestForward(settings: VendorSettings | undefined, mailbox: string, forwardTo: string, action: "add" | "remove"): Promise<void> {
  request(await files(settings), { mailbox, forwardTo, action });
}

/** The user's state in the ledger and the confirmations file, as the stack's files say now. */
export async function stateOf(settings: VendorSettings | undefined, mailbox: string): Promise<VendorState | undefined> {
  const f = await files(settings);
  const problems: { file: string; line: number; column: number; message: string }[] = [];
  const confirmations = readConfirmations(f.confirmed, f.confirmed, problems);
  if (problems.length > 0) throw new UserError(`coexist: ${problems.map((p) => `${p.file}:${p.line}:${p.column}: ${p.message}`).join("; ")}`);
  return vendorStates(readLedger(f.ledger), confirmations).get(mailbox.toLowerCase());
}
