import * as fs from "node:fs";
import * as path from "node:path";
import { Command, ParameterValue } from "../exchange/command";
import { ErrorKind, ExchangeError } from "../exchange/errors";
import { Role } from "../exchange/protocol";
import { AnyTarget } from "../exchange/targets";

/**
 * The cmdlet journal: one JSON line per write cmdlet coexist runs (reads are not recorded), with
 * when, where, what and how it ended. The consultant's audit trail for the customer; see
 * docs/commands.md#the-cmdlet-journal.
 *
 * Lines are appended with one write(2) each on a file opened with O_APPEND, so several provider
 * processes (one `pulumi up` has one, concurrent runs have several) can share a file without
 * tearing lines. Nothing is fsync'd: the journal costs a wave of thousands nothing measurable.
 */

/** Where a write ran, without secrets or connect settings: enough to tell tenants apart. */
export type TargetIdentity =
  | { kind: "exchange-online"; organization: string; appId: string }
  | { kind: "exchange-onprem"; connectionUri: string; username: string }
  | { kind: "simulator"; stateFile: string }
  | { kind: "google-workspace"; domain: string; adminEmail: string }
  | { kind: "vendor"; name: string };

export interface JournalEntry {
  /** When the command was handed to the pool (ISO 8601, UTC). */
  time: string;
  /** The Pulumi stack, when the provider could tell. */
  stack?: string;
  /** The provider process: lines of one run share it. */
  pid: number;
  role: Role;
  target: TargetIdentity;
  cmdlet: string;
  /** As validated and sent, with any secret value replaced by `***`. */
  parameters: Record<string, ParameterValue>;
  /** ok; error: Exchange (or the pool) refused it; unknown: the runner died while running it. */
  outcome: "ok" | "error" | "unknown";
  error?: { kind: ErrorKind | "error"; reason?: string; message: string };
  /** How many times it was sent to a runner (0: no session could be had, so it never ran). */
  attempts: number;
  /** The answers that made the pool send it again (throttled, transient, a runner that died). */
  retries?: { kind: string; reason?: string; message: string }[];
  /** From the first attempt to the outcome, backoff included. */
  ms: number;
}

/** What the pool tracks while it runs one command, for its journal line. */
export interface RunTrace {
  attempts: number;
  retries: { kind: string; reason?: string; message: string }[];
}

export function targetIdentity(target: AnyTarget): TargetIdentity {
  switch (target.kind) {
    case "exchange-online":
      return { kind: target.kind, organization: target.organization, appId: target.appId };
    case "exchange-onprem":
      return { kind: target.kind, connectionUri: target.connectionUri, username: target.username };
    case "simulator":
      return { kind: target.kind, stateFile: target.stateFile };
    case "google-workspace":
      return { kind: target.kind, domain: target.domain, adminEmail: target.adminEmail };
    case "vendor":
      return { kind: target.kind, name: target.name };
  }
}

/** A parameter value with `redact` applied to every string in it. */
export function redactValue(value: ParameterValue, redact: (s: string) => string): ParameterValue {
  if (typeof value === "string") return redact(value);
  if (Array.isArray(value)) return value.map(redact);
  if (value !== null && typeof value === "object") return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, v.map(redact)]));
  return value;
}

/** One command run through the pool, as its journal line is made from. */
export interface RunRecord {
  role: Role;
  target: AnyTarget;
  command: Command;
  started: number;
  trace: RunTrace;
  error?: unknown;
  redact: (s: string) => string;
}

/** What the session pool records writes in: a Journal, or one whose file is still being worked out. */
export interface WriteJournal {
  /** Ready to record (the file open); throws when it cannot be. Awaited before a write is sent. */
  open(): void | Promise<void>;
  record(run: RunRecord): void;
  /** The pool registry keys pools by their options' JSON. */
  toJSON(): unknown;
}

export class Journal implements WriteJournal {
  private fd: number | undefined;

  constructor(
    /** Absolute path of the JSON-lines file. */
    readonly file: string,
    readonly stack?: string,
  ) {}

  /**
   * Opens the file (and makes its folder) unless it is open. The pool calls this before it sends
   * a write, so a journal that cannot be written stops the write instead of losing its record.
   */
  open(): void {
    if (this.fd !== undefined) return;
    try {
      fs.mkdirSync(path.dirname(this.file), { recursive: true });
      this.fd = fs.openSync(this.file, fs.constants.O_WRONLY | fs.constants.O_APPEND | fs.constants.O_CREAT, 0o600);
    } catch (e) {
      throw new Error(`coexist: cannot open the cmdlet journal ${this.file}: ${(e as Error).message}; set coexist:journal to a writable path (or false to turn it off)`);
    }
  }

  /** The line of one command run through the pool, with its outcome. */
  record(run: RunRecord): void {
    const { redact } = run;
    const entry: JournalEntry = {
      time: new Date(run.started).toISOString(),
      ...(this.stack ? { stack: this.stack } : {}),
      pid: process.pid,
      role: run.role,
      target: targetIdentity(run.target),
      cmdlet: run.command.cmdlet,
      parameters: Object.fromEntries(Object.entries(run.command.parameters).map(([k, v]) => [k, redactValue(v, redact)])),
      outcome: "ok",
      attempts: run.trace.attempts,
      ...(run.trace.retries.length > 0 ? { retries: run.trace.retries.map((r) => ({ ...r, message: redact(r.message) })) } : {}),
      ms: Date.now() - run.started,
    };
    if (run.error !== undefined) {
      const e = run.error;
      const error =
        e instanceof ExchangeError
          ? { kind: e.kind, ...(e.reason ? { reason: e.reason } : {}), message: redact(e.message) }
          : { kind: "error" as const, message: redact(e instanceof Error ? e.message : String(e)) };
      entry.outcome = e instanceof ExchangeError && e.reason === "OutcomeUnknown" ? "unknown" : "error";
      entry.error = error;
    }
    this.append(entry);
  }

  /** One whole line in one write on the O_APPEND descriptor: lines from several processes never interleave. */
  append(entry: JournalEntry): void {
    this.open();
    const line = Buffer.from(JSON.stringify(entry) + "\n", "utf8");
    let done = 0;
    // A regular file takes the whole buffer at once; the loop is only for a short write (disk full).
    while (done < line.length) done += fs.writeSync(this.fd!, line, done);
  }

  close(): void {
    if (this.fd === undefined) return;
    fs.closeSync(this.fd);
    this.fd = undefined;
  }

  /** The pool registry keys pools by their options' JSON: a journal counts by its file only. */
  toJSON(): { file: string; stack?: string } {
    return { file: this.file, ...(this.stack ? { stack: this.stack } : {}) };
  }
}

/** `coexist:journal`: unset or true = the default file, false = off, a string = that file. */
export type JournalSetting = boolean | string | undefined;

/** A stack name as a file name: `org/project/stack` → `stack`, anything odd replaced by `_`. */
export const fileNameOf = (stack: string): string => (stack.split("/").pop() || "stack").replace(/[^A-Za-z0-9._-]/g, "_").replace(/^\.+/, "_");

/**
 * The journal file for a setting: `<project>/journal/<stack>.jsonl` by default, a path relative
 * to the project directory when one is given, none when turned off.
 */
export function journalFile(setting: JournalSetting, projectDir: string, stack: string | undefined): string | undefined {
  if (setting === false) return undefined;
  if (typeof setting === "string") return path.resolve(projectDir, setting);
  return path.join(projectDir, "journal", `${fileNameOf(stack ?? "unknown-stack")}.jsonl`);
}

const KEY = Symbol.for("coexist.journals");
type Journals = Map<string, Journal>;
const journals = (): Journals => ((globalThis as Record<symbol, Journals>)[KEY] ??= new Map());

/** One journal per file per process, shared by every pool (and every configure()) that names it. */
export function journalFor(file: string, stack?: string): Journal {
  let j = journals().get(file);
  if (!j) {
    j = new Journal(file, stack);
    journals().set(file, j);
  }
  return j;
}

/**
 * A journal whose file depends on something only known later (the stack's name, which the
 * provider has to ask for): configure() must set up its context at once, because Pulumi's
 * provider host may call a resource operation while configure() is still running.
 */
export class DeferredJournal implements WriteJournal {
  private journal: Journal | undefined;
  constructor(
    private readonly resolved: Promise<Journal>,
    /** Identifies what it will resolve to (the setting and the project), for the pool registry. */
    private readonly key: string,
  ) {}

  async open(): Promise<void> {
    this.journal ??= await this.resolved;
    this.journal.open();
  }

  record(run: RunRecord): void {
    if (!this.journal) throw new Error("coexist: the cmdlet journal was not opened before the write");
    this.journal.record(run);
  }

  toJSON(): string {
    return this.key;
  }
}

/** Reads a journal file back (for tests and for a reviewer's script): one entry per line. */
export function readJournal(file: string): JournalEntry[] {
  if (!fs.existsSync(file)) return [];
  return fs
    .readFileSync(file, "utf8")
    .split("\n")
    .filter((l) => l.trim() !== "")
    .map((l) => JSON.parse(l) as JournalEntry);
}
