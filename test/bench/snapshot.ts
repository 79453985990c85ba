import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { SimulatorTarget } from "@coexist/provider/dist/exchange/targets";
import { liveSnapshot } from "@coexist/provider/dist/safety/live";
import { initialWorld } from "@coexist/provider/dist/simulator/scenario";
import { WorldStore } from "@coexist/provider/dist/simulator/store";

/**
 * `node dist/test/bench/snapshot.js [--users N] [--cmdlet-ms M]`: what the safety gate's live
 * snapshot costs per source kind at N users, through the simulator's runners and the real store:
 * reads and seconds for an Exchange source (three list reads), a Google Workspace source (the
 * Gmail API has no bulk read of settings: one read per user, docs/safety.md) and a vendor (no read
 * at the source). `--cmdlet-ms` adds the latency a real cmdlet has to each one (default 0), and the
 * ratio Google/Exchange is the price of the per-user reads.
 */
const args = process.argv.slice(2);
const opt = (name: string, d: number) => (args.indexOf(name) >= 0 ? Number(args[args.indexOf(name) + 1]) : d);
const USERS = opt("--users", 2000);
const CMDLET_MS = opt("--cmdlet-ms", 0);
const users = Array.from({ length: USERS }, (_, n) => `user${String(n).padStart(5, "0")}`);
const dir = fs.mkdtempSync(path.join(os.tmpdir(), "coexist-snapshot-bench-"));

async function measure(kind: "exchange-onprem" | "google-workspace" | "vendor"): Promise<{ reads: number; s: number }> {
  const stateFile = path.join(dir, kind, "world.json");
  fs.mkdirSync(path.dirname(stateFile), { recursive: true });
  // A tenth of the users forwarded: the Google snapshot reads their forwarding addresses too.
  const w = initialWorld({ domain: "contoso.com", organization: "contoso.onmicrosoft.com", users, sourceKind: kind, subdomain: "o365.contoso.com" });
  w.source.mailboxes.forEach((m, n) => {
    if (n % 10 !== 0) return;
    const to = `${m.Alias}@o365.contoso.com`;
    m.ForwardingSmtpAddress = to;
    if (m.gmail) m.gmail = { forwardingAddresses: [{ forwardingEmail: to, verificationStatus: "accepted" }], autoForwarding: { enabled: true, emailAddress: to, disposition: "archive" } };
  });
  WorldStore.create(stateFile, w);
  const target = (imitates?: string) => SimulatorTarget.parse({ kind: "simulator", stateFile, latency: { connectMs: 0, cmdletMs: CMDLET_MS }, ...(imitates ? { imitates } : {}) });
  const imitates = kind === "google-workspace" ? "google-workspace" : kind === "vendor" ? "vendor" : undefined;
  const t0 = performance.now();
  const snap = await liveSnapshot({ exchange: target(), source: target(imitates), smartHosts: ["mail.contoso-source.example"], sourceIpRanges: ["198.51.100.25"], domain: "contoso.com" }, ["contoso.com", "o365.contoso.com"], ["migrated@contoso.com"]);
  return { reads: snap.reads.count, s: (performance.now() - t0) / 1000 };
}

void (async () => {
  console.log(`live snapshot, ${USERS} users, ${CMDLET_MS} ms a cmdlet (node ${process.version}):`);
  const results: Record<string, { reads: number; s: number }> = {};
  for (const kind of ["exchange-onprem", "google-workspace", "vendor"] as const) {
    results[kind] = await measure(kind);
    console.log(`  ${kind.padEnd(16)} ${String(results[kind].reads).padStart(6)} reads  ${results[kind].s.toFixed(1).padStart(7)} s`);
  }
  const g = results["google-workspace"]!;
  const e = results["exchange-onprem"]!;
  console.log(`  google/exchange: ${(g.reads / e.reads).toFixed(0)}x the reads, ${(g.s / e.s).toFixed(1)}x the time`);
  fs.rmSync(dir, { recursive: true, force: true });
})();
