import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { drawn } from "@coexist/provider/dist/resources/migratedMailbox/vendorSteps";
import { request, vendorFiles } from "@coexist/provider/dist/resources/vendorLedger";

/**
 * `node dist/test/bench/worksheet.js [--users N]`: a wave of N vendor users' worksheet requests,
 * arriving one per turn of the event loop as resource operations finish at different times, with
 * the worksheet drawn once per request (the first build) against the shared drawings
 * MigratedMailbox uses (vendorSteps.ts drawn), and the ratio.
 */
const args = process.argv.slice(2);
const USERS = args.indexOf("--users") >= 0 ? Number(args[args.indexOf("--users") + 1]) : 10_000;

async function wave(shared: boolean): Promise<number> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "coexist-worksheet-bench-"));
  const files = vendorFiles({ worksheet: path.join(dir, "w.csv"), confirmed: path.join(dir, "c.csv") }, dir, "bench");
  const t0 = performance.now();
  const done: Promise<void>[] = [];
  for (let i = 0; i < USERS; i++) {
    await new Promise((r) => setImmediate(r));
    const want = { mailbox: `user${i}@contoso.com`, forwardTo: `user${i}@contoso.onmicrosoft.com`, action: "add" as const };
    if (shared) {
      request(files, want, new Date(), false);
      done.push(drawn(files));
    } else request(files, want);
  }
  await Promise.all(done);
  const s = (performance.now() - t0) / 1000;
  const rows = fs.readFileSync(files.worksheet, "utf8").trim().split("\n").length - 1;
  if (rows !== USERS) throw new Error(`the worksheet has ${rows} rows, not ${USERS}`);
  fs.rmSync(dir, { recursive: true, force: true });
  return s;
}

void (async () => {
  const each = await wave(false);
  const shared = await wave(true);
  console.log(`worksheet, ${USERS} requests: drawn per request ${each.toFixed(1)} s, shared drawings ${shared.toFixed(1)} s (${(each / shared).toFixed(1)}x)`);
})();
