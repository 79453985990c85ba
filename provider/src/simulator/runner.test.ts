import { ChildProcess, spawn } from "node:child_process";
import * as path from "node:path";
import * as readline from "node:readline";
import { allowedCmdlets } from "../exchange/cmdlets";
import { PROTOCOL_VERSION } from "../exchange/protocol";
import { isAlive } from "./store";
import { commandLog, freshWorld, readWorld, simTarget } from "../testing/simulator";

// The simulator runner leaves when its input ends or nobody reads its answers, whatever it was
// doing, and gives its session back: the pool closed it, or the pool's process is gone.
const started: ChildProcess[] = [];
afterEach(() => {
  for (const child of started.splice(0)) if (isAlive(child.pid!)) child.kill("SIGKILL");
});

async function until<T>(what: string, value: () => T | undefined | false, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = value();
    if (v !== undefined && v !== false) return v;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe("the simulator runner on end of input", () => {
  function runner(): { child: ChildProcess; answers: () => Record<string, unknown>[] } {
    const child = spawn(process.execPath, [path.join(__dirname, "runner.js")], { stdio: ["pipe", "pipe", "pipe"] });
    started.push(child);
    const answers: Record<string, unknown>[] = [];
    readline.createInterface({ input: child.stdout! }).on("line", (l) => answers.push(JSON.parse(l) as Record<string, unknown>));
    return { child, answers: () => answers };
  }
  const send = (child: ChildProcess, line: object) => child.stdin!.write(JSON.stringify(line) + "\n");
  const connect = (stateFile: string, extra = {}) => ({ id: 1, type: "connect", role: "exchange", target: simTarget(stateFile, extra), allow: allowedCmdlets("exchange") });
  const get = (id: number) => ({ id, type: "invoke", cmdlet: "Get-AcceptedDomain", parameters: { Identity: "contoso.com" } });

  test("leaves in the middle of a command that would never end, giving its session back", async () => {
    const { stateFile } = freshWorld();
    const { child, answers } = runner();
    send(child, connect(stateFile, { faults: { hangAfter: 1 } }));
    send(child, get(2));
    await until("the command to hang", () => commandLog(stateFile).some((l) => l.fault === "hang"));
    expect(answers()).toEqual([{ type: "hello", runner: "simulator", protocol: PROTOCOL_VERSION }, { id: 1, ok: true, output: allowedCmdlets("exchange").map((Name) => ({ Name })) }]);
    expect(readWorld(stateFile).sessions).toHaveLength(1);
    child.stdin!.end();
    await until("the runner to exit", () => child.exitCode !== null);
    expect(child.exitCode).toBe(0);
    expect(readWorld(stateFile).sessions).toEqual([]);
  });

  test("answers what it had already read, then leaves", async () => {
    const { stateFile } = freshWorld();
    const { child, answers } = runner();
    child.stdin!.end([connect(stateFile, { latency: { connectMs: 0, cmdletMs: 100 } }), get(2), get(3)].map((l) => JSON.stringify(l)).join("\n") + "\n");
    await until("the runner to exit", () => child.exitCode !== null);
    expect(answers().map((a) => a.id ?? a.type)).toEqual(["hello", 1, 2, 3]);
    expect(readWorld(stateFile).sessions).toEqual([]);
  });

  test("leaves when nobody reads its answers any more, giving its session back", async () => {
    const { stateFile } = freshWorld();
    const { child, answers } = runner();
    send(child, connect(stateFile));
    await until("the connect answer", () => answers().length === 2);
    child.stdout!.destroy(); // the pool's end of the pipe is gone; stdin stays open
    send(child, get(2));
    await until("the runner to exit", () => child.exitCode !== null);
    expect(child.exitCode).toBe(0);
    expect(readWorld(stateFile).sessions).toEqual([]);
  });
});
