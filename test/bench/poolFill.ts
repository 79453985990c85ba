import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import * as c from "@coexist/provider/dist/exchange/cmdlets";
import { defaultPoolOptions, SessionPool } from "@coexist/provider/dist/pool/sessionPool";
import { launchFor } from "@coexist/provider/dist/runner/launch";
import { WorldStore } from "@coexist/provider/dist/simulator/store";
import { freshWorld, simTarget } from "@coexist/provider/testing";
import { flag } from "./args";

/**
 * Filling a group (docs/performance.md, "Filling a group"): `node dist/test/bench/poolFill.js
 * [--users N] [--scale S] [--sessions K]`. N users put into an empty group through one tenant
 * session pool against the simulator, with the wave benchmark's latency model (test/bench/bench.ts:
 * connect 8 s, each cmdlet 0.3 s, K = 3 sessions, 25 cmdlets / 5 s per session, every number
 * scaled by S): once with one Add-DistributionGroupMember per user, all issued at once, once with
 * a single Update-DistributionGroupMember naming them all. Both start from warm sessions, so the
 * connects are not counted. A benchmark: it reports, it asserts only that both fills are whole.
 */
const N = flag("users", 5000);
const SCALE = flag("scale", 1);
const SESSIONS = flag("sessions", 3);
const CMDLET_MS = 300 * SCALE;

async function main(): Promise<void> {
  const users = Array.from({ length: N }, (_, i) => `user${String(i).padStart(5, "0")}`);
  const { dir, stateFile } = freshWorld({ domain: "contoso.com", organization: "contoso.onmicrosoft.com", users });
  const target = simTarget(stateFile, {
    latency: { connectMs: Math.round(8000 * SCALE), cmdletMs: Math.round(CMDLET_MS) },
    maxSessions: SESSIONS,
    throttle: { budget: 25, windowMs: Math.max(1, Math.round(5000 * SCALE)) },
  });
  const pool = new SessionPool({
    ...defaultPoolOptions,
    role: "exchange",
    target,
    launch: launchFor(target),
    maxSessions: SESSIONS,
    retry: { attempts: 6, baseMs: Math.max(1, Math.round(2000 * SCALE)), maxMs: Math.max(2, Math.round(60000 * SCALE)) },
  });
  const bypass = { BypassSecurityGroupManagerCheck: true };
  const members = (name: string) => new WorldStore(stateFile).read().tenant.groups.find((g) => g.Name === name)?.Members.length ?? 0;
  try {
    for (const name of ["Filled by Add", "Filled by Update"]) {
      await pool.run(c.NewDistributionGroup({ Name: name, PrimarySmtpAddress: `${name.replace(/ /g, "").toLowerCase()}@contoso.com`, ManagedBy: ["admin"] }));
    }
    // Warm every session: each connect is paid once, before either fill.
    await Promise.all(Array.from({ length: SESSIONS }, () => pool.run(c.GetDistributionGroup({ Identity: "Filled by Add" }))));

    const before = { ...pool.stats };
    let t = Date.now();
    await Promise.all(users.map((u) => pool.run(c.AddDistributionGroupMember({ Identity: "Filled by Add", Member: `${u}@contoso.com`, ...bypass }))));
    const addMs = Date.now() - t;
    const afterAdd = { ...pool.stats };

    t = Date.now();
    await pool.run(c.UpdateDistributionGroupMember({ Identity: "Filled by Update", Members: users.map((u) => `${u}@contoso.com`), Confirm: false, ...bypass }));
    const updateMs = Date.now() - t;

    const filled = [members("Filled by Add"), members("Filled by Update")];
    if (filled.some((n) => n !== N)) throw new Error(`a fill is not whole: ${filled.join(", ")} of ${N}`);
    const ideal = (N * CMDLET_MS) / SESSIONS;
    console.log(`${N} users, scale ${SCALE} (cmdlet ${CMDLET_MS} ms, ${SESSIONS} sessions, warm)`);
    console.log(`  Add-DistributionGroupMember x ${N}: ${(addMs / 1000).toFixed(1)} s (model ideal ${(ideal / 1000).toFixed(1)} s = ${N} x ${CMDLET_MS} ms / ${SESSIONS}), ${afterAdd.commands - before.commands} commands, ${afterAdd.retries - before.retries} retries`);
    console.log(`  Update-DistributionGroupMember x 1: ${(updateMs / 1000).toFixed(2)} s (model ideal ${(CMDLET_MS / 1000).toFixed(2)} s), 1 command`);
    console.log(`  ratio (Add / Update): ${(addMs / updateMs).toFixed(0)}`);
  } finally {
    await pool.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
