import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { WorldStore } from "@coexist/provider";
import { probeWorld } from "@coexist/provider/testing";
import { flag } from "./args";

/**
 * `node dist/test/bench/store.js [--users N] [--writers P] [--writes W]`: the simulator's store on
 * its own. P writer processes each make W writes to one world of N users, every write as a wave
 * makes them: one member added to a group of N and one source mailbox's forwarding set. Reports
 * the writes per second of them all (first start to last end), writes per CPU second (their CPU
 * time, lock polls included) and the load average, and checks that no write was lost.
 */
const USERS = flag("users", 10_000);
const WRITERS = flag("writers", 6);
const WRITES = flag("writes", 300);

async function main() {
  const { dir, stateFile: file } = probeWorld(USERS, "coexist-store-bench-");
  const script = `
    const { WorldStore } = require(${JSON.stringify(require.resolve("@coexist/provider"))});
    const store = new WorldStore(${JSON.stringify(file)});
    store.read();
    const t0 = Date.now(), c0 = process.cpuUsage();
    for (let i = 0; i < ${WRITES}; i++) store.update((w) => {
      w.tenant.groups[0].Members.push(process.pid + "." + i + "@probe.example");
      w.source.mailboxes[(i * 83 + process.pid) % w.source.mailboxes.length].ForwardingSmtpAddress = process.pid + "." + i + "@probe.example";
    });
    const c = process.cpuUsage(c0);
    console.log(JSON.stringify({ t0, t1: Date.now(), cpuMs: (c.user + c.system) / 1000 }));`;
  const runs = await Promise.all(
    Array.from({ length: WRITERS }, () => new Promise<{ t0: number; t1: number; cpuMs: number }>((resolve, reject) => {
      const child = spawn(process.execPath, ["-e", script], { stdio: ["ignore", "pipe", "inherit"] });
      let out = "";
      child.stdout.on("data", (d: Buffer) => (out += d.toString()));
      child.on("close", (code) => (code === 0 ? resolve(JSON.parse(out) as { t0: number; t1: number; cpuMs: number }) : reject(new Error(`writer exited ${code}`))));
    })),
  );
  const total = WRITERS * WRITES;
  const span = (Math.max(...runs.map((r) => r.t1)) - Math.min(...runs.map((r) => r.t0))) / 1000;
  const cpu = runs.reduce((a, r) => a + r.cpuMs, 0) / 1000;
  const members = new WorldStore(file).read().tenant.groups[0]!.Members.length;
  console.log(
    `store: ${USERS} users, ${WRITERS} writer processes × ${WRITES} writes: ${(total / span).toFixed(0)} writes/s in all, ${(total / cpu).toFixed(0)} writes per CPU second, ` +
      `load average ${os.loadavg()[0]!.toFixed(1)} on ${os.cpus().length} cores; ${members - USERS === total ? "no write lost" : `${total - (members - USERS)} WRITES LOST`}`,
  );
  fs.rmSync(dir, { recursive: true, force: true });
}

main().catch((e: Error) => {
  console.error(e.message);
  process.exit(1);
});
