import * as fs from "node:fs";
import { UpdateDistributionGroupMember, NewDistributionGroup } from "@coexist/provider/dist/exchange/cmdlets";
import { FILL_UPDATE_MAX, pendingFill, pendingMembers, runFill } from "@coexist/provider/dist/resources/groupMembers";
import { closeTestPools, freshWorld, readWorld, simTarget, testPool } from "@coexist/provider/testing";

/**
 * `node dist/test/bench/fill.js [--users N] [--scale S]`: seed 1's pending-group fill of N users
 * (default 10,000) into an empty group, against the simulated tenant with the full latency model
 * scaled by S (connect 8 s, 0.3 s a cmdlet, 0.1 s a member an Update names, Exchange Online's
 * 15-minute REST timeout, 3 sessions; docs/performance.md). It runs the fill coexist runs
 * (pendingFill: an Update of at most 5,000, then one Add each, side by side) and, on a world of
 * its own, the single Update of every member coexist ran before, and reports each against the
 * ideal: connect + the Update's cost + the Adds' cmdlets ÷ sessions.
 */
const args = process.argv.slice(2);
const opt = (name: string, d: number) => (args.indexOf(name) >= 0 ? Number(args[args.indexOf(name) + 1]) : d);
const N = opt("--users", 10_000);
const SCALE = opt("--scale", 1);
const SESSIONS = 3;
const latency = { connectMs: 8000 * SCALE, cmdletMs: 300 * SCALE, perItemMs: 100 * SCALE, restTimeoutMs: 15 * 60_000 * SCALE };
const GROUP = "accounts@contoso.com";
const users = Array.from({ length: N }, (_, i) => `user${String(i).padStart(5, "0")}`);
const secs = (ms: number) => (ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(1)} s`);

async function world() {
  const w = freshWorld({ domain: "contoso.com", organization: "contoso.onmicrosoft.com", users });
  const setup = testPool("exchange", simTarget(w.stateFile));
  await setup.run(NewDistributionGroup({ Name: "Accounts", PrimarySmtpAddress: GROUP, ManagedBy: ["admin"] }));
  return w;
}

void (async () => {
  console.log(`pending-group fill of ${N} users, latency model connect ${secs(latency.connectMs)}, ${secs(latency.cmdletMs)} a cmdlet, ${secs(latency.perItemMs)} a member, REST timeout ${secs(latency.restTimeoutMs)} (scale ${SCALE}), ${SESSIONS} sessions`);
  const listed = users.map((u) => `${u}@contoso.com`);
  const pool = (stateFile: string) =>
    testPool("exchange", simTarget(stateFile, { latency, maxSessions: SESSIONS }), {
      maxSessions: SESSIONS,
      connectTimeoutMs: 120_000,
      commandTimeoutMs: 5 * 60_000 * SCALE,
      bulkCommandTimeoutMs: 20 * 60_000 * SCALE,
      retry: { attempts: 1, baseMs: 1, maxMs: 1 },
    });

  // coexist's fill.
  const a = await world();
  const commands = pendingFill(GROUP, pendingMembers(listed, [], new Set(), "contoso.com"), new Set());
  const updated = Math.min(N, FILL_UPDATE_MAX);
  const adds = commands.length - 1;
  let t0 = performance.now();
  await runFill(pool(a.stateFile), commands);
  const fillMs = performance.now() - t0;
  const members = readWorld(a.stateFile).tenant.groups[0]!.Members.length;
  const ideal = latency.connectMs + latency.cmdletMs + latency.perItemMs * updated + (adds * latency.cmdletMs) / SESSIONS;
  console.log(`  pendingFill: Update of ${updated} + ${adds} Adds: ${secs(fillMs)}, ${members} members; ideal ${secs(ideal)} → ratio ${(fillMs / ideal).toFixed(2)}`);
  console.log(`    longest call: the Update, ${secs(latency.cmdletMs + latency.perItemMs * updated)} of the ${secs(latency.restTimeoutMs)} REST timeout (${((100 * (latency.cmdletMs + latency.perItemMs * updated)) / latency.restTimeoutMs).toFixed(0)}%)`);

  // The single Update of every member.
  const b = await world();
  t0 = performance.now();
  let outcome: string;
  try {
    await pool(b.stateFile).run(UpdateDistributionGroupMember({ Identity: GROUP, Members: listed, Confirm: false, BypassSecurityGroupManagerCheck: true }));
    outcome = "succeeded";
  } catch (e) {
    outcome = `failed: ${(e as Error).message}`;
  }
  console.log(`  one Update of ${N}: ${outcome} after ${secs(performance.now() - t0)}, ${readWorld(b.stateFile).tenant.groups[0]!.Members.length} members`);
  await closeTestPools();
  for (const w of [a, b]) fs.rmSync(w.dir, { recursive: true, force: true });
})();
