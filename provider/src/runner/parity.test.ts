import { spawn, spawnSync } from "node:child_process";
import { generateKeyPairSync } from "node:crypto";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { allowedCmdlets } from "../exchange/cmdlets";
import { errorTablePath, kindOf } from "../exchange/errorKinds";
import { Hello, ProbeOutput, Response } from "../exchange/protocol";
import { GoogleWorkspaceTarget, secretsOf } from "../exchange/targets";
import { errorPayload, simulatorErrors, SimulatorErrorName } from "../simulator/errors";
import { contoso, freshWorld, simTarget } from "../testing/simulator";

/*
 * The same request lines, fed to both runners, must get the same answers. Without an Exchange
 * organisation only the protocol itself can be compared: malformed lines, commands before a
 * connection, a connection that fails. The pwsh half needs pwsh on PATH (or COEXIST_PWSH):
 * scripts/setup.sh installs it; outside CI it is skipped without one, in CI it fails.
 */

// Compiled to provider/dist/runner: the simulator runner is compiled beside it, the pwsh script
// stays in provider/src/runner.
const simulatorRunner = path.join(__dirname, "..", "simulator", "runner.js");
const runnerScript = path.join(__dirname, "..", "..", "src", "runner", "runner.ps1");

function findOnPath(name: string): string | undefined {
  const names = process.platform === "win32" ? [`${name}.exe`, name] : [name];
  for (const dir of (process.env.PATH ?? "").split(path.delimiter)) {
    for (const n of names) {
      const candidate = path.join(dir, n);
      try {
        fs.accessSync(candidate, fs.constants.X_OK);
        if (fs.statSync(candidate).isFile()) return candidate;
      } catch {
        // not here
      }
    }
  }
  return undefined;
}

const pwsh = process.env.COEXIST_PWSH ?? findOnPath("pwsh");
const hasPwsh = pwsh !== undefined;
// In CI a missing pwsh is a failure, never a skip: the suites run and fail at their first spawn.
const describePwsh = hasPwsh || process.env.CI ? describe : describe.skip;

// A password that must never come back out of a runner, on any stream.
const secret = "Parity-S3cret-never-echoed";

interface Step {
  what: string;
  line: string;
  expect: { id: number | null; ok: boolean; kind?: string };
}

const steps: Step[] = [
  {
    what: "an invoke before connect",
    line: JSON.stringify({ id: 1, type: "invoke", cmdlet: "Get-AcceptedDomain", parameters: { Identity: "contoso.com" } }),
    expect: { id: 1, ok: false, kind: "auth" },
  },
  { what: "a line that is not JSON", line: "this is not json {", expect: { id: null, ok: false, kind: "invalid-parameter" } },
  { what: "an unknown request type", line: JSON.stringify({ id: 3, type: "launch" }), expect: { id: 3, ok: false, kind: "invalid-parameter" } },
  {
    what: "an id that is not a number",
    line: JSON.stringify({ id: "four", type: "invoke", cmdlet: "Get-AcceptedDomain", parameters: {} }),
    expect: { id: null, ok: false, kind: "invalid-parameter" },
  },
  {
    what: "an invoke without parameters",
    line: JSON.stringify({ id: 5, type: "invoke", cmdlet: "Get-AcceptedDomain" }),
    expect: { id: 5, ok: false, kind: "invalid-parameter" },
  },
  {
    // A target kind neither runner knows: both refuse it as a failed connect, whatever this
    // machine has installed (a real on-prem target would reach PSWSMan and module checks first).
    what: "a connect that cannot succeed (an unknown target kind)",
    line: JSON.stringify({
      id: 6,
      type: "connect",
      role: "source",
      target: {
        kind: "exchange-onprem-legacy",
        connectionUri: "http://127.0.0.1:9/PowerShell/",
        authentication: "Basic",
        username: "coexist@contoso.com",
        password: secret,
      },
      allow: ["Get-Mailbox", "Set-Mailbox"],
    }),
    expect: { id: 6, ok: false, kind: "auth" },
  },
  {
    what: "an invoke after the failed connect",
    line: JSON.stringify({ id: 7, type: "invoke", cmdlet: "Get-Mailbox", parameters: { Identity: "user@contoso.com" } }),
    expect: { id: 7, ok: false, kind: "auth" },
  },
  // The built-in allow-list: refused whether or not the runner is connected, and not widened.
  {
    what: "an invoke of a cmdlet coexist never runs",
    line: JSON.stringify({ id: 8, type: "invoke", cmdlet: "Remove-Mailbox", parameters: { Identity: "admin", Confirm: false } }),
    expect: { id: 8, ok: false, kind: "invalid-parameter" },
  },
  {
    what: "an invoke of Invoke-Expression",
    line: JSON.stringify({ id: 9, type: "invoke", cmdlet: "Invoke-Expression", parameters: { Command: "Remove-Mailbox admin" } }),
    expect: { id: 9, ok: false, kind: "invalid-parameter" },
  },
  {
    what: "a connect whose allow-list names a cmdlet coexist never runs",
    line: JSON.stringify({
      id: 10,
      type: "connect",
      role: "exchange",
      target: { kind: "exchange-online", appId: "00000000-0000-4000-8000-000000000001", organization: "contoso.onmicrosoft.com", certificateFilePath: "/nonexistent.pfx", certificatePassword: secret },
      allow: ["Get-Mailbox", "Remove-Mailbox"],
    }),
    expect: { id: 10, ok: false, kind: "invalid-parameter" },
  },
  // Preflight's probe: answered without a connection, with the machine's description.
  { what: "a probe", line: JSON.stringify({ id: 11, type: "probe" }), expect: { id: 11, ok: true } },
];

interface Conversation {
  hello: unknown;
  responses: Array<{ id: number | null; ok: boolean; kind?: string; raw: unknown }>;
  stdout: string;
  stderr: string;
  code: number | null;
}

/** Starts a runner, sends every line (with a blank one, which gets no answer), closes stdin. */
function converse(command: string, args: string[], lines: string[], timeoutMs: number, env?: NodeJS.ProcessEnv): Promise<Conversation> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ["pipe", "pipe", "pipe"], ...(env ? { env } : {}) });
    let stdout = "";
    let stderr = "";
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`${command} did not finish within ${timeoutMs} ms; stderr: ${stderr}`));
    }, timeoutMs);
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString("utf8")));
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString("utf8")));
    child.on("error", (e) => {
      clearTimeout(timer);
      reject(e);
    });
    child.on("close", (code) => {
      clearTimeout(timer);
      const [hello, ...rest] = stdout.split("\n").filter((l) => l !== "").map((l) => JSON.parse(l) as Record<string, unknown>);
      const responses = rest.map((r) => ({
        id: r.id as number | null,
        ok: r.ok as boolean,
        kind: (r.error as { kind?: string } | undefined)?.kind,
        raw: r,
      }));
      resolve({ hello, responses, stdout, stderr, code });
    });
    child.stdin.end([lines[0], "", ...lines.slice(1)].join("\n") + "\n");
  });
}

function checkConversation(c: Conversation, runner: string): void {
  expect(Hello.parse(c.hello)).toMatchObject({ runner, protocol: 1 });
  expect(c.responses.map(({ id, ok, kind }) => ({ id, ok, kind }))).toEqual(steps.map((s) => s.expect));
  for (const r of c.responses) {
    if (r.id !== null) expect(Response.safeParse(r.raw).success).toBe(true);
  }
  const probe = c.responses.find((r) => r.id === 11)?.raw as { output?: unknown[] } | undefined;
  expect(ProbeOutput.parse(probe?.output?.[0])).toMatchObject({ runner });
  expect(c.stdout).not.toContain(secret);
  expect(c.stderr).not.toContain(secret);
  expect(c.code).toBe(0);
}

const lines = steps.map((s) => s.line);

describe("the simulator runner on protocol-only requests", () => {
  test("the simulator runner answers malformed, unconnected and failed-connect requests with the expected kinds", async () => {
    const c = await converse(process.execPath, [simulatorRunner], lines, 30_000);
    checkConversation(c, "simulator");
  });
});

describePwsh("runner.ps1 against the simulator runner (needs pwsh)", () => {
  test("PowerShell's own parser finds no errors in runner.ps1", () => {
    const check =
      "$errors = $null; $null = [System.Management.Automation.Language.Parser]::ParseFile($env:COEXIST_RUNNER_PS1, [ref] $null, [ref] $errors); " +
      "foreach ($e in $errors) { '{0}:{1} {2}' -f $e.Extent.StartLineNumber, $e.Extent.StartColumnNumber, $e.Message }";
    const result = spawnSync(pwsh!, ["-NoProfile", "-NonInteractive", "-Command", check], {
      env: { ...process.env, COEXIST_RUNNER_PS1: runnerScript },
      encoding: "utf8",
      timeout: 60_000,
    });
    expect(result.status).toBe(0);
    expect(result.stdout.trim()).toBe("");
  });

  // The one error table is read by .NET in runner.ps1 and by JavaScript here: both engines must
  // read every row alike. This runs the table's rows over the same texts in pwsh, the way
  // Get-ErrorKind does (a [regex] per row, IgnoreCase, first match wins), and compares kinds.
  test("pwsh's regexes give the error table's texts the same kinds as JavaScript's", () => {
    const cases = (Object.keys(simulatorErrors) as SimulatorErrorName[]).map((name) => {
      const e = simulatorErrors[name];
      const { message } = (errorPayload as (n: string, ...a: unknown[]) => { message: string })(name, ...e.example);
      return { reason: e.reason, message };
    });
    cases.push(
      { reason: "ArgumentException", message: "A rule with this name already exists." },
      { reason: "ParseException", message: "Unexpected token '}' in expression or statement." },
      { reason: "RecipientTaskException", message: "The group can't have more than 429 owners." },
      { reason: "WebException", message: "The remote server returned an error: (503) Server Unavailable." },
      { reason: "MsalServiceException", message: "AADSTS700027: Client assertion contains an invalid signature." },
    );
    const script =
      "$rows = (Get-Content -LiteralPath $env:COEXIST_ERROR_TABLE -Raw -Encoding utf8 | ConvertFrom-Json).rows; " +
      "$regexes = @(foreach ($r in $rows) { [pscustomobject]@{ Kind = [string] $r.kind; Pattern = [regex]::new([string] $r.pattern, [System.Text.RegularExpressions.RegexOptions]::IgnoreCase) } }); " +
      "foreach ($c in ($env:COEXIST_ERROR_CASES | ConvertFrom-Json)) { $text = \"$($c.reason)`n$($c.message)\"; $kind = 'other'; " +
      "foreach ($r in $regexes) { if ($r.Pattern.IsMatch($text)) { $kind = $r.Kind; break } }; $kind }";
    const result = spawnSync(pwsh!, ["-NoProfile", "-NonInteractive", "-Command", script], {
      env: { ...process.env, COEXIST_ERROR_TABLE: errorTablePath, COEXIST_ERROR_CASES: JSON.stringify(cases) },
      encoding: "utf8",
      timeout: 60_000,
    });
    expect(result.status).toBe(0);
    const dotnet = result.stdout.trim().split(/\r?\n/);
    expect(cases.map((c, i) => ({ ...c, kind: dotnet[i] }))).toEqual(cases.map((c) => ({ ...c, kind: kindOf(c.reason, c.message) })));
  });

  test("runner.ps1 answers the same request lines with the same ids and kinds as the simulator runner", async () => {
    const [real, simulated] = await Promise.all([
      converse(pwsh!, ["-NoProfile", "-NonInteractive", "-File", runnerScript], lines, 120_000),
      converse(process.execPath, [simulatorRunner], lines, 30_000),
    ]);
    checkConversation(real, "pwsh");
    const pick = (c: Conversation) => c.responses.map(({ id, ok, kind }) => ({ id, ok, kind }));
    expect(pick(real)).toEqual(pick(simulated));
  });
});

/*
 * A Google Workspace source (docs/design/sources-google-and-vendor.md §3.2, §9). The key is a
 * service account key of the real shape with a freshly made RSA key, so a runner that leaked any
 * part of it would be caught. The simulator runner serves simulated targets only, so it refuses a
 * google-workspace target (auth, as for any connection settings it cannot take); runner.ps1
 * answers other/FileNotFoundException with the install line where PSGSuite is not installed, and
 * connects (PSGSuite signs in lazily, per cmdlet) where it is. The kinds compared are the ones
 * that do not depend on the machine: before a connection, a cmdlet off the list, and, on a
 * connected google session, an empty User.
 */
const { privateKey } = generateKeyPairSync("rsa", { modulusLength: 2048, privateKeyEncoding: { type: "pkcs8", format: "pem" }, publicKeyEncoding: { type: "spki", format: "pem" } });
const privateKeyId = "3c1f0e6a9b7d4c2e8f5a1b0c9d8e7f6a5b4c3d2e";
const serviceAccountKey = JSON.stringify({
  type: "service_account",
  project_id: "coexist-parity",
  private_key_id: privateKeyId,
  private_key: privateKey,
  client_email: "coexist@coexist-parity.iam.gserviceaccount.com",
  client_id: "100000000000000000001",
  auth_uri: "https://accounts.google.com/o/oauth2/auth",
  // Never reached: no invoke here gets past the runner's own checks to PSGSuite.
  token_uri: "https://oauth2.googleapis.com/token",
});
const googleTarget = GoogleWorkspaceTarget.parse({ kind: "google-workspace", adminEmail: "admin@contoso.com", domain: "contoso.com", serviceAccountKey });
// What must never come out: the whole key, private_key, private_key_id (secretsOf), and any one
// line of the PEM body, or the key with its line breaks collapsed (a message put on one line).
const keyBody = privateKey.split("\n").filter((l) => l.length >= 40 && !l.startsWith("-----"));
const googleSecrets = [...secretsOf(googleTarget), ...keyBody, privateKey.replace(/\s*\n\s*/g, " ").trim()];

const googleAllow = allowedCmdlets("google");
const googleConnect = (id: number, target: Record<string, unknown>) => JSON.stringify({ id, type: "connect", role: "google", target, allow: googleAllow });
const emptyUser = (id: number) => JSON.stringify({ id, type: "invoke", cmdlet: "Get-GSGmailAutoForwardingSettings", parameters: { User: "" } });

/** Lines whose answers do not depend on the machine or the runner's target support. */
const googleSteps: Step[] = [
  {
    what: "a Google invoke before connect",
    line: JSON.stringify({ id: 1, type: "invoke", cmdlet: "Get-GSGmailAutoForwardingSettings", parameters: { User: "alice@contoso.com" } }),
    expect: { id: 1, ok: false, kind: "auth" },
  },
  {
    // Update-GSUser moves users between OUs: deliberately not on the list (design §7).
    what: "an invoke of a PSGSuite cmdlet coexist never runs",
    line: JSON.stringify({ id: 2, type: "invoke", cmdlet: "Update-GSUser", parameters: { User: "alice@contoso.com", OrgUnitPath: "/Migrated", Confirm: false } }),
    expect: { id: 2, ok: false, kind: "invalid-parameter" },
  },
  { what: "an empty User before connect", line: emptyUser(3), expect: { id: 3, ok: false, kind: "auth" } },
];
const googleConnectId = 4;
const googleLines = [...googleSteps.map((s) => s.line), googleConnect(googleConnectId, googleTarget), JSON.stringify({ id: 5, type: "probe" })];

/** After a connected google session: the same kinds from both runners. */
const connectedSteps: Step[] = [
  { what: "an empty User", line: emptyUser(2), expect: { id: 2, ok: false, kind: "invalid-parameter" } },
  {
    what: "a User that is not an address ('me' is the admin to PSGSuite)",
    line: JSON.stringify({ id: 3, type: "invoke", cmdlet: "Get-GSGmailForwardingAddress", parameters: { User: "me" } }),
    expect: { id: 3, ok: false, kind: "invalid-parameter" },
  },
  {
    what: "an Exchange cmdlet in a Google session",
    line: JSON.stringify({ id: 4, type: "invoke", cmdlet: "Get-Mailbox", parameters: { Identity: "alice@contoso.com" } }),
    expect: { id: 4, ok: false, kind: "invalid-parameter" },
  },
  {
    what: "a cmdlet coexist never runs",
    line: JSON.stringify({ id: 5, type: "invoke", cmdlet: "Remove-GSUser", parameters: { User: "alice@contoso.com", Confirm: false } }),
    expect: { id: 5, ok: false, kind: "invalid-parameter" },
  },
];

const pick = (c: Conversation) => c.responses.map(({ id, ok, kind }) => ({ id, ok, kind }));

function expectNoGoogleSecret(c: Conversation): void {
  for (const secret of googleSecrets) {
    expect(c.stdout.includes(secret)).toBe(false);
    expect(c.stderr.includes(secret)).toBe(false);
  }
}

/** The google conversation's common checks; returns the connect's answer for the runner's own. */
function checkGoogleConversation(c: Conversation, runner: string): Conversation["responses"][number] {
  expect(Hello.parse(c.hello)).toMatchObject({ runner, protocol: 1 });
  // One answer per request, in order, every one a protocol response.
  expect(c.responses.map((r) => r.id)).toEqual([1, 2, 3, googleConnectId, 5]);
  for (const r of c.responses) expect(Response.safeParse(r.raw).success).toBe(true);
  expect(pick(c).slice(0, googleSteps.length)).toEqual(googleSteps.map((s) => s.expect));
  expect(c.code).toBe(0);
  expectNoGoogleSecret(c);
  return c.responses.find((r) => r.id === googleConnectId)!;
}

// The simulated machine of a Google rehearsal: what preflight's probe would see (design §3.1).
const googleMachine = { powershell: "7.6.0", platform: "Unix", modules: { PSGSuite: "3.0.0", Configuration: "1.6.0" } };

describe("the simulator runner on a Google Workspace source", () => {
  test("answers a google-workspace connect with a fake key without serving it or quoting it, and the machine-independent Google requests with the expected kinds", async () => {
    const c = await converse(process.execPath, [simulatorRunner], googleLines, 30_000, { ...process.env, COEXIST_SIM_ENVIRONMENT: JSON.stringify(googleMachine) });
    const connect = checkGoogleConversation(c, "simulator");
    // It serves simulated targets only: a real one is connection settings it cannot take.
    expect({ ok: connect.ok, kind: connect.kind }).toEqual({ ok: false, kind: "auth" });
    const probe = ProbeOutput.parse((c.responses.find((r) => r.id === 5)!.raw as { output: unknown[] }).output[0]);
    expect(probe.modules).toMatchObject({ PSGSuite: "3.0.0", Configuration: "1.6.0" });
  });

  test("on a connected google session (a simulated Google source), refuses an empty User, a non-address User, an Exchange cmdlet and an off-list one", async () => {
    const { stateFile, dir } = freshWorld({ ...contoso, sourceKind: "google-workspace" });
    try {
      // The key travels in the simulated target too, to prove the simulator never echoes a target field.
      const target = { ...simTarget(stateFile, { imitates: "google-workspace" }), serviceAccountKey };
      const c = await converse(process.execPath, [simulatorRunner], [googleConnect(1, target), ...connectedSteps.map((s) => s.line)], 30_000);
      expect(pick(c)).toEqual([{ id: 1, ok: true, kind: undefined }, ...connectedSteps.map((s) => s.expect)]);
      expect(c.code).toBe(0);
      expectNoGoogleSecret(c);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

/** Every file and folder under a directory, relative to it. */
function tree(dir: string): string[] {
  return fs.existsSync(dir) ? (fs.readdirSync(dir, { recursive: true }) as string[]).map(String).sort() : [];
}

describePwsh("runner.ps1 on a Google Workspace source (needs pwsh)", () => {
  // HOME and the temp folder of the runner's own, to see what the connect leaves behind.
  let base: string, home: string, baselineHome: string, tmp: string;
  beforeEach(() => {
    base = fs.mkdtempSync(path.join(os.tmpdir(), "coexist-google-parity-"));
    home = path.join(base, "home");
    baselineHome = path.join(base, "baseline-home");
    tmp = path.join(base, "tmp");
    for (const d of [home, baselineHome, tmp]) fs.mkdirSync(d);
  });
  afterEach(() => fs.rmSync(base, { recursive: true, force: true }));
  // pwsh writes its module analysis cache (~/.cache/powershell/ModuleAnalysisCache-*) when it gets
  // to it, before or after its exit, so the two homes would differ by when it ran: it goes outside
  // both (PSModuleAnalysisCachePath, about_Environment_Variables).
  const env = (h: string, extra: NodeJS.ProcessEnv = {}) => ({ ...process.env, HOME: h, TMPDIR: tmp, PSModuleAnalysisCachePath: path.join(base, `analysis-${path.basename(h)}`), ...extra });

  test("without PSGSuite on the machine: answers the connect with the fix, the other Google requests as the simulator does, and never leaks the key", async () => {
    const [real, simulated] = await Promise.all([
      converse(pwsh!, ["-NoProfile", "-NonInteractive", "-File", runnerScript], googleLines, 120_000, env(home)),
      converse(process.execPath, [simulatorRunner], googleLines, 30_000),
    ]);
    const connect = checkGoogleConversation(real, "pwsh");
    checkGoogleConversation(simulated, "simulator");
    expect(pick(real).slice(0, googleSteps.length)).toEqual(pick(simulated).slice(0, googleSteps.length));
    const probe = ProbeOutput.parse((real.responses.find((r) => r.id === 5)!.raw as { output: unknown[] }).output[0]);
    expect(Object.keys(probe.modules)).toEqual(expect.arrayContaining(["PSGSuite", "Configuration"]));
    // No PSGSuite 3.0.0 here (CI's machines have none): the fix, not a logon failure (design §3.2).
    const error = (connect.raw as { error: { reason?: string; message: string } }).error;
    expect({ ok: connect.ok, kind: connect.kind, reason: error.reason }).toEqual({ ok: false, kind: "other", reason: "FileNotFoundException" });
    expect(error.message).toMatch(/Install-Module -Name (?:PSGSuite -RequiredVersion 3\.0\.0 \(needs PowerShell 7\.4\)|Configuration -MinimumVersion 1\.3\.1)/);
  });

  test("with PSGSuite (test/doubles): loads both modules' cmdlets, refuses what the simulator refuses, leaves nothing in HOME, removes its temporary home, and never leaks the key", async () => {
    // The doubles of PSGSuite 3.0.0 and Configuration, imported by name as the real ones are.
    const doubles = { PSModulePath: path.join(__dirname, "..", "..", "..", "test", "doubles", "modules") };
    const connectedLines = [googleConnect(1, googleTarget), ...connectedSteps.map((s) => s.line)];
    const [connected, baseline] = await Promise.all([
      converse(pwsh!, ["-NoProfile", "-NonInteractive", "-File", runnerScript], connectedLines, 120_000, env(home, doubles)),
      // What pwsh itself leaves in a home folder, with no Google connect.
      converse(pwsh!, ["-NoProfile", "-NonInteractive", "-File", runnerScript], [JSON.stringify({ id: 1, type: "probe" })], 120_000, env(baselineHome, doubles)),
    ]);
    const connect = connected.responses.find((r) => r.id === 1)!;
    expect(connect.ok ? "connected" : JSON.stringify(connect.raw)).toBe("connected");
    expect((connect.raw as { output: Array<{ Name: string }> }).output.map((o) => o.Name).sort()).toEqual([...googleAllow].sort());
    expect(pick(connected)).toEqual([{ id: 1, ok: true, kind: undefined }, ...connectedSteps.map((s) => s.expect)]);
    expect(connected.code).toBe(0);
    expectNoGoogleSecret(connected);
    expect(baseline.code).toBe(0);
    // Nothing under $HOME beyond what pwsh itself leaves, and the temporary home folder is gone.
    expect(tree(home)).toEqual(tree(baselineHome));
    expect(fs.readdirSync(tmp).filter((f) => f.startsWith("coexist-google-"))).toEqual([]);
  });
});
