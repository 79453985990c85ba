import * as fs from "node:fs";
import * as path from "node:path";
import { ChildProcess } from "node:child_process";
import { commandLog, prng, Rehearsal, undelivered, userRows, World } from "@coexist/provider/testing";
import { writeLatch } from "../harness/hold";
import { describeProcess, isCoexistProcess } from "../harness/processes";
import { contosoStack, exportedState, misrouted, rehearsalProject } from "../harness/rehearsal";

// docs/performance.md recommends PULUMI_SKIP_CHECKPOINTS=true for large waves: the engine then
// writes the state only when a run ends, so a run killed outright leaves the state as it was
// before that run, however much of it had reached Exchange. This suite kills the CLI with its
// whole process group at seeded random points of a wave and of its cleanup, each time at a known
// write (the simulator's write latch lets exactly N writes through and holds the rest), and shows
// that the documented recovery converges: no user lost, nothing doubled, no loop at any point.
//
// CI size by default; the full size with COEXIST_KILL_USERS=500 COEXIST_KILL_POINTS=10.
const USERS = Number(process.env.COEXIST_KILL_USERS ?? 60);
const POINTS = Number(process.env.COEXIST_KILL_POINTS ?? 4);
const SEED = Number(process.env.COEXIST_KILL_SEED ?? 20261207);
const MAX_RERUNS = 3;

const project = rehearsalProject("skipcheckpoints");
// The project's own environment, with checkpoints skipped for every command of the suite.
const rehearsal = new Rehearsal(project.dir, project.rehearsal.stack, project.rehearsal.stateFile, { ...project.env, PULUMI_SKIP_CHECKPOINTS: "true" });
afterAll(() => project.cleanup());

const aliases = Array.from({ length: USERS }, (_, i) => `user${String(i).padStart(3, "0")}`);
const latch = writeLatch(path.join(project.dir, "hold", "writes"));
const holding = { faults: { holdWritesWhile: latch.file } };
const config = {
  ...contosoStack,
  waves: ["batches/big.csv"],
  exchange: { ...contosoStack.exchange, ...holding },
  source: { ...contosoStack.source, ...holding },
  pool: { retryBaseMs: 10, retryMaxMs: 100 },
};
const up = ["up", "--yes", "--skip-preview", "--suppress-outputs"];
const destroy = ["destroy", "--yes", "--skip-preview"];
const isWrite = (cmdlet?: string) => /^(Set|New|Add|Remove|Enable|Disable)-/.test(cmdlet ?? "");
/** Write commands the simulator answered (ok or not) since log line `from`. */
const writesSince = (from: number) => commandLog(rehearsal.stateFile).slice(from).filter((l) => isWrite(l.cmdlet) && l.fault === undefined);
const lockDir = () => path.join(project.dir, ".state", ".pulumi", "locks");
const locks = () => (fs.existsSync(lockDir()) ? (fs.readdirSync(lockDir(), { recursive: true }) as string[]).filter((f) => f.endsWith(".json")) : []);

async function until(what: string, condition: () => boolean, timeoutMs = 60_000) {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** Nothing doubled and nobody's mail looping or bouncing: what must hold at every point. */
function expectSafe(w: World, when: string) {
  const members = w.tenant.groups[0]?.Members ?? [];
  const ruleNames = w.tenant.transportRules.map((r) => r.Name);
  const doubledAddresses = w.source.mailboxes.filter((m) => new Set(m.EmailAddresses.map((a) => a.toLowerCase())).size !== m.EmailAddresses.length);
  expect({
    when,
    groups: w.tenant.groups.length <= 1,
    connectors: w.tenant.outboundConnectors.length <= 1,
    rulesUnique: new Set(ruleNames).size === ruleNames.length,
    membersUnique: new Set(members).size === members.length,
    doubledAddresses: doubledAddresses.map((m) => m.Alias),
    undelivered: undelivered(w),
  }).toEqual({ when, groups: true, connectors: true, rulesUnique: true, membersUnique: true, doubledAddresses: [], undelivered: [] });
}

/** `count` distinct write numbers in [0, span): how many writes each killed run lets through. */
function killPoints(random: () => number, span: number, count: number): number[] {
  const points = new Set<number>();
  while (points.size < Math.min(count, span)) points.add(Math.floor(random() * span));
  return [...points];
}

interface Kill {
  passes: number;
  /** Writes the simulator applied or answered in the killed run (those already past the latch when the CLI died complete). */
  writes: number;
  heldAtKill: number;
  /** What the state held after the kill, and whether the engine recorded pending operations. */
  stateResources: number;
  pending: number;
  lockLeft: boolean;
  ms: number;
}

/**
 * Runs `args` with the latch letting `passes` writes through, and kills the CLI with its whole
 * process group once the next write waits there: a known point, whatever the machine's speed.
 * Then waits for the killed run's provider and runners to exit, checks safety while the world is
 * still, and clears the lock the kill left (`pulumi cancel`, as troubleshooting.md says).
 */
async function killAt(args: string[], passes: number, label: string): Promise<Kill> {
  const started = Date.now();
  const from = commandLog(rehearsal.stateFile).length;
  latch.hold(passes);
  let cli: ChildProcess | undefined;
  let done = false;
  const run = rehearsal.run(args, undefined, (c) => (cli = c)).then((r) => ((done = true), r));
  await until(`write ${passes + 1} of ${label} to wait at the latch`, () => done || latch.held().length > 0, 120_000);
  if (done) throw new Error(`${label}: the run ended before its write ${passes + 1}:\n${(await run).output}`);
  const heldAtKill = latch.held().length;
  expectSafe(rehearsal.world(), `${label}, held at write ${passes + 1}`);
  process.kill(-cli!.pid!, "SIGKILL");
  await run;
  const ours = () => project.processes().filter(isCoexistProcess);
  await until(`the killed run's provider and runners to exit`, () => ours().length === 0, 30_000).catch((e: Error) => {
    throw new Error(`${e.message}; still running:\n${ours().map(describeProcess).join("\n")}`);
  });
  // Pulumi's language host checks its engine only every 5 minutes: end it (and the program).
  for (const p of project.processes()) {
    try {
      process.kill(p.pid, "SIGKILL");
    } catch {
      // exited meanwhile
    }
  }
  const w = rehearsal.world();
  expect(w.sessions).toEqual([]);
  expectSafe(w, `${label}, after the kill`);
  const lockLeft = locks().length > 0;
  if (lockLeft) await rehearsal.must(["cancel", "--yes"]);
  const { urns, pending } = await exportedState(rehearsal);
  return { passes, writes: writesSince(from).length, heldAtKill, stateResources: urns.length, pending: pending.length, lockLeft, ms: Date.now() - started };
}

/** Plain re-runs of `args` (the latch open) until one succeeds; safety checked after each. */
async function rerun(args: string[], label: string) {
  latch.release();
  const outputs: string[] = [];
  const started = Date.now();
  for (let i = 0; i < MAX_RERUNS; i++) {
    const r = await rehearsal.run(args);
    expectSafe(rehearsal.world(), `${label}, re-run ${i + 1}`);
    outputs.push(r.output);
    if (r.code === 0) return { reruns: i + 1, ms: Date.now() - started, warnedPending: /pending operation/.test(r.output) };
  }
  throw new Error(`${label}: ${MAX_RERUNS} re-runs did not converge; last output:\n${outputs.at(-1)}`);
}

describe(`PULUMI_SKIP_CHECKPOINTS=true: the CLI killed with its process group at ${POINTS} seeded points of a ${USERS}-user wave and of its cleanup (seed ${SEED})`, () => {
  const random = prng(SEED);
  const report: Record<string, unknown> = { seed: SEED, users: USERS, points: POINTS };
  afterAll(() => console.log(`skipCheckpoints: ${JSON.stringify(report)}`));

  it("a killed `pulumi up` leaves the state as before the run; `pulumi cancel` and a plain re-run adopt what reached Exchange and converge", async () => {
    fs.writeFileSync(path.join(project.dir, "batches", "big.csv"), ["EmailAddress", ...aliases.map((a) => `${a}@contoso.com`)].join("\n") + "\n");
    project.writeConfig(config);
    await rehearsal.reset({ domain: "contoso.com", organization: "contoso.onmicrosoft.com", users: aliases });

    // The wave is 2 writes per user, whichever runs make them: each run plans from the live
    // tenant (issue 24) and does only what the killed ones left. Each point is drawn from a share
    // of the writes still to do, so it lands inside the run it is drawn for.
    let remaining = 2 * USERS;
    const kills: Kill[] = [];
    for (let i = 0; i < POINTS; i++) {
      const passes = Math.floor(random() * Math.max(1, Math.floor(remaining / (POINTS - i))));
      kills.push(await killAt(up, passes, `wave kill ${i + 1} (after ${passes} writes)`));
      remaining -= kills.at(-1)!.writes;
    }
    report.waveKills = kills;
    // Skipped checkpoints: nothing of a killed run reaches the state, not even a pending create.
    expect(kills.map((k) => [k.stateResources, k.pending, k.lockLeft])).toEqual(kills.map(() => [0, 0, true]));
    // And the killed runs did reach Exchange: users joined and forwarded before each kill.
    expect(rehearsal.world().tenant.groups[0]?.Members.length ?? 0).toBeGreaterThan(0);

    const final = await rerun(up, "wave");
    report.waveRerun = final;
    expect(final.warnedPending).toBe(false); // nothing for `refresh --clear-pending-creates` to clear

    const w = rehearsal.world();
    expect([w.tenant.groups.length, w.tenant.outboundConnectors.length, w.tenant.transportRules.length]).toEqual([1, 1, 2]);
    expect([...w.tenant.groups[0]!.Members].sort()).toEqual(aliases.map((a) => `${a}@contoso.com`));
    for (const m of w.source.mailboxes) expect({ user: m.Alias, to: m.ForwardingSmtpAddress }).toEqual({ user: m.Alias, to: `${m.Alias}@contoso.onmicrosoft.com` });
    expect(misrouted(w, aliases)).toEqual([]);
    report.waveUsersLost = USERS - userRows(w).filter((r) => r.internet === "delivered-exchange").length;
    expect(report.waveUsersLost).toBe(0);

    const { urns, pending } = await exportedState(rehearsal);
    expect(new Set(urns).size).toBe(urns.length);
    // Every user in one resource (issue 24), whatever their number.
    expect(urns.filter((u) => u.includes("MigratedMailbox"))).toEqual([expect.stringMatching(/MigratedMailboxes::users$/)]);
    expect(pending).toEqual([]);
    await rehearsal.must(["preview", "--expect-no-changes"]);
  });

  it("a killed `pulumi destroy` (after MX cutover) leaves the state whole; `pulumi cancel` and a plain re-run finish the cleanup", async () => {
    rehearsal.updateWorld((w) => void (w.mx["contoso.com"] = "exchange"));
    const stateBefore = (await exportedState(rehearsal)).urns.length;
    // Every run of the cleanup makes exactly one write per user (forwarding off; users stay in
    // the group until it goes) and 5 for the shared objects (removes of what is gone count).
    const points = killPoints(random, USERS + 5, POINTS);
    const kills: Kill[] = [];
    for (const [i, passes] of points.entries()) kills.push(await killAt(destroy, passes, `destroy kill ${i + 1} (after ${passes} writes)`));
    report.destroyKills = kills;
    expect(kills.map((k) => [k.stateResources, k.pending, k.lockLeft])).toEqual(kills.map(() => [stateBefore, 0, true]));

    const final = await rerun(destroy, "destroy");
    report.destroyRerun = final;
    const w = rehearsal.world();
    expect([w.tenant.groups, w.tenant.outboundConnectors, w.tenant.transportRules]).toEqual([[], [], []]);
    expect(w.tenant.acceptedDomains.find((d) => d.DomainName === "contoso.com")?.DomainType).toBe("Authoritative");
    expect(w.source.mailboxes.filter((m) => m.ForwardingSmtpAddress !== null)).toEqual([]);
    expect(userRows(w).filter((r) => r.internet !== "delivered-exchange")).toEqual([]);
    expect(await exportedState(rehearsal)).toEqual({ urns: [], pending: [] });
  });

  it("a rollback right after a killed run converges: what the killed run did is read from Exchange, not from the state", async () => {
    // A second wave on a stack whose first wave is done. The run that adds it is killed after 2
    // writes: one user of it joined the group and is forwarded, and the next write waits at the latch.
    const waveA = aliases.slice(0, 3);
    const waveB = aliases.slice(3, 6);
    for (const [file, users] of [["a.csv", waveA], ["b.csv", waveB]] as const) {
      fs.writeFileSync(path.join(project.dir, "batches", file), ["EmailAddress", ...users.map((a) => `${a}@contoso.com`)].join("\n") + "\n");
    }
    project.writeConfig({ ...config, waves: ["batches/a.csv"] });
    await rehearsal.reset({ domain: "contoso.com", organization: "contoso.onmicrosoft.com", users: aliases.slice(0, 6) });
    await rerun(up, "wave A");
    project.writeConfig({ ...config, waves: ["batches/a.csv", "batches/b.csv"] });
    await killAt(up, 2, "wave B kill");
    const forwarded = (w: World) => w.source.mailboxes.filter((m) => m.ForwardingSmtpAddress !== null).map((m) => m.Alias).sort();
    const inGroup = (w: World) => (w.tenant.groups[0]?.Members ?? []).map((m) => m.split("@")[0]!).filter((a) => waveB.includes(a));
    // The kill left part of wave B in Exchange, and none of it in the state.
    expect(inGroup(rehearsal.world()).length).toBeGreaterThan(0);
    const state = (await exportedState(rehearsal)).urns;
    expect(state.filter((u) => waveB.some((a) => u.includes(a)))).toEqual([]);

    // The consultant rolls wave B back at once, without re-running the killed command: the plan
    // is read from Exchange, so whatever the killed run did is undone.
    project.writeConfig({ ...config, waves: ["batches/a.csv", "batches/b.csv"], rollback: waveB.map((a) => `${a}@contoso.com`) });
    await rerun(up, "rollback right after the kill");
    report.rollbackAfterKill = { converged: true };
    const w = rehearsal.world();
    expect(forwarded(w)).toEqual(waveA);
    expect([...w.tenant.groups[0]!.Members].sort()).toEqual(waveA.map((a) => `${a}@contoso.com`));
    expect(misrouted(w, waveA)).toEqual([]);
    // Converged: nothing left to do.
    await rehearsal.must(["preview", "--expect-no-changes"]);
  });
});
