import { ChildProcess, spawn } from "node:child_process";
import * as path from "node:path";
import * as readline from "node:readline";
import { allowedCmdlets } from "../exchange/cmdlets";
import { Role } from "../exchange/protocol";
import { isAlive } from "./store";
import { freshWorld, simTarget } from "../testing/simulator";

/*
 * Sessions and throttling as each side documents them. The on-premises source is Remote
 * PowerShell: a runspace per session, capped by the throttling policy (PowerShellMaxConcurrency,
 * Set-ThrottlingPolicy.md). Exchange Online's EXO V3 module is REST: its connection "avoids
 * setting up a PowerShell runspace" (exchange/docs-conceptual/exchange-online-powershell-v2.md)
 * and no cap or throttling text of it is documented.
 */
const started: ChildProcess[] = [];
afterEach(() => {
  for (const child of started.splice(0)) if (isAlive(child.pid!)) child.kill("SIGKILL");
});

interface Runner {
  send: (line: object) => void;
  answer: (id: number) => Promise<Record<string, unknown>>;
}

function runner(): Runner {
  const child = spawn(process.execPath, [path.join(__dirname, "runner.js")], { stdio: ["pipe", "pipe", "pipe"] });
  started.push(child);
  const answers = new Map<number, Record<string, unknown>>();
  const waiting = new Map<number, (a: Record<string, unknown>) => void>();
  readline.createInterface({ input: child.stdout! }).on("line", (l) => {
    const a = JSON.parse(l) as Record<string, unknown>;
    if (typeof a.id !== "number") return;
    const w = waiting.get(a.id);
    if (w) w(a);
    else answers.set(a.id, a);
  });
  return {
    send: (line) => child.stdin!.write(JSON.stringify(line) + "\n"),
    answer: (id) => (answers.has(id) ? Promise.resolve(answers.get(id)!) : new Promise((r) => waiting.set(id, r))),
  };
}

async function connectMany(role: Role, stateFile: string, count: number, extra = {}): Promise<Array<Record<string, unknown>>> {
  const out: Array<Record<string, unknown>> = [];
  for (let i = 0; i < count; i++) {
    const r = runner();
    r.send({ id: 1, type: "connect", role, target: simTarget(stateFile, { maxSessions: 2, ...extra }), allow: allowedCmdlets(role) });
    out.push(await r.answer(1));
  }
  return out;
}

const errorOf = (a: Record<string, unknown>) => a.error as { kind: string; reason: string; message: string } | undefined;

describe("simulated sessions", () => {
  test("the source caps its Remote PowerShell sessions with the MaxConcurrency runspace text", async () => {
    const { stateFile } = freshWorld();
    const answers = await connectMany("source", stateFile, 3);
    expect(answers.map((a) => a.ok)).toEqual([true, true, false]);
    expect(errorOf(answers[2]!)).toEqual({
      kind: "throttled",
      reason: "PSRemotingTransportException",
      message: "Fail to create a runspace because you have exceeded the maximum number of connections allowed : 2 for the policy party : MaxConcurrency.",
    });
  });

  test("Exchange Online opens no runspace: no session cap, and no runspace text", async () => {
    const { stateFile } = freshWorld();
    const answers = await connectMany("exchange", stateFile, 4);
    expect(answers.map((a) => a.ok)).toEqual([true, true, true, true]);
  });

  test("a throttled Exchange Online call answers as a REST call does (HTTP 429); the source names its cmdlet budget", async () => {
    const { stateFile } = freshWorld();
    const throttle = { throttle: { budget: 1, windowMs: 60_000 } };
    const exo = runner();
    exo.send({ id: 1, type: "connect", role: "exchange", target: simTarget(stateFile, throttle), allow: allowedCmdlets("exchange") });
    for (const id of [2, 3]) exo.send({ id, type: "invoke", cmdlet: "Get-AcceptedDomain", parameters: { Identity: "contoso.com" } });
    expect((await exo.answer(2)).ok).toBe(true);
    expect(errorOf(await exo.answer(3))).toEqual({
      kind: "throttled",
      reason: "HttpRequestException",
      message: "Response status code does not indicate success: 429 (Too Many Requests).",
    });
    const source = runner();
    source.send({ id: 1, type: "connect", role: "source", target: simTarget(stateFile, throttle), allow: allowedCmdlets("source") });
    for (const id of [2, 3]) source.send({ id, type: "invoke", cmdlet: "Get-Mailbox", parameters: { Identity: "alice" } });
    expect((await source.answer(2)).ok).toBe(true);
    const budget = errorOf(await source.answer(3));
    expect([budget?.kind, budget?.reason]).toEqual(["throttled", "ThrottlingException"]);
    expect(budget?.message).toMatch(/^The request was throttled: the session's cmdlet budget is used up\. Retry after \d+ seconds\.$/);
  });
});
