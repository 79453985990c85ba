import * as fs from "node:fs";
import * as path from "node:path";
import { commandLog, prng, undelivered, userRows, World } from "@coexist/provider/testing";
import { contosoStack, exportedState, misrouted, rehearsalProject } from "../harness/rehearsal";

// A 200-user wave and its cleanup, each under fire: the simulated tenant kills the runner at 20
// random write points (before or after the write takes effect), throttles 30 % of all calls and
// hangs some. After every interrupted run, a plain re-run of the same command: in the end no
// object is doubled, no user is missing, and no user's mail loops or bounces at any point.
const USERS = 200;
const KILLS = 20;
const SEED = Number(process.env.COEXIST_FAULT_SEED ?? 20261123);
const MAX_RUNS = 40;

const project = rehearsalProject("faults");
const { rehearsal } = project;
afterAll(() => project.cleanup());

const aliases = Array.from({ length: USERS }, (_, i) => `user${String(i).padStart(3, "0")}`);
// Hangs: now and then on the tenant, and on every source runner's 15th command (a source
// command is safe to retry, so those exercise the timeout and replacement without a stop).
const faults = { seed: SEED, throttleRate: 0.3, hangRate: 0.003 };
const config = {
  ...contosoStack,
  waves: ["batches/big.csv"],
  exchange: { ...contosoStack.exchange, faults },
  source: { ...contosoStack.source, faults: { seed: SEED + 1, throttleRate: 0.3, hangAfter: 15 } },
  // Quick retries (the faults are dense) and a short timeout that turns a hang into a kill.
  pool: { retryBaseMs: 5, retryMaxMs: 40, retryAttempts: 10, commandTimeoutSeconds: 2, connectTimeoutSeconds: 30 },
};

/** KILLS distinct write numbers in [from, from + span), each before or after its write. */
function killSchedule(random: () => number, from: number, span: number) {
  const points = new Set<number>();
  while (points.size < KILLS) points.add(from + Math.floor(random() * span));
  return [...points].sort((a, b) => a - b).map((write) => ({ write, point: random() < 0.5 ? ("before-apply" as const) : ("after-apply" as const), fired: false }));
}

/** What must hold after any run, finished or not: nothing doubled, no mail lost in a loop. */
function expectSafe(w: World) {
  expect(w.tenant.groups.length).toBeLessThanOrEqual(1);
  expect(w.tenant.outboundConnectors.length).toBeLessThanOrEqual(1);
  const ruleNames = w.tenant.transportRules.map((r) => r.Name);
  expect(new Set(ruleNames).size).toBe(ruleNames.length);
  const members = w.tenant.groups[0]?.Members ?? [];
  expect(new Set(members).size).toBe(members.length);
  expect(undelivered(w)).toEqual([]);
}

/** Runs `args` until one run succeeds, checking safety after each; returns how it went. */
async function untilConverged(args: string[]) {
  const codes: number[] = [];
  const errors: string[] = [];
  for (let run = 0; run < MAX_RUNS; run++) {
    const r = await rehearsal.run(args);
    codes.push(r.code);
    expectSafe(rehearsal.world());
    if (r.code === 0) break;
    // A partial run names each user that did not finish, "  <user>: <reason>", under its first line.
    const lines = r.output.split("\n");
    errors.push(
      ...lines
        .flatMap((l, i) => {
          if (!/users did not finish/.test(l)) return / error: /.test(l) && !/update failed|destroy failed|\d+ errors? occurred/.test(l) ? [l.replace(/^.*? error: /, "")] : [];
          const reasons: string[] = [];
          for (const x of lines.slice(i + 1)) {
            const m = /^\s+[^\s@]+@[^\s:]+: (.*)$/.exec(x);
            if (!m) break;
            reasons.push(m[1]!);
          }
          return reasons;
        }),
    );
  }
  return { codes, errors };
}

/**
 * The faults of a phase: kills from the world's schedule (a killed runner may not live to log
 * its death: Pulumi also kills a provider's runners when a failed run ends), the rest from the
 * simulator's command log since line `from`.
 */
function faultsSince(from: number) {
  const log = commandLog(rehearsal.stateFile).slice(from);
  const fired = rehearsal.world().killSchedule!.kills.filter((k) => k.fired);
  return {
    killsBeforeApply: fired.filter((k) => k.point === "before-apply").length,
    killsAfterApply: fired.filter((k) => k.point === "after-apply").length,
    hangs: log.filter((l) => l.fault === "hang").length,
    throttled: log.filter((l) => l.kind === "throttled").length,
    /** Commands the simulator answered or dropped, throttled answers included. */
    commands: log.filter((l) => l.cmdlet).length,
  };
}

describe(`a ${USERS}-user wave and its cleanup under runner kills, throttling and hangs (seed ${SEED})`, () => {
  const random = prng(SEED);
  const report: Record<string, unknown> = { seed: SEED };
  afterAll(() => console.log(`reliability: ${JSON.stringify(report)}`));

  it("converges on plain re-runs of `pulumi up`: no user lost, nothing doubled, no loop at any point", async () => {
    fs.writeFileSync(path.join(project.dir, "batches", "big.csv"), ["EmailAddress", ...aliases.map((a) => `${a}@contoso.com`)].join("\n") + "\n");
    project.writeConfig(config);
    await rehearsal.reset({ domain: "contoso.com", organization: "contoso.onmicrosoft.com", users: aliases });
    // The wave makes at least 405 writes (5 shared objects, 2 per user): every kill lands in it.
    rehearsal.updateWorld((w) => void (w.killSchedule = { writes: 0, kills: killSchedule(random, 1, 2 * USERS) }));

    const { codes, errors } = await untilConverged(["up", "--yes", "--skip-preview", "--suppress-outputs"]);
    const w = rehearsal.world();
    const seen = faultsSince(0);
    // Reported before the checks, so a run that did not converge says why.
    report.wave = { runs: codes.length, interrupted: codes.filter((c) => c !== 0).length, ...seen, errors: [...new Set(errors)] };
    expect(codes.at(-1)).toBe(0);
    expect(w.killSchedule!.kills.filter((k) => !k.fired)).toEqual([]);
    // A run stopped only where an outcome was unknown: retries absorbed every throttle.
    expect(errors.filter((e) => !/may or may not have taken effect/.test(e))).toEqual([]);
    expect(seen.killsBeforeApply + seen.killsAfterApply).toBe(KILLS);
    expect(seen.throttled).toBeGreaterThan(0.2 * seen.commands);
    expect(seen.hangs).toBeGreaterThan(0);

    // Every user once in the group and forwarded to their routing address; mail reaches them.
    expect([...w.tenant.groups[0]!.Members].sort()).toEqual(aliases.map((a) => `${a}@contoso.com`));
    for (const m of w.source.mailboxes) expect({ user: m.Alias, to: m.ForwardingSmtpAddress }).toEqual({ user: m.Alias, to: `${m.Alias}@contoso.onmicrosoft.com` });
    expect(misrouted(w, aliases)).toEqual([]);
    report.usersLost = USERS - userRows(w).filter((r) => r.internet === "delivered-exchange").length;

    // State and tenant agree: one state entry per object, and nothing left to do.
    const { urns } = await exportedState(rehearsal);
    expect(new Set(urns).size).toBe(urns.length);
    // Every user in one resource (issue 24), whatever their number.
    expect(urns.filter((u) => u.includes("MigratedMailbox"))).toEqual([expect.stringMatching(/MigratedMailboxes::users$/)]);
    await rehearsal.must(["preview", "--expect-no-changes"]);
  });

  it("converges on plain re-runs of an interrupted `pulumi destroy`, and leaves nothing behind", async () => {
    const from = commandLog(rehearsal.stateFile).length;
    rehearsal.updateWorld((w) => {
      w.mx["contoso.com"] = "exchange";
      // The cleanup makes at least 205 writes (forwarding off per user, the 5 shared objects;
      // users stay in the group until it goes).
      w.killSchedule = { writes: 0, kills: killSchedule(random, 1, USERS) };
    });

    const { codes, errors } = await untilConverged(["destroy", "--yes", "--skip-preview"]);
    const w = rehearsal.world();
    const seen = faultsSince(from);
    report.destroy = { runs: codes.length, interrupted: codes.filter((c) => c !== 0).length, ...seen, errors: [...new Set(errors)] };
    expect(codes.at(-1)).toBe(0);
    expect(w.killSchedule!.kills.filter((k) => !k.fired)).toEqual([]);
    expect(errors.filter((e) => !/may or may not have taken effect/.test(e))).toEqual([]);
    expect(seen.killsBeforeApply + seen.killsAfterApply).toBe(KILLS);
    expect(seen.hangs).toBeGreaterThan(0);

    expect([w.tenant.groups, w.tenant.outboundConnectors, w.tenant.transportRules]).toEqual([[], [], []]);
    expect(w.tenant.acceptedDomains.find((d) => d.DomainName === "contoso.com")?.DomainType).toBe("Authoritative");
    expect(w.source.mailboxes.filter((m) => m.ForwardingSmtpAddress !== null)).toEqual([]);
    expect(userRows(w).filter((r) => r.internet !== "delivered-exchange")).toEqual([]);
    expect((await exportedState(rehearsal)).urns).toEqual([]);
  });
});
