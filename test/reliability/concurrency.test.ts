import * as fs from "node:fs";
import * as path from "node:path";
import { ChildProcess } from "node:child_process";
import { commandLog } from "@coexist/provider/testing";
import { writeLatch } from "../harness/hold";
import { describeProcess, isCoexistProcess, kindOf } from "../harness/processes";
import { contosoStack, exportedState, misrouted, rehearsalProject } from "../harness/rehearsal";

// Two consultants (or two terminals) on one stack: the file backend's stack lock must refuse
// the second run while the first is under way, and a run killed outright must leave nothing a
// plain re-run cannot finish.
const project = rehearsalProject("concurrency");
const { rehearsal } = project;
afterAll(() => project.cleanup());

const USERS = ["alice", "bob", "carol", "dave", "erin"];
// The first run's writes wait at this latch while the test acts, however fast or slow the
// machine: the second run certainly arrives while the first holds the lock, and the kill
// certainly lands mid-wave.
const latch = writeLatch(path.join(project.dir, "hold", "writes"));
const holding = { faults: { holdWritesWhile: latch.file } };
const config = (waves: string[]) => ({
  ...contosoStack,
  waves,
  exchange: { ...contosoStack.exchange, ...holding },
  source: { ...contosoStack.source, ...holding },
  pool: { retryBaseMs: 10, retryMaxMs: 100 },
});
const up = ["up", "--yes", "--skip-preview", "--suppress-outputs"];
const lockDir = () => path.join(project.dir, ".state", ".pulumi", "locks");
const locks = () => (fs.existsSync(lockDir()) ? (fs.readdirSync(lockDir(), { recursive: true }) as string[]).filter((f) => f.endsWith(".json")) : []);
const writes = () => commandLog(rehearsal.stateFile).filter((l) => l.ok && /^(Set|New|Add|Remove)-/.test(l.cmdlet ?? ""));
async function until(what: string, condition: () => boolean, timeoutMs = 60_000) {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Each user exactly once, where the waves say, and mail safe for everyone. */
async function expectConverged(migrated: string[]) {
  const w = rehearsal.world();
  expect([w.tenant.groups.length, w.tenant.outboundConnectors.length, w.tenant.transportRules.length]).toEqual([1, 1, 2]);
  expect([...w.tenant.groups[0]!.Members].sort()).toEqual(migrated.map((a) => `${a}@contoso.com`));
  expect(misrouted(w, migrated)).toEqual([]);
  const { urns, pending } = await exportedState(rehearsal);
  expect(new Set(urns).size).toBe(urns.length);
  expect(pending).toEqual([]);
  await rehearsal.must(["preview", "--expect-no-changes"]);
}

describe("two runs on one stack", () => {
  it("refuses a second `pulumi up` (and a destroy) while the first holds the stack lock, and the first finishes intact", async () => {
    project.writeConfig(config(["batches/wave1.csv"]));
    await rehearsal.reset({ domain: "contoso.com", organization: "contoso.onmicrosoft.com", users: USERS });
    latch.hold();
    const first = rehearsal.up();
    await until("the first run's first write to wait at the latch", () => latch.held().length > 0);
    expect(locks().length).toBe(1);
    const second = await rehearsal.run(up);
    expect(second.code).not.toBe(0);
    expect(second.output).toMatch(/the stack is currently locked by 1 lock/);
    const destroy = await rehearsal.run(["destroy", "--yes", "--skip-preview"]);
    expect(destroy.output).toMatch(/the stack is currently locked by 1 lock/);
    expect(writes()).toEqual([]); // the first run was still waiting at its first write
    latch.release();
    const r = await first;
    expect(r.code === 0 ? "ok" : r.output).toBe("ok");
    // Only the first run connected, from its program (the safety gate's reads) and its provider:
    // the refused runs started nothing.
    const connects = commandLog(rehearsal.stateFile).filter((l) => l.event === "connect");
    expect(new Set(connects.map((l) => l.ppid)).size).toBe(2);
    expect(locks()).toEqual([]);
    await expectConverged(["alice", "bob", "carol"]);
  });

  it("recovers from a `pulumi up` killed with its process group: its provider and runners exit with their sessions closed, the lock is cleared with `pulumi cancel`, then a plain re-run converges", async () => {
    project.writeConfig(config(["batches/wave1.csv", "batches/wave2.csv"]));
    const before = writes().length;
    let cli: ChildProcess | undefined;
    // Kill it mid-wave: after wave 2's first write, before its last (held at the latch).
    latch.hold(1);
    const killed = rehearsal.run(up, undefined, (c) => (cli = c));
    await until("wave 2's first write, and its next one waiting", () => writes().length > before && latch.held().length > 0);
    const running = project.processes().filter(isCoexistProcess).map((p) => kindOf(p.command));
    process.kill(-cli!.pid!, "SIGKILL");
    await killed;
    expect(locks().length).toBe(1);

    // The CLI starts its plugins outside its own process group, so the kill left them running.
    // coexist's provider host notices its engine is gone, ends every runner's input and exits;
    // each runner gives its session back and exits.
    expect(running).toContain("coexist provider host");
    expect(running).toContain("coexist runner (simulated tenant)");
    const ours = () => project.processes().filter(isCoexistProcess);
    await until("coexist's processes of the killed run to exit", () => ours().length === 0, 20_000).catch((e: Error) => {
      throw new Error(`${e.message}; still running:\n${ours().map(describeProcess).join("\n")}`);
    });
    expect(rehearsal.world().sessions).toEqual([]);
    // The runners waiting at the latch left as their input ended, their writes not applied.
    expect(writes().length).toBe(before + 1);
    latch.release();
    // What is left is Pulumi's own language host, which checks its engine only every 5 minutes
    // (and exits then): end it rather than leave it to the rest of the test run.
    const pulumis = project.processes();
    expect(pulumis.map((p) => kindOf(p.command)).filter((k) => k !== "Pulumi's language host" && k !== "Pulumi program")).toEqual([]);
    for (const p of pulumis) {
      try {
        process.kill(p.pid, "SIGKILL");
      } catch {
        // exited meanwhile
      }
    }
    const refused = await rehearsal.run(up);
    expect(refused.output).toMatch(/the stack is currently locked/);

    await rehearsal.must(["cancel", "--yes"]);
    const again = await rehearsal.run(up);
    expect(again.code === 0 ? "ok" : again.output).toBe("ok");
    // The engine recorded the creates the kill cut short; the re-run re-did them (adopting what
    // had reached the tenant) and warned. Clearing the records is the last step of the recovery.
    expect(again.output).toMatch(/pending operation/);
    await rehearsal.must(["refresh", "--clear-pending-creates", "--yes", "--skip-preview"]);
    await expectConverged(["alice", "bob", "carol", "dave", "erin"]);
  });
});
