import { spawn, spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { errorTablePath, kindOf } from "../exchange/errorKinds";
import { Hello, ProbeOutput, Response } from "../exchange/protocol";
import { errorPayload, simulatorErrors, SimulatorErrorName } from "../simulator/errors";

/*
 * The same request lines, fed to both runners, must get the same answers. Without an Exchange
 * organisation only the protocol itself can be compared: malformed lines, commands before a
 * connection, a connection that fails. The pwsh half needs pwsh on PATH (or COEXIST_PWSH) and
 * is skipped without it; the simulator half always runs.
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
function converse(command: string, args: string[], lines: string[], timeoutMs: number): Promise<Conversation> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ["pipe", "pipe", "pipe"] });
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

(hasPwsh ? describe : describe.skip)("runner.ps1 against the simulator runner (needs pwsh)", () => {
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
