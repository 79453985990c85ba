import * as fs from "node:fs";
import * as readline from "node:readline";
import { cmdletSpecs, validateCommand } from "../exchange/cmdlets";
import { ErrorPayload, ExchangeError } from "../exchange/errors";
import { ConnectRequest, InvokeRequest, ProbeOutput, PROTOCOL_VERSION, Request, Response, Role } from "../exchange/protocol";
import { SimulatorTarget } from "../exchange/targets";
import { errorPayload, raise } from "./errors";
import { FaultPlan, holdWhile } from "./faults";
import { chargesReads, googleCmdlets, spendsGmailQuota, takeGoogleNotes } from "./google";
import { World } from "./model";
import { sha256 } from "./scenario";
import { sourceCmdlets, sourceServer } from "./source";
import { isAlive, WorldStore } from "./store";
import { Handler, tenantCmdlets } from "./tenant";

/**
 * The simulated tenant's runner: a process that speaks exactly the protocol of runner.ps1
 * (docs/runner-protocol.md) and behaves like Exchange Online or the source behind it.
 */
interface Session {
  id: string;
  role: Role;
  target: SimulatorTarget;
  allow: Set<string>;
  store: WorldStore;
  faults: FaultPlan;
  recent: number[];
}

const handlers: Record<Role, Record<string, Handler>> = { exchange: tenantCmdlets, source: sourceCmdlets, google: googleCmdlets };

/** What a session of each role can talk to: Exchange's cmdlets reach no Google tenant, and a vendor's system has no API at all. */
const sourceKindFor: Partial<Record<Role, World["source"]["kind"]>> = { source: "exchange-onprem", google: "google-workspace" };
const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
let session: Session | undefined;

/**
 * End of input. The pool closed us, or the process that held our stdin is gone. Requests
 * already read are still answered, as runner.ps1 does; a command that would never end (a
 * simulated hang) ends here instead, since nobody will ever wait for it.
 */
let inputEnded: () => void = () => {};
const endOfInput = new Promise<void>((r) => (inputEnded = r));

/** Gives the session back and exits: the runner's way out whatever it was doing. */
function leave(code = 0): never {
  release();
  process.exit(code);
}

function write(line: object): void {
  try {
    fs.writeSync(1, JSON.stringify(line) + "\n");
  } catch (e) {
    // Nobody reads our answers any more (the pool's process died): give the session back.
    if ((e as NodeJS.ErrnoException).code === "EPIPE") leave();
    throw e;
  }
}

function log(entry: Record<string, unknown>): void {
  if (!session) return;
  const line = JSON.stringify({ t: new Date().toISOString(), session: session.id, role: session.role, ...entry });
  fs.appendFileSync(`${session.target.stateFile}.log`, line + "\n");
}

async function connect(req: ConnectRequest): Promise<Array<{ Name: string }>> {
  // As runner.ps1: the connect request may narrow the allow-list, never widen it.
  const unknown = req.allow.find((name) => !cmdletSpecs.has(name));
  if (unknown) raise("malformed", `allow names ${unknown}, which this runner never runs.`);
  const parsed = SimulatorTarget.safeParse(req.target);
  if (!parsed.success) raise("badSettings", parsed.error.issues[0]?.message ?? "invalid");
  const target = parsed.data!;
  await sleep(target.latency.connectMs);
  const store = new WorldStore(target.stateFile);
  const { id, salt } = store.update((w) => {
    const kind = sourceKindFor[req.role];
    if (kind && w.source.kind !== kind) {
      raise("badSettings", `the world's source is ${w.source.kind}, and a ${req.role} session needs ${kind} (set the source target's imitates, then npm run rehearse -- init)`);
    }
    checkCredentials(w, req.role, target);
    w.sessions = w.sessions.filter((s) => isAlive(s.pid));
    // A session cap is a Remote PowerShell runspace quota: the on-premises source's throttling
    // policy (PowerShellMaxConcurrency, Set-ThrottlingPolicy.md). Exchange Online's module (EXO
    // V3) opens no runspace: its REST connection "avoids setting up a PowerShell runspace"
    // (exchange-online-powershell-v2.md), and no cap on its connections is documented, so the
    // tenant has none here (not documented; not assumed either). Nor has a Google source: the
    // Gmail API is REST calls with per-minute quotas (reference/quota), and no session exists.
    const mine = w.sessions.filter((s) => s.role === req.role);
    if (req.role === "source" && mine.length >= target.maxSessions) raise("runspaceCap", target.maxSessions);
    const salt = w.nextGuid++;
    const id = `${req.role}-${salt}`;
    w.sessions.push({ id, pid: process.pid, role: req.role, since: new Date().toISOString() });
    return { id, salt };
  });
  // As Exchange's RBAC: a session loads only the cmdlets the account's role grants (the
  // target's `roleLacks` imitates a role without some), and answers with what it loaded.
  const lacks = new Set(target.roleLacks.map((n) => n.toLowerCase()));
  const allow = new Set(req.allow.filter((n) => !lacks.has(n.toLowerCase())));
  session = { id, role: req.role, target, allow, store, faults: new FaultPlan(target.faults, salt), recent: [] };
  // front: what the session came through, runner.ps1 and its test doubles (test/doubles) or this runner itself.
  log({ event: "connect", pid: process.pid, ppid: process.ppid, front: process.env.COEXIST_SIM_FRONT ?? "simulator" });
  return [...allow].map((Name) => ({ Name }));
}

/** The machine a rehearsal imitates (the target's `environment`), as runner.ps1's probe reports a real one. */
function probe(): ProbeOutput[] {
  // The probe comes before any connect, so the simulated machine is set at launch
  // (runner/launch.ts passes the target's environment), as a real machine just is what it is.
  const env = SimulatorTarget.shape.environment.parse(JSON.parse(process.env.COEXIST_SIM_ENVIRONMENT ?? "{}"));
  return [{ runner: "simulator", ...env }];
}

/**
 * Fails a connect whose credentials are not the world's, as the real ones fail: a wrong
 * certificate password cannot open the .pfx; Remote PowerShell answers "Access is denied". The
 * messages never quote what was presented.
 */
function checkCredentials(w: World, role: Role, target: SimulatorTarget): void {
  // A Google source's credential is its service account key, which the simulator does not check.
  const expected = role === "google" ? undefined : w.credentials?.[role];
  if (!expected) return;
  if ("certificatePasswordSha256" in expected) {
    if (target.certificatePassword === undefined || sha256(target.certificatePassword) !== expected.certificatePasswordSha256) {
      raise("wrongCertificatePassword");
    }
  } else if (target.username !== expected.username || target.password === undefined || sha256(target.password) !== expected.passwordSha256) {
    raise("accessDenied", sourceServer(w));
  }
}

// Annotated, so that a call narrows like a throw.
const notRecognized: (cmdlet: string) => never = (cmdlet) => raise("notRecognized", cmdlet);

async function invoke(req: InvokeRequest): Promise<object[]> {
  // As runner.ps1: a cmdlet coexist does not drive is refused first, connected or not.
  if (!cmdletSpecs.has(req.cmdlet)) notRecognized(req.cmdlet);
  const s = session ?? raise("notConnected");
  const handler = handlers[s.role][req.cmdlet];
  if (!handler || !s.allow.has(req.cmdlet)) notRecognized(req.cmdlet);
  const { spec, command } = validateCommand({ cmdlet: req.cmdlet, parameters: req.parameters }, s.role);
  const fault = s.faults.next();
  const latch = s.target.faults.holdWritesWhile;
  if (latch && spec.effect !== "read" && (await holdWhile(latch, { pid: process.pid, cmdlet: command.cmdlet }, endOfInput)) === "gone") leave();
  // A bulk write costs per member it names; past the REST timeout the tenant's call fails unapplied.
  const { cmdletMs, perItemMs } = s.target.latency;
  const members = Array.isArray(command.parameters.Members) ? command.parameters.Members.length : 0;
  await spend(s, 0, cmdletMs + perItemMs * members);

  // A throttled answer: for Exchange Online the REST call's HTTP 429, for Google the per-user
  // rate limit's 429, for the source its cmdlet budget (errors.ts says which texts are
  // documented and which assumed).
  const throttled = (seconds: number): never =>
    s.role === "exchange" ? raise("restThrottled") : s.role === "google" ? raise("gmailUserRateLimit") : raise("budgetThrottled", seconds);
  const now = Date.now();
  if (s.target.throttle) {
    s.recent = s.recent.filter((t) => now - t < s.target.throttle!.windowMs);
    if (s.recent.length >= s.target.throttle.budget || fault === "throttle") {
      throttled(Math.ceil((s.target.throttle.windowMs - (now - (s.recent[0] ?? now))) / 1000));
    }
    s.recent.push(now);
  } else if (fault === "throttle") {
    throttled(1);
  }
  if (fault === "transient") raise(s.role === "google" ? "gmailBackendError" : "transientFault");
  if (fault === "hang") {
    log({ cmdlet: command.cmdlet, parameters: command.parameters, fault: "hang" });
    await endOfInput;
    leave();
  }
  if (fault === "crash" && s.target.faults.crashPoint === "before-apply") crash(command.cmdlet, command.parameters);
  // A write counts against the kill schedule in the same update that applies it: no extra
  // read or write of the world on the hot path.
  // A Gmail read spends quota, which the world keeps (google.ts), so where the world charges
  // reads it is applied as an update; only writes count against the kill schedule and wait at
  // the write latch.
  let kill: KillPoint | undefined;
  const isWrite = spec.effect !== "read";
  const read = !isWrite ? s.store.read() : undefined;
  const output =
    read && !(s.role === "google" && spendsGmailQuota(command.cmdlet) && chargesReads(read))
      ? handler(read, command.parameters as never)
      : s.store.update((w) => {
          kill = isWrite ? scheduledKill(w) : undefined;
          return kill === "before-apply" ? [] : handler(w, command.parameters as never);
        });
  if (kill === "before-apply") crash(command.cmdlet, command.parameters);
  if (fault === "crash" || kill === "after-apply") crash(command.cmdlet, command.parameters, true);
  // A whole list read costs per object it returns (Get-Recipient -ResultSize Unlimited on a large tenant).
  if (perItemMs > 0 && command.parameters.ResultSize === "Unlimited") await spend(s, cmdletMs, perItemMs * output.length);
  return output;
}

/**
 * Waits out `costMs` more of a command that has taken `spentMs` so far. A tenant command past
 * Exchange Online's REST timeout fails when the timeout is reached, as the REST client gives up.
 */
async function spend(s: Session, spentMs: number, costMs: number): Promise<void> {
  const { restTimeoutMs } = s.target.latency;
  if (s.role === "exchange" && spentMs + costMs > restTimeoutMs) {
    await sleep(Math.max(0, restTimeoutMs - spentMs));
    raise("restTimeout", Math.round(restTimeoutMs / 1000));
  }
  await sleep(costMs);
}

type KillPoint = "before-apply" | "after-apply";

/** Counts a write against the world's kill schedule (inside its update); says where to die, if here. */
function scheduledKill(w: World): KillPoint | undefined {
  const k = w.killSchedule;
  if (!k) return undefined;
  k.writes++;
  const hit = k.kills.find((x) => x.write === k.writes && !x.fired);
  if (hit) hit.fired = true;
  return hit?.point;
}

function crash(cmdlet: string, parameters: unknown, applied = false): never {
  log({ cmdlet, parameters, fault: "crash", applied });
  process.exit(137);
}

/** One line, as runner.ps1 answers (ConvertTo-SingleLine): a Google error's text has line breaks. */
const singleLine = (text: string): string => text.replace(/\s*[\r\n]+\s*/g, " ").trim();

function errorOf(e: unknown): ErrorPayload {
  if (e instanceof ExchangeError) return { kind: e.kind, reason: e.reason, message: singleLine(e.message) };
  return { kind: "other", message: singleLine(e instanceof Error ? e.message : String(e)) };
}

async function handle(line: string): Promise<void> {
  let id: number | null = null;
  let cmdlet: string | undefined;
  let parameters: unknown;
  try {
    const raw: unknown = JSON.parse(line);
    id = typeof (raw as { id?: unknown })?.id === "number" ? (raw as { id: number }).id : null;
    const parsed = Request.safeParse(raw);
    if (!parsed.success) raise("malformed", parsed.error.issues[0]?.message ?? "not a request");
    const req = parsed.data!;
    if (req.type === "connect") {
      write({ id: req.id, ok: true, output: await connect(req) } satisfies Response);
      return;
    }
    if (req.type === "probe") {
      write({ id: req.id, ok: true, output: probe() } satisfies Response);
      return;
    }
    ({ cmdlet, parameters } = req);
    takeGoogleNotes();
    const output = await invoke(req);
    const notes = takeGoogleNotes();
    log({ cmdlet, parameters, ok: true, ...(notes.length > 0 ? { notes } : {}) });
    write({ id: req.id, ok: true, output: output as Record<string, unknown>[] });
  } catch (e) {
    const error = errorOf(e);
    if (e instanceof SyntaxError) Object.assign(error, errorPayload("malformed", e.message));
    if (cmdlet) log({ cmdlet, parameters, ok: false, kind: error.kind, reason: error.reason });
    write({ id, ok: false, error });
  }
}

function release(): void {
  if (!session) return;
  const { store, id } = session;
  session = undefined;
  try {
    store.update((w) => void (w.sessions = w.sessions.filter((s) => s.id !== id)));
  } catch {
    // The next connect prunes sessions of dead processes anyway.
  }
}

async function main(): Promise<void> {
  write({ type: "hello", runner: "simulator", protocol: PROTOCOL_VERSION });
  const lines = readline.createInterface({ input: process.stdin, crlfDelay: Infinity });
  lines.once("close", () => inputEnded());
  for await (const line of lines) {
    if (line.trim() !== "") await handle(line);
  }
  release();
}

void main();
