import { ChildProcess, spawn } from "node:child_process";
import * as readline from "node:readline";
import { Hello, Request, Response, Role } from "../exchange/protocol";

/** How to start a runner: the static pwsh script or the simulated tenant. */
export interface RunnerLaunch {
  command: string;
  args: string[];
  env?: NodeJS.ProcessEnv;
  /**
   * The target the connect request carries, when it is not the configured one: the simulated
   * tenant behind runner.ps1 is connected to as the real target kind of the role (launch.ts).
   */
  connectTarget?: (role: Role) => Record<string, unknown>;
}

/** The runner went away (exited, hung past its timeout, or broke the protocol). */
export class RunnerDied extends Error {
  constructor(
    readonly why: "exited" | "timeout" | "protocol" | "start",
    message: string,
    /** The spawn error's code (ENOENT: no such executable, EACCES: not executable): retrying cannot help. */
    readonly spawnCode?: string,
  ) {
    super(message);
    this.name = "RunnerDied";
  }
}

/**
 * Every runner this process has running, whichever pool started it (the provider's, or the
 * program's short-lived ones), so that a process whose engine is gone can end them all.
 */
const KEY = Symbol.for("coexist.runners");
type Runners = { live: Set<RunnerProcess>; closing: boolean };
const runners = (): Runners => ((globalThis as Record<symbol, Runners>)[KEY] ??= { live: new Set(), closing: false });

/** Ends every runner of this process, as close() does, and lets no new one start; resolves once they have exited. */
export async function closeAllRunners(graceMs?: number): Promise<void> {
  runners().closing = true;
  await Promise.all([...runners().live].map((r) => r.close(graceMs)));
}

type Pending = { resolve: (r: Response) => void; reject: (e: Error) => void; timer: NodeJS.Timeout };
export type RequestBody = Request extends infer R ? (R extends { id: number } ? Omit<R, "id"> : never) : never;

/**
 * One long-lived runner process and its newline-delimited JSON conversation. Requests are
 * answered in order, one at a time; the pool never sends a second before the first returns.
 */
export class RunnerProcess {
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  private exited: RunnerDied | undefined;
  /** Settles once the process has exited, however it ended. */
  readonly gone: Promise<void>;

  private constructor(
    private readonly child: ChildProcess,
    private readonly redact: (text: string) => string,
    private readonly debug: (line: string) => void,
  ) {
    this.gone = new Promise((resolve) => child.once("exit", () => resolve()));
  }

  static start(
    launch: RunnerLaunch,
    opts: { startTimeoutMs: number; redact: (text: string) => string; debug?: (line: string) => void },
  ): Promise<RunnerProcess> {
    if (runners().closing) return Promise.reject(new RunnerDied("start", "this process is shutting down"));
    const child = spawn(launch.command, launch.args, { env: launch.env ?? process.env, stdio: ["pipe", "pipe", "pipe"] });
    const runner = new RunnerProcess(child, opts.redact, opts.debug ?? (() => {}));
    runners().live.add(runner);
    child.once("exit", () => runners().live.delete(runner));
    child.once("error", () => runners().live.delete(runner)); // never started: no exit event
    // Writing to a runner that just died fails with EPIPE; its exit event already says it died.
    child.stdin!.on("error", (e) => runner.debug(`runner stdin: ${e.message}`));
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        runner.kill();
        reject(new RunnerDied("start", `runner ${launch.command} did not start within ${opts.startTimeoutMs} ms`));
      }, opts.startTimeoutMs);
      child.once("error", (e: NodeJS.ErrnoException) => {
        clearTimeout(timer);
        reject(new RunnerDied("start", `cannot start runner ${launch.command}: ${e.message}`, e.code));
      });
      child.once("exit", (code, signal) => {
        clearTimeout(timer);
        runner.died(new RunnerDied("exited", `runner exited (${signal ?? `code ${code}`})`));
        reject(runner.exited);
      });
      readline.createInterface({ input: child.stderr! }).on("line", (l) => runner.debug(`runner stderr: ${runner.redact(l)}`));
      readline.createInterface({ input: child.stdout! }).on("line", (line) => {
        let message: unknown;
        try {
          message = JSON.parse(line);
        } catch {
          runner.debug(`runner stdout (not protocol): ${runner.redact(line)}`);
          return;
        }
        if (Hello.safeParse(message).success) {
          clearTimeout(timer);
          resolve(runner);
          return;
        }
        const response = Response.safeParse(message);
        if (!response.success) {
          runner.debug(`runner sent an unreadable response: ${runner.redact(line).slice(0, 200)}`);
          return;
        }
        const waiting = runner.pending.get(response.data.id);
        if (!waiting) return;
        runner.pending.delete(response.data.id);
        clearTimeout(waiting.timer);
        waiting.resolve(response.data);
      });
    });
  }

  get alive(): boolean {
    return this.exited === undefined;
  }

  request(body: RequestBody, timeoutMs: number): Promise<Response> {
    if (this.exited) return Promise.reject(this.exited);
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new RunnerDied("timeout", `no answer within ${timeoutMs} ms`));
        this.kill(); // a hung runner is never reused: its next answer could belong to this request
      }, timeoutMs);
      this.pending.set(id, { resolve, reject, timer });
      this.child.stdin!.write(JSON.stringify({ id, ...body }) + "\n");
    });
  }

  /**
   * Ends the conversation: the runner disconnects and exits on end of input (or is killed after
   * the grace period). Resolves once the process is gone, so its session is released.
   */
  close(graceMs = 10_000): Promise<void> {
    this.child.stdin?.end();
    if (this.alive && this.child.exitCode === null && this.child.signalCode === null) setTimeout(() => this.kill(), graceMs).unref();
    else return Promise.resolve();
    return this.gone;
  }

  kill(): void {
    this.child.kill("SIGKILL");
  }

  private died(reason: RunnerDied): void {
    this.exited ??= reason;
    for (const [, p] of this.pending) {
      clearTimeout(p.timer);
      p.reject(reason);
    }
    this.pending.clear();
  }
}
