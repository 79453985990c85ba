import { allowedCmdlets, validateCommand } from "../exchange/cmdlets";
import { CmdletSpec, Command } from "../exchange/command";
import { ErrorPayload, ExchangeError } from "../exchange/errors";
import { Role } from "../exchange/protocol";
import { AnyTarget, redactorOf } from "../exchange/targets";
import { guardThisProcess } from "../host/orphanGuard";
import type { RunTrace, WriteJournal } from "../journal/journal";
import { RunnerLaunch, RunnerDied, RunnerProcess } from "../runner/process";

export interface PoolOptions {
  role: Role;
  target: AnyTarget;
  launch: RunnerLaunch;
  /** Concurrent sessions (runner processes, each one Exchange connection). Exchange allows few. */
  maxSessions: number;
  commandTimeoutMs: number;
  /**
   * A bulk command's timeout (a whole membership, a list of every recipient or mailbox): above
   * Exchange Online's own, "Cmdlets backed by the REST API have a 15-minute timeout, which can
   * affect bulk operations" (exchange-online-powershell-v2.md), so that coexist never kills, and
   * then repeats, a bulk call that Exchange is still within its time for.
   */
  bulkCommandTimeoutMs: number;
  /** Start-up plus connect; Connect-ExchangeOnline alone can take several seconds. */
  connectTimeoutMs: number;
  retry: { attempts: number; baseMs: number; maxMs: number };
  /** Retire a session after this many commands (1 = a connect per command, for benchmarks). */
  sessionUses?: number;
  debug?: (line: string) => void;
  /** The cmdlet journal: every write run (not reads) is recorded there with its outcome. */
  journal?: WriteJournal;
}

export const defaultPoolOptions = {
  maxSessions: 3,
  commandTimeoutMs: 5 * 60_000,
  bulkCommandTimeoutMs: 20 * 60_000,
  connectTimeoutMs: 2 * 60_000,
  retry: { attempts: 6, baseMs: 2_000, maxMs: 60_000 },
};

export interface PoolStats {
  connects: number;
  commands: number;
  retries: number;
  replaced: number;
}

interface Session {
  runner: RunnerProcess;
  busy: boolean;
  uses: number;
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** The reason of a failure whose command may or may not have taken effect. */
export const OUTCOME_UNKNOWN = "OutcomeUnknown";
const createsObject = (c: Command): boolean => c.cmdlet.startsWith("New-");

/** A command whose cost grows with the tenant: a list with -ResultSize Unlimited, or a whole membership (-Members). */
export const isBulk = (c: Command): boolean => c.parameters.ResultSize === "Unlimited" || Array.isArray(c.parameters.Members);

/**
 * Warm runner sessions for one target, shared by every resource operation in the provider
 * process. Each session runs one command at a time (Exchange serialises per connection); up to
 * `maxSessions` run in parallel. Throttled and transient answers are retried with exponential
 * backoff and jitter; a dead or hung runner is replaced, and the command it was running is
 * retried only if running it twice is safe. Secrets never leave in a message.
 */
export class SessionPool {
  readonly stats: PoolStats = { connects: 0, commands: 0, retries: 0, replaced: 0 };
  private readonly sessions: Session[] = [];
  private readonly waiting: Array<{ resolve: (s: Session) => void; reject: (e: Error) => void }> = [];
  private connecting = 0;
  /** Runners started but not yet connected: close() must reach them too. */
  private readonly starting = new Set<RunnerProcess>();
  /** Lowered when Exchange refuses another connection; the pool then shares what it has. */
  private cap: number;
  private closed = false;
  private readonly redact: (text: string) => string;

  constructor(private readonly options: PoolOptions) {
    this.cap = options.maxSessions;
    this.redact = redactorOf(options.target);
  }

  /**
   * Runs a command and returns its output objects, or throws an ExchangeError. A write is
   * recorded in the cmdlet journal (when there is one) with its outcome, whatever it is.
   */
  async run(command: Command): Promise<Record<string, unknown>[]> {
    const { spec, command: valid } = validateCommand(command, this.options.role);
    const journal = spec.effect === "read" ? undefined : this.options.journal;
    if (!journal) return this.send(spec, valid);
    // Opened before the write is sent: a write never runs without its record.
    await journal.open();
    const trace: RunTrace = { attempts: 0, retries: [] };
    const line = { role: this.options.role, target: this.options.target, command: valid, started: Date.now(), trace, redact: (t: string) => this.redact(t) };
    let output: Record<string, unknown>[];
    try {
      output = await this.send(spec, valid, trace);
    } catch (e) {
      journal.record({ ...line, error: e });
      throw e;
    }
    journal.record(line);
    return output;
  }

  private async send(spec: CmdletSpec, valid: Command, trace?: RunTrace): Promise<Record<string, unknown>[]> {
    const { attempts } = this.options.retry;
    for (let attempt = 1; ; attempt++) {
      const session = await this.acquire();
      if (trace) trace.attempts++;
      let failure: ErrorPayload;
      try {
        const timeout = isBulk(valid) ? Math.max(this.options.commandTimeoutMs, this.options.bulkCommandTimeoutMs) : this.options.commandTimeoutMs;
        const response = await session.runner.request({ type: "invoke", ...valid }, timeout);
        this.stats.commands++;
        session.uses++;
        this.release(session);
        if (response.ok) return response.output;
        failure = response.error;
        if (failure.kind !== "throttled" && failure.kind !== "transient") throw this.error(failure, valid.cmdlet);
        // A New-* that may have made its object (a timeout, a 5xx, even a 429 whose request Exchange
        // may have taken: not documented either way) is not repeated blindly, which could make a
        // second one or fail on a name it took itself: the caller reads, then adopts or creates
        // (resources/operations.ts createOnce).
        if (createsObject(valid) && !spec.idempotent) throw this.error({ kind: "transient", reason: OUTCOME_UNKNOWN, message: `${failure.message} (it may or may not have taken effect, so it was not repeated)` }, valid.cmdlet);
      } catch (e) {
        if (!(e instanceof RunnerDied)) throw e;
        this.discard(session);
        const safe = spec.effect === "read" || spec.idempotent;
        if (!safe) {
          throw this.error(
            {
              kind: "transient",
              reason: OUTCOME_UNKNOWN,
              message: `the session died while running it (${e.message}); it may or may not have taken effect, so it was not retried`,
            },
            valid.cmdlet,
          );
        }
        failure = { kind: "transient", reason: "RunnerDied", message: e.message };
      }
      if (attempt >= attempts) throw this.error({ ...failure, message: `${failure.message} (gave up after ${attempt} attempts)` }, valid.cmdlet);
      trace?.retries.push({ kind: failure.kind, ...(failure.reason ? { reason: failure.reason } : {}), message: failure.message });
      this.stats.retries++;
      await this.backoff(attempt);
    }
  }

  /**
   * Closes every session (each runner disconnects and exits); resolves once their runners have
   * exited (their sessions released). A runner still connecting is closed too, and a runner that
   * has not exited `graceMs` after its end of input is killed. Operations still waiting for a
   * session fail.
   */
  async close(graceMs?: number): Promise<void> {
    this.closed = true;
    for (const w of this.waiting.splice(0)) w.reject(new Error("the session pool is closed"));
    const runners = [...this.sessions.splice(0).map((s) => s.runner), ...this.starting];
    this.starting.clear();
    await Promise.all(runners.map((r) => r.close(graceMs)));
  }

  get size(): number {
    return this.sessions.length;
  }

  private acquire(): Promise<Session> {
    if (this.closed) return Promise.reject(new Error("the session pool is closed"));
    const idle = this.sessions.find((s) => !s.busy && s.runner.alive);
    if (idle) {
      idle.busy = true;
      return Promise.resolve(idle);
    }
    const promise = new Promise<Session>((resolve, reject) => this.waiting.push({ resolve, reject }));
    if (this.sessions.length + this.connecting < this.cap) void this.grow();
    return promise;
  }

  private release(session: Session): void {
    if (this.options.sessionUses && session.uses >= this.options.sessionUses) {
      void session.runner.close();
      this.sessions.splice(this.sessions.indexOf(session), 1);
      if (this.waiting.length > 0 && this.sessions.length + this.connecting < this.cap) void this.grow();
      return;
    }
    const next = this.waiting.shift();
    if (next) next.resolve(session);
    else session.busy = false;
  }

  private discard(session: Session): void {
    session.runner.kill();
    const i = this.sessions.indexOf(session);
    if (i >= 0) this.sessions.splice(i, 1);
    this.stats.replaced++;
    if (this.waiting.length > 0 && this.sessions.length + this.connecting < this.cap) void this.grow();
  }

  /** Starts and connects one more session, then hands it to the longest waiter. */
  private async grow(): Promise<void> {
    this.connecting++;
    const { attempts } = this.options.retry;
    try {
      for (let attempt = 1; ; attempt++) {
        if (this.closed || this.waiting.length === 0) return;
        try {
          const runner = await this.connectOne();
          if (this.closed) {
            void runner.close();
            return;
          }
          const session: Session = { runner, busy: true, uses: 0 };
          this.sessions.push(session);
          this.stats.connects++;
          this.release(session);
          return;
        } catch (e) {
          if (this.closed) return;
          const payload = e instanceof ExchangeError ? { kind: e.kind } : { kind: "transient" as const };
          const retriable = payload.kind === "throttled" || payload.kind === "transient";
          if (payload.kind === "throttled" && this.sessions.length > 0) {
            // Exchange holds us to fewer connections than configured: share the live ones.
            this.cap = Math.max(1, this.sessions.length + this.connecting - 1);
            return;
          }
          if (!retriable || attempt >= attempts) {
            // With no session at all nobody can serve the waiters: fail them with the reason.
            if (this.sessions.length === 0 && this.connecting === 1) {
              const err = e instanceof Error ? e : new Error(String(e));
              for (const w of this.waiting.splice(0)) w.reject(err);
            }
            return;
          }
          await this.backoff(attempt);
        }
      }
    } finally {
      this.connecting--;
    }
  }

  /** Exponential backoff with "equal jitter": half the step fixed, half random. */
  private backoff(attempt: number): Promise<void> {
    const { baseMs, maxMs } = this.options.retry;
    const step = Math.min(maxMs, baseMs * 2 ** (attempt - 1));
    return sleep(step / 2 + (Math.random() * step) / 2);
  }

  private async connectOne(): Promise<RunnerProcess> {
    const { launch, role, target, connectTimeoutMs } = this.options;
    // A Pulumi process that opens a session ends it when its engine is gone.
    guardThisProcess();
    let runner: RunnerProcess;
    try {
      runner = await RunnerProcess.start(launch, { startTimeoutMs: connectTimeoutMs, redact: (t) => this.redact(t), debug: this.options.debug });
    } catch (e) {
      if (!(e instanceof RunnerDied) || e.spawnCode === undefined) throw e;
      // No executable is not a passing fault: fail at once, with the fix (no minute of retries).
      const message =
        e.spawnCode === "ENOENT"
          ? `${launch.command} was not found (PATH, or COEXIST_PWSH): install PowerShell 7.6 or later, then run npm run preflight -- --stack <stack>`
          : `${e.message}: check that ${launch.command} is executable`;
      throw this.error({ kind: "other", reason: "RunnerNotFound", message }, "connect");
    }
    if (this.closed) {
      void runner.close();
      throw new Error("the session pool is closed");
    }
    this.starting.add(runner);
    try {
      const response = await runner.request({ type: "connect", role, target: launch.connectTarget?.(role) ?? target, allow: allowedCmdlets(role) }, connectTimeoutMs);
      if (!response.ok) throw this.error(response.error, "connect");
      return runner;
    } catch (e) {
      runner.kill();
      if (e instanceof RunnerDied) throw this.error({ kind: "transient", reason: "RunnerDied", message: e.message }, "connect");
      throw e;
    } finally {
      this.starting.delete(runner);
    }
  }

  private error(payload: ErrorPayload, cmdlet: string): ExchangeError {
    return new ExchangeError({ ...payload, message: this.redact(payload.message) }, cmdlet);
  }

}
