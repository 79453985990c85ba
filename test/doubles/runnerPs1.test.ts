import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { closeTestPools, freshWorld, simTarget, testPool } from "@coexist/provider/testing";
import { launchFor, runnerScript } from "@coexist/provider/dist/runner/launch";
import { RunnerLaunch } from "@coexist/provider/dist/runner/process";
import { Command } from "@coexist/provider/dist/exchange/command";
import { Role } from "@coexist/provider/dist/exchange/protocol";
import { SimulatorTarget } from "@coexist/provider/dist/exchange/targets";
import { runnerPs1Env } from "../harness/rehearsal";

/*
 * runner.ps1 in real pwsh, with the test doubles of ExchangeOnlineManagement, PSWSMan and PSGSuite
 * (test/doubles/modules), against the same simulated world as the simulator's own runner: the
 * same commands must get the same answers, objects and failures alike (kind, reason, message).
 * Where they differ, runner.ps1 reads a real module's objects or errors differently from what the
 * simulator models, which is what these tests exist to find.
 */

/** The launch of a target with runner.ps1 and the doubles in front of the simulator (launch.ts). */
function runnerPs1Launch(target: SimulatorTarget): RunnerLaunch {
  const saved = { ...process.env };
  Object.assign(process.env, runnerPs1Env());
  try {
    return launchFor(target);
  } finally {
    for (const k of Object.keys(runnerPs1Env())) if (saved[k] === undefined) delete process.env[k];
  }
}

type Answer = { ok: true; output: unknown } | { ok: false; kind: string; reason: string | undefined; message: string };
async function answer(run: Promise<Record<string, unknown>[]>): Promise<Answer> {
  try {
    return { ok: true, output: await run };
  } catch (e) {
    const x = e as { kind: string; reason?: string; message: string };
    if (x.kind === undefined) throw e;
    return { ok: false, kind: x.kind, reason: x.reason, message: x.message };
  }
}

/** Each command's answer from both runners, in order, on one world (reads only, so order is all). */
async function bothAnswers(role: Role, target: SimulatorTarget, commands: Command[], launch = runnerPs1Launch(target)) {
  const simulator = testPool(role, target);
  const pwsh = testPool(role, target, { launch, connectTimeoutMs: 60_000, commandTimeoutMs: 60_000 });
  const out: { command: string; simulator: Answer; pwsh: Answer }[] = [];
  for (const c of commands) {
    out.push({ command: `${c.cmdlet} ${JSON.stringify(c.parameters)}`, simulator: await answer(simulator.run(c)), pwsh: await answer(pwsh.run(c)) });
  }
  return out;
}

const sameAnswers = (rows: { command: string; simulator: Answer; pwsh: Answer }[]) =>
  expect(rows.map((r) => ({ command: r.command, answer: r.pwsh }))).toEqual(rows.map((r) => ({ command: r.command, answer: r.simulator })));

afterEach(() => closeTestPools());

describe("runner.ps1 through the module doubles, against the simulator runner", () => {
  it("answers Exchange Online's reads and failures as the simulator does (EXO V3 double)", async () => {
    const { stateFile } = freshWorld({ domain: "contoso.com", organization: "contoso.onmicrosoft.com", users: ["alice", "bob"] });
    const rows = await bothAnswers("exchange", simTarget(stateFile), [
      { cmdlet: "Get-AcceptedDomain", parameters: {} },
      { cmdlet: "Get-Recipient", parameters: { ResultSize: "Unlimited" } },
      { cmdlet: "Get-Mailbox", parameters: { Identity: "alice@contoso.com" } },
      { cmdlet: "Get-DistributionGroup", parameters: { Identity: "nope@contoso.com" } },
      { cmdlet: "Get-TransportRule", parameters: {} },
      { cmdlet: "Get-OutboundConnector", parameters: {} },
    ]);
    sameAnswers(rows);
    // The not-found came back as a failure on both sides, not as an empty answer.
    expect(rows[3]!.pwsh).toMatchObject({ ok: false, kind: "not-found", reason: "ManagementObjectNotFoundException" });
    // Multi-valued properties stay arrays, also with one element (ConvertTo-Json's unwrapping).
    const alice = (rows[2]!.pwsh as { output: { EmailAddresses: unknown }[] }).output[0]!;
    expect(Array.isArray(alice.EmailAddresses)).toBe(true);
  }, 120_000);

  it("answers the on-premises source's reads and failures as the simulator does (Remote PowerShell through the PSWSMan double)", async () => {
    const { stateFile } = freshWorld({ domain: "contoso.com", organization: "contoso.onmicrosoft.com", users: ["alice", "bob"] });
    const rows = await bothAnswers("source", simTarget(stateFile), [
      { cmdlet: "Get-Mailbox", parameters: { ResultSize: "Unlimited" } },
      { cmdlet: "Get-Mailbox", parameters: { Identity: "nobody@contoso.com" } },
      { cmdlet: "Get-AcceptedDomain", parameters: {} },
      { cmdlet: "Get-SendConnector", parameters: {} },
    ]);
    sameAnswers(rows);
    expect(rows[1]!.pwsh).toMatchObject({ ok: false, kind: "not-found" });
  }, 120_000);

  it("answers the Google Workspace source's reads and failures as the simulator does (PSGSuite double)", async () => {
    const { stateFile } = freshWorld({ domain: "contoso.com", organization: "contoso.onmicrosoft.com", users: ["alice", "bob"], sourceKind: "google-workspace" });
    const rows = await bothAnswers("google", simTarget(stateFile, { imitates: "google-workspace" }), [
      { cmdlet: "Get-GSUser", parameters: { Filter: "*" } },
      { cmdlet: "Get-GSDomain", parameters: {} },
      { cmdlet: "Get-GSDomainAlias", parameters: {} },
      { cmdlet: "Get-GSGmailAutoForwardingSettings", parameters: { User: "alice@contoso.com" } },
      { cmdlet: "Get-GSGmailForwardingAddress", parameters: { User: "alice@contoso.com" } },
      { cmdlet: "Get-GSGmailAutoForwardingSettings", parameters: { User: "nobody@contoso.com" } },
    ]);
    sameAnswers(rows);
    expect(rows[5]!.pwsh).toMatchObject({ ok: false });
  }, 120_000);

  it("fails a connect with the wrong certificate password as the simulator does, quoting no secret", async () => {
    const { stateFile } = freshWorld({ domain: "contoso.com", organization: "contoso.onmicrosoft.com", users: ["alice"], credentials: { certificatePassword: "right" } });
    const secret = "Wr0ng-P@ss'$(never)";
    const rows = await bothAnswers("exchange", simTarget(stateFile, { certificatePassword: secret }), [{ cmdlet: "Get-AcceptedDomain", parameters: {} }]);
    expect(rows[0]!.pwsh).toMatchObject({ ok: false, kind: "auth", reason: "CryptographicException" });
    sameAnswers(rows);
    expect(JSON.stringify(rows)).not.toContain(secret);
  }, 120_000);

  it("goes wrong when runner.ps1 is broken: ConvertTo-Json without -Depth flattens the objects", async () => {
    // The same tests must be able to fail: a copy of runner.ps1 whose protocol writer lost its
    // -Depth (ConvertTo-Json's default is 2) answers Get-Recipient with EmailAddresses as text.
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "coexist-broken-runner-"));
    for (const f of fs.readdirSync(path.dirname(runnerScript))) fs.copyFileSync(path.join(path.dirname(runnerScript), f), path.join(dir, f));
    const source = fs.readFileSync(runnerScript, "utf8");
    const broken = source.replace("ConvertTo-Json -InputObject $Message -Compress -Depth 8", "ConvertTo-Json -InputObject $Message -Compress");
    expect(broken).not.toBe(source);
    fs.writeFileSync(path.join(dir, "runner.ps1"), broken);
    const { stateFile } = freshWorld();
    const target = simTarget(stateFile);
    const launch = runnerPs1Launch(target);
    const rows = await bothAnswers("exchange", target, [{ cmdlet: "Get-Recipient", parameters: { ResultSize: "Unlimited" } }], { ...launch, args: [...launch.args.slice(0, -1), path.join(dir, "runner.ps1")] });
    expect(rows[0]!.pwsh).not.toEqual(rows[0]!.simulator);
    fs.rmSync(dir, { recursive: true, force: true });
  }, 120_000);
});
