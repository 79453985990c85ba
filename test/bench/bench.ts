import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { commandLog } from "@coexist/provider/testing";
import { Rehearsal } from "@coexist/provider/testing";
import { contosoStack, rehearsalProject } from "../harness/rehearsal";
import { args, flag } from "./args";

/**
 * `npm run bench [-- --users N --scale S --parallel P --naive-users M --waves W]`: a wave of N users
 * through the real CLI against the simulated tenant with a realistic latency model (connect 8 s,
 * cmdlet 0.3 s, at most 3 sessions per target, a throttling budget), every number scaled by S.
 * Reports wall time against the ideal for the model, cmdlets issued, peak memory of the CLI and
 * the provider process, state size, a no-change preview and up, destroy, and a naive mode (a
 * fresh runner and connect per command) as a ratio. With `--waves W` the N users come in W waves
 * added one by one to one stack (each `pulumi up` adds N/W users to those already migrated),
 * reported per wave, then a no-change preview and up and one destroy of them all. A benchmark,
 * not a test: it reports, it asserts nothing but that the runs succeed. Checkpoints are Pulumi's
 * default unless `--skip-checkpoints`. `--keep` leaves the stack after the waves (no no-change runs,
 * no destroy) and prints its folder; `--previews-in DIR [--repeat K]` then times K no-change
 * previews of that stack with the current build, so a change is measured without the waves.
 */
const N = flag("users", 2000);
const SCALE = flag("scale", 1);
const PARALLEL = flag("parallel", 16);
const SESSIONS = flag("sessions", 3);
const NAIVE_N = flag("naive-users", Math.min(N, 20));
const WAVES = flag("waves", 0);
/**
 * Pulumi's default checkpoints (a state write after every step), as consultants run it: with every
 * user in one resource (issue 24) they cost a few writes per run, not one per user.
 * `--skip-checkpoints` measures PULUMI_SKIP_CHECKPOINTS=true for comparison.
 */
const CHECKPOINTS = !args.includes("--skip-checkpoints");
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


/** Runs one CLI command, sampling memory, and counts what it made the simulator do. */
async function timedRun(rehearsal: Rehearsal, what: string, fn: () => Promise<{ code: number; output: string }>) {
  const sampler = new MemorySampler();
  sampler.start();
  const logBefore = commandLog(rehearsal.stateFile).length;
  const t0 = Date.now();
  const r = await fn();
  const ms = Date.now() - t0;
  const peaks = sampler.stop();
  if (r.code !== 0) throw new Error(`${what} failed:\n${r.output.slice(-3000)}`);
  const all = commandLog(rehearsal.stateFile).slice(logBefore);
  const log = all.filter((l) => l.cmdlet);
  const writes = log.filter((l) => WRITE.test(l.cmdlet!) && l.ok);
  const gate = /mail flow checked for (\d+) users \((\d+) reads in (\d+) ms, checked in (\d+) ms\)/.exec(r.output);
  return {
    ms,
    peaks,
    gate: gate ? { users: Number(gate[1]), reads: Number(gate[2]), readMs: Number(gate[3]), checkMs: Number(gate[4]) } : undefined,
    writes: log.filter((l) => WRITE.test(l.cmdlet!)).length,
    reads: log.filter((l) => !WRITE.test(l.cmdlet!)).length,
    connects: all.filter((l) => l.event === "connect").length,
    simulator: writeRates(writes.map((l) => Date.parse(l.t)), ms),
  };
}

/**
 * The simulator's writes per second: over the whole command, and in its busiest second (the
 * log's timestamps). The busiest second is what the simulator kept up with, whoever waited.
 */
function writeRates(times: number[], ms: number): { average: number; peak: number } {
  let peak = 0;
  for (let i = 0, j = 0; i < times.length; i++) {
    while (times[i]! - times[j]! >= 1000) j++;
    peak = Math.max(peak, i - j + 1);
  }
  return { average: times.length / (ms / 1000), peak };
}
const rates = (r: { average: number; peak: number }) => `simulator ${r.average.toFixed(0)} writes/s on average, ${r.peak} in its busiest second`;

/** The stack's checkpoint file in the project's file backend, and how many resources it holds. */
function stackState(projectDir: string, stack: string): { bytes: number; resources: number } {
  const file = execFileSync("find", [path.join(projectDir, ".state"), "-name", `${stack}.json`, "-path", "*stacks*"], { encoding: "utf8" }).trim().split("\n")[0]!;
  const text = fs.readFileSync(file, "utf8");
  return { bytes: text.length, resources: (text.match(/"urn":\s*"/g) ?? []).length };
}

const mb = (b: number) => `${(b / 1048576).toFixed(0)} MB`;
const secs = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

/** The stack config of a benchmark run: the latency model on both simulated targets. */
function stackConfig(waves: string[], naive: boolean) {
  const target = {
    kind: "simulator",
    stateFile: ".sim/world.json",
    latency: { connectMs: CONNECT_MS, cmdletMs: CMDLET_MS },
    maxSessions: SESSIONS,
    throttle: { budget: 25, windowMs: Math.max(1, Math.round(5000 * SCALE)) },
  };
  return {
    ...contosoStack,
    waves,
    exchange: target,
    source: target,
    pool: { maxSessions: SESSIONS, retryBaseMs: Math.max(1, Math.round(2000 * SCALE)), retryMaxMs: Math.max(2, Math.round(60000 * SCALE)), ...(naive ? { sessionUses: 1 } : {}) },
    cutover: { done: true },
  };
}

/**
 * N users in W waves added one by one to one stack: per wave its time against the strict ideal
 * (connect + N/W × cmdlet latency ÷ sessions, the two pools side by side), the state after it,
 * peak memory and the simulator's writes per second; then a no-change preview and up over all
 * of them and one destroy (neither with --waves-only). Each wave's line is printed as soon as it
 * is measured.
 */
async function runWaves(users: number, waves: number): Promise<void> {
  const project = rehearsalProject("bench");
  const { rehearsal } = project;
  const aliases = Array.from({ length: users }, (_, i) => `user${String(i).padStart(5, "0")}`);
  const per = Math.ceil(users / waves);
  const files = Array.from({ length: waves }, (_, k) => {
    const file = `batches/wave${k + 1}.csv`;
    const wave = aliases.slice(k * per, (k + 1) * per);
    fs.writeFileSync(path.join(project.dir, file), "EmailAddress\n" + wave.map((a) => `${a}@contoso.com`).join("\n") + "\n");
    return file;
  });
  project.writeConfig(stackConfig(files.slice(0, 1), false));
  await rehearsal.reset({ domain: "contoso.com", organization: "contoso.onmicrosoft.com", users: aliases });
  const par = ["--parallel", String(PARALLEL)];
  const ideal = CONNECT_MS + (per * CMDLET_MS) / SESSIONS;
  console.log(`\n${waves} waves of ${per} users; strict ideal per wave (connect + ${per} × ${secs(CMDLET_MS)} ÷ ${SESSIONS}): ${secs(ideal)}`);
  console.log("| wave | users in stack | wave time | per user | ratio to strict ideal | writes | state | bytes / resource | peak CLI / provider | simulator writes/s (average / busiest second) | load average (1 min) after |");
  console.log("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |");
  for (let k = 1; k <= waves; k++) {
    project.writeConfig(stackConfig(files.slice(0, k), false));
    const up = await timedRun(rehearsal, `wave ${k}`, () => rehearsal.run(["up", "--yes", "--skip-preview", "--suppress-outputs", ...par]));
    const state = stackState(project.dir, "bench");
    console.log(
      `| ${k} | ${Math.min(users, k * per)} | ${secs(up.ms)} | ${(up.ms / per).toFixed(0)} ms | ${(up.ms / ideal).toFixed(2)} | ${up.writes} | ${(state.bytes / 1024).toFixed(0)} KB, ${state.resources} resources | ${(state.bytes / state.resources).toFixed(0)} | ${mb(up.peaks.cli)} / ${mb(up.peaks.provider)} | ${up.simulator.average.toFixed(0)} / ${up.simulator.peak} | ${os.loadavg()[0]!.toFixed(1)} |`,
    );
  }
  if (args.includes("--keep")) {
    console.log(`stack kept in ${project.dir}; time no-change previews with: npm run bench -- --previews-in ${project.dir}`);
    return;
  }
  // --waves-only: the waves and nothing after them (the no-change runs write no checkpoint, and
  // a destroy of 10,000 takes longer than a wave).
  if (args.includes("--waves-only")) return project.cleanup();
  const preview = await timedRun(rehearsal, "preview", () => rehearsal.run(["preview", ...par]));
  console.log(`no-change preview over ${users} users: ${secs(preview.ms)}, ${preview.writes} writes, ${preview.reads} reads`);
  const again = await timedRun(rehearsal, "no-change up", () => rehearsal.run(["up", "--yes", "--skip-preview", "--suppress-outputs", ...par]));
  console.log(`no-change up: ${secs(again.ms)}, ${again.writes} writes, ${again.reads} reads`);
  // The destroy can skip checkpoints even when the waves kept them (--destroy-skip-checkpoints): with them it is the longest part by far.
  const skip = CHECKPOINTS && args.includes("--destroy-skip-checkpoints");
  const destroyer = skip ? new Rehearsal(project.dir, "bench", rehearsal.stateFile, { ...project.env, PULUMI_SKIP_CHECKPOINTS: "true" }) : rehearsal;
  const destroy = await timedRun(rehearsal, "destroy", () => destroyer.run(["destroy", "--yes", "--skip-preview", ...par]));
  console.log(`destroy of ${users} users${skip ? " (checkpoints skipped)" : ""}: ${secs(destroy.ms)}, ${destroy.writes} writes, peak CLI ${mb(destroy.peaks.cli)}, provider ${mb(destroy.peaks.provider)}; ${rates(destroy.simulator)}`);
  project.cleanup();
}

/** K no-change previews of a stack kept by `--keep`, each with its time, memory, reads and state size. */
async function runPreviews(dir: string, repeat: number): Promise<void> {
  const { rehearsal } = rehearsalProject("bench", { reuse: dir });
  const state = stackState(dir, "bench");
  const users = fs.readdirSync(path.join(dir, "batches")).filter((f) => /^wave\d+\.csv$/.test(f)).reduce((n, f) => n + fs.readFileSync(path.join(dir, "batches", f), "utf8").trim().split("\n").length - 1, 0);
  console.log(`no-change previews of the stack in ${dir}: about ${users} users, state ${(state.bytes / 1024).toFixed(0)} KB (${(state.bytes / Math.max(1, users)).toFixed(0)} bytes per user)`);
  for (let k = 1; k <= repeat; k++) {
    const preview = await timedRun(rehearsal, "preview", () => rehearsal.run(["preview", "--parallel", String(PARALLEL)]));
    const g = preview.gate;
    console.log(`preview ${k}: ${secs(preview.ms)}, ${preview.writes} writes, ${preview.reads} reads, peak CLI ${mb(preview.peaks.cli)} / provider ${mb(preview.peaks.provider)}${g ? `, gate ${secs(g.readMs)} reads + ${secs(g.checkMs)} check` : ""}, load ${os.loadavg()[0]!.toFixed(1)}`);
  }
}

async function run(users: number, naive: boolean) {
  const project = rehearsalProject(naive ? "naive" : "bench");
  const { rehearsal } = project;
  const aliases = Array.from({ length: users }, (_, i) => `user${String(i).padStart(5, "0")}`);
  fs.writeFileSync(path.join(project.dir, "batches", "bench.csv"), "EmailAddress\n" + aliases.map((a) => `${a}@contoso.com`).join("\n") + "\n");
  const config = stackConfig(["batches/bench.csv"], naive);
  project.writeConfig(config);
  await rehearsal.reset({ domain: "contoso.com", organization: "contoso.onmicrosoft.com", users: aliases });
  const timed = (what: string, fn: () => Promise<{ code: number; output: string }>) => timedRun(rehearsal, what, fn);
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
  const reuse = args.indexOf("--previews-in");
  if (reuse >= 0) return runPreviews(path.resolve(args[reuse + 1]!), flag("repeat", 2));
  if (WAVES > 0) return runWaves(N, WAVES);
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
  console.log(`  ${rates(main.up.simulator)}`);
  const gateLine = (g: (typeof main.up)["gate"]) => (g ? `${g.reads} reads in ${secs(g.readMs)}, model checked in ${secs(g.checkMs)} for ${g.users} users` : "not reported");
  console.log(`  safety gate (its own pools, before any resource): ${gateLine(main.up.gate)}`);
  console.log(`  state: ${(main.stateBytes / 1024).toFixed(0)} KB, ${(main.stateBytes / (N + 6)).toFixed(0)} bytes per resource`);
  console.log(`no-change preview: ${secs(main.preview!.ms)}, ${main.preview!.writes} writes, ${main.preview!.reads} reads (the gate's: ${gateLine(main.preview!.gate)})`);
  console.log(`no-change up: ${secs(main.again!.ms)}, ${main.again!.writes} writes, ${main.again!.reads} reads`);
  console.log(`destroy: ${secs(main.destroy!.ms)}, ${main.destroy!.writes} writes, peak CLI ${mb(main.destroy!.peaks.cli)}, provider ${mb(main.destroy!.peaks.provider)}; ${rates(main.destroy!.simulator)}`);

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
    `simulator ${main.up.simulator.average.toFixed(0)} writes/s (busiest second ${main.up.simulator.peak})`,
  ].join("; ")}`);
}

main().catch((e: Error) => {
  console.error(e.message);
  process.exit(1);
});
