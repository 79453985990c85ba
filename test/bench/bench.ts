import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { commandLog } from "@coexist/provider/testing";
import { contosoStack, rehearsalProject } from "../harness/rehearsal";

/**
 * `npm run bench [-- --users N --scale S --parallel P --naive-users M]`: a wave of N users
 * through the real CLI against the simulated tenant with a realistic latency model (connect 8 s,
 * cmdlet 0.3 s, at most 3 sessions per target, a throttling budget), every number scaled by S.
 * Reports wall time against the ideal for the model, cmdlets issued, peak memory of the CLI and
 * the provider process, state size, a no-change preview and up, destroy, and a naive mode (a
 * fresh runner and connect per command) as a ratio. A benchmark, not a test: it reports, it
 * asserts nothing but that the runs succeed.
 */
const args = process.argv.slice(2);
const flag = (name: string, dflt: number) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? Number(args[i + 1]) : dflt;
};
const N = flag("users", 2000);
const SCALE = flag("scale", 1);
const PARALLEL = flag("parallel", 16);
const SESSIONS = flag("sessions", 3);
const NAIVE_N = flag("naive-users", Math.min(N, 20));
/** The engine rewrites the whole state file after every step unless told not to (see docs/performance.md). */
const CHECKPOINTS = args.includes("--checkpoints");
if (!CHECKPOINTS) process.env.PULUMI_SKIP_CHECKPOINTS = "true";
const CONNECT_MS = 8000 * SCALE;
const CMDLET_MS = 300 * SCALE;

const WRITE = /^(Set|New|Remove|Add|Enable|Disable)-/;

/** Peak resident memory of the CLI and of the dynamic-provider host, sampled from /proc. */
class MemorySampler {
  peaks = { cli: 0, provider: 0 };
  private timer: NodeJS.Timeout | undefined;
  start(): void {
    this.timer = setInterval(() => {
      for (const pid of fs.readdirSync("/proc").filter((p) => /^\d+$/.test(p))) {
        try {
          const cmd = fs.readFileSync(`/proc/${pid}/cmdline`, "utf8").replaceAll("\0", " ");
          const hwm = Number(/VmHWM:\s+(\d+)/.exec(fs.readFileSync(`/proc/${pid}/status`, "utf8"))?.[1] ?? 0) * 1024;
          if (/\/pulumi (up|preview|destroy)/.test(cmd) || /^\S*pulumi (up|preview|destroy)/.test(cmd)) this.peaks.cli = Math.max(this.peaks.cli, hwm);
          if (cmd.includes("cmd/dynamic-provider")) this.peaks.provider = Math.max(this.peaks.provider, hwm);
        } catch {
          // the process ended between listing and reading
        }
      }
    }, 250);
  }
  stop(): typeof this.peaks {
    clearInterval(this.timer);
    return this.peaks;
  }
}

const mb = (b: number) => `${(b / 1048576).toFixed(0)} MB`;
const secs = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

async function run(users: number, naive: boolean) {
  const project = rehearsalProject(naive ? "naive" : "bench");
  const { rehearsal } = project;
  const aliases = Array.from({ length: users }, (_, i) => `user${String(i).padStart(5, "0")}`);
  fs.writeFileSync(path.join(project.dir, "batches", "bench.csv"), "EmailAddress\n" + aliases.map((a) => `${a}@contoso.com`).join("\n") + "\n");
  const target = {
    kind: "simulator",
    stateFile: ".sim/world.json",
    latency: { connectMs: CONNECT_MS, cmdletMs: CMDLET_MS },
    maxSessions: SESSIONS,
    throttle: { budget: 25, windowMs: Math.max(1, Math.round(5000 * SCALE)) },
  };
  const config = {
    ...contosoStack,
    waves: ["batches/bench.csv"],
    exchange: target,
    source: target,
    pool: { maxSessions: SESSIONS, retryBaseMs: Math.max(1, Math.round(2000 * SCALE)), retryMaxMs: Math.max(2, Math.round(60000 * SCALE)), ...(naive ? { sessionUses: 1 } : {}) },
    cutover: { done: true },
  };
  project.writeConfig(config);
  await rehearsal.reset({ domain: "contoso.com", organization: "contoso.onmicrosoft.com", users: aliases });
  const timed = async (what: string, fn: () => Promise<{ code: number; output: string }>) => {
    const sampler = new MemorySampler();
    sampler.start();
    const logBefore = commandLog(rehearsal.stateFile).length;
    const t0 = Date.now();
    const r = await fn();
    const ms = Date.now() - t0;
    const peaks = sampler.stop();
    if (r.code !== 0) throw new Error(`${what} failed:\n${r.output.slice(-3000)}`);
    const log = commandLog(rehearsal.stateFile).slice(logBefore).filter((l) => l.cmdlet);
    const gate = /mail flow checked for (\d+) users \((\d+) reads in (\d+) ms, checked in (\d+) ms\)/.exec(r.output);
    return {
      ms,
      peaks,
      gate: gate ? { users: Number(gate[1]), reads: Number(gate[2]), readMs: Number(gate[3]), checkMs: Number(gate[4]) } : undefined,
      writes: log.filter((l) => WRITE.test(l.cmdlet!)).length,
      reads: log.filter((l) => !WRITE.test(l.cmdlet!)).length,
      connects: commandLog(rehearsal.stateFile).slice(logBefore).filter((l) => l.event === "connect").length,
    };
  };
  const par = ["--parallel", String(PARALLEL)];
  const up = await timed("up", () => rehearsal.run(["up", "--yes", "--skip-preview", "--suppress-outputs", ...par]));
  const stateFile = execFileSync("find", [path.join(project.dir, ".state"), "-name", `${naive ? "naive" : "bench"}.json`, "-path", "*stacks*"], { encoding: "utf8" }).trim().split("\n")[0]!;
  const stateBytes = fs.statSync(stateFile).size;
  if (naive) {
    project.cleanup();
    return { up, stateBytes };
  }
  const preview = await timed("preview", () => rehearsal.run(["preview", ...par]));
  const again = await timed("no-change up", () => rehearsal.run(["up", "--yes", "--skip-preview", "--suppress-outputs", ...par]));
  const destroy = await timed("destroy", () => rehearsal.run(["destroy", "--yes", "--skip-preview", ...par]));
  project.cleanup();
  return { up, stateBytes, preview, again, destroy };
}

async function main() {
  console.log(`coexist benchmark: ${N} users, latency model connect ${secs(CONNECT_MS)}, cmdlet ${secs(CMDLET_MS)} (scale ${SCALE}), ${SESSIONS} sessions per target, throttle 25 cmdlets / ${secs(5000 * SCALE)} per session, --parallel ${PARALLEL}, ${CHECKPOINTS ? "a checkpoint per step" : "PULUMI_SKIP_CHECKPOINTS=true"}`);
  const main = await run(N, false);
  const perUser = 2; // Add-DistributionGroupMember (tenant) + Set-Mailbox (source)
  const ideal = CONNECT_MS + (N * perUser * CMDLET_MS) / SESSIONS;
  const idealPools = CONNECT_MS + (N * 1 * CMDLET_MS) / SESSIONS; // the two targets' pools work side by side
  const fixedWrites = main.up.writes - N * perUser;
  console.log(`\nwave (pulumi up, ${N} users): ${secs(main.up.ms)}`);
  console.log(`  ideal (connect + N × ${perUser} cmdlets × latency ÷ ${SESSIONS} sessions): ${secs(ideal)}  → ratio ${(main.up.ms / ideal).toFixed(2)}`);
  console.log(`  ideal with tenant and source pools in parallel: ${secs(idealPools)}  → ratio ${(main.up.ms / idealPools).toFixed(2)}`);
  console.log(`  cmdlets: ${main.up.writes} writes (${fixedWrites} for the shared objects) + ${main.up.reads} reads; ${main.up.connects} connects`);
  console.log(`  peak memory: CLI ${mb(main.up.peaks.cli)}, provider ${mb(main.up.peaks.provider)}`);
  const gateLine = (g: (typeof main.up)["gate"]) => (g ? `${g.reads} reads in ${secs(g.readMs)}, model checked in ${secs(g.checkMs)} for ${g.users} users` : "not reported");
  console.log(`  safety gate (its own pools, before any resource): ${gateLine(main.up.gate)}`);
  console.log(`  state: ${(main.stateBytes / 1024).toFixed(0)} KB, ${(main.stateBytes / (N + 6)).toFixed(0)} bytes per resource`);
  console.log(`no-change preview: ${secs(main.preview!.ms)}, ${main.preview!.writes} writes, ${main.preview!.reads} reads (the gate's: ${gateLine(main.preview!.gate)})`);
  console.log(`no-change up: ${secs(main.again!.ms)}, ${main.again!.writes} writes, ${main.again!.reads} reads`);
  console.log(`destroy: ${secs(main.destroy!.ms)}, ${main.destroy!.writes} writes, peak CLI ${mb(main.destroy!.peaks.cli)}, provider ${mb(main.destroy!.peaks.provider)}`);

  const naive = await run(NAIVE_N, true);
  const naivePerUser = naive.up.ms / NAIVE_N;
  const naiveAtN = naivePerUser * N;
  console.log(`\nnaive mode (a fresh runner and connect per command), measured on ${NAIVE_N} users: ${secs(naive.up.ms)}, ${naive.up.connects} connects`);
  console.log(`  extrapolated to ${N} users: ${secs(naiveAtN)}  → pooled is ${(naiveAtN / main.up.ms).toFixed(1)}× faster`);
  console.log(`\nsummary: ${[
    `wave ${secs(main.up.ms)}`,
    `ratio to ideal ${(main.up.ms / ideal).toFixed(2)}`,
    `${(naiveAtN / main.up.ms).toFixed(1)}× faster than naive`,
    `no-change writes ${main.again!.writes}`,
    `gate ${main.up.gate ? `${main.up.gate.reads} reads, ${secs(main.up.gate.readMs + main.up.gate.checkMs)}` : "?"}`,
    `state ${(main.stateBytes / (N + 6)).toFixed(0)} B/resource`,
  ].join("; ")}`);
}

main().catch((e: Error) => {
  console.error(e.message);
  process.exit(1);
});
