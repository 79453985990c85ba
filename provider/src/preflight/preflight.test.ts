import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { allowedCmdlets } from "../exchange/cmdlets";
import { Role } from "../exchange/protocol";
import { AnyTarget, ExchangeTarget, GoogleWorkspaceTarget, SourceTarget } from "../exchange/targets";
import { contoso, freshWorld, simTarget } from "../testing/simulator";
import { Check, preflight, renderChecks } from "./preflight";
import { powershellFloor } from "./floors";

// Preflight against the simulated tenant and source: each check's pass and its fail. The
// simulator imitates the machine (target.environment) and the account's role (target.roleLacks).
const statuses = (checks: Check[], role: Role) =>
  Object.fromEntries(checks.filter((c) => c.role === role).map((c) => [c.check, c.status]));
const find = (checks: Check[], role: Role, check: string) => checks.find((c) => c.role === role && c.check === check)!;

function targets(tenant: Partial<Parameters<typeof simTarget>[1]> = {}, source: Partial<Parameters<typeof simTarget>[1]> = {}, scenario = contoso) {
  const { stateFile } = freshWorld(scenario);
  return { exchange: simTarget(stateFile, tenant) as ExchangeTarget, source: simTarget(stateFile, source) as SourceTarget };
}

describe("preflight", () => {
  it("passes every check on a machine and accounts that are ready, reading one object per target", async () => {
    const checks = await preflight(targets());
    expect(statuses(checks, "exchange")).toEqual({ runner: "pass", modules: "pass", connect: "pass", cmdlets: "pass", read: "pass" });
    expect(statuses(checks, "source")).toEqual({ runner: "pass", modules: "pass", connect: "pass", cmdlets: "pass", read: "pass" });
    expect(find(checks, "source", "read").detail).toBe("Get-Mailbox answered (1 object)");
    expect(renderChecks(checks).split("\n").at(-1)).toBe("preflight: ready");
  });

  it("fails ExchangeOnlineManagement 3.10 on PowerShell 7.4, with the fix, and skips the connect", async () => {
    const checks = await preflight(targets({ environment: { powershell: "7.4.6", platform: "Unix", modules: { ExchangeOnlineManagement: "3.10.0" } } }));
    const m = find(checks, "exchange", "modules");
    expect(m.status).toBe("fail");
    expect(m.detail).toBe("ExchangeOnlineManagement 3.10.0 needs PowerShell 7.6.0 or later; this is PowerShell 7.4.6 (simulated)");
    expect(m.fix).toMatch(/install PowerShell 7\.6\.0, or use a module version this PowerShell supports/);
    expect(statuses(checks, "exchange")).toMatchObject({ connect: "skip", cmdlets: "skip", read: "skip" });
    expect(renderChecks(checks)).toMatch(/^FAIL  tenant  modules  ExchangeOnlineManagement 3\.10\.0 needs PowerShell 7\.6\.0/m);
  });

  it.each([
    [{}, "ExchangeOnlineManagement is not installed (simulated)"],
    [{ ExchangeOnlineManagement: "2.0.5" }, "ExchangeOnlineManagement 2.0.5 (simulated); coexist needs 3.0.0 or later (the REST-based module)"],
  ])("fails a missing or pre-V3 module (%j)", async (modules, detail) => {
    const checks = await preflight(targets({ environment: { powershell: "7.6.0", platform: "Unix", modules } }));
    expect(find(checks, "exchange", "modules")).toMatchObject({ status: "fail", detail });
  });

  it("passes ExchangeOnlineManagement 3.9 on PowerShell 7.4: each module version has its own floor", async () => {
    expect([powershellFloor("3.10.1"), powershellFloor("3.9.2"), powershellFloor("3.4.0"), powershellFloor("2.0.5")]).toEqual(["7.6.0", "7.4.0", "7.2.0", undefined]);
    const checks = await preflight(targets({ environment: { powershell: "7.4.6", platform: "Unix", modules: { ExchangeOnlineManagement: "3.9.2" } } }));
    expect(find(checks, "exchange", "modules").status).toBe("pass");
  });

  it("fails Remote PowerShell to the source from Linux without PSWSMan, and passes it from Windows", async () => {
    const linux = await preflight(targets({}, { environment: { powershell: "7.6.0", platform: "Unix", modules: { PSWSMan: null } } }));
    expect(find(linux, "source", "modules")).toMatchObject({ status: "fail", detail: "Remote PowerShell from Unix needs the PSWSMan module, which is not installed (simulated)" });
    // Both major versions, each with its own way of being enabled.
    expect(find(linux, "source", "modules").fix).toContain("Install-PSResource -Name PSWSMan' (3.x");
    expect(find(linux, "source", "modules").fix).toContain("Install-WSMan' (2.x)");
    const v3 = await preflight(targets({}, { environment: { powershell: "7.6.0", platform: "Unix", modules: { PSWSMan: "3.0.1" } } }));
    expect(find(v3, "source", "modules").detail).toBe("PSWSMan 3.0.1 on PowerShell 7.6.0 (Unix): 3.x, enabled by runner.ps1 in its own process (Enable-PSWSMan) (simulated)");
    expect(statuses(linux, "source")).toMatchObject({ connect: "skip" });
    const windows = await preflight(targets({}, { environment: { powershell: "7.6.0", platform: "Win32NT", modules: {} } }));
    expect(find(windows, "source", "modules").status).toBe("pass");
  });

  it("names every allow-listed cmdlet the account's role does not grant, and a read the role cannot run", async () => {
    const checks = await preflight(targets({ roleLacks: ["New-TransportRule", "Set-TransportRule", "Get-AcceptedDomain"] }));
    const c = find(checks, "exchange", "cmdlets");
    expect(c.status).toBe("fail");
    expect(c.detail).toBe("the account's role does not grant Get-AcceptedDomain, New-TransportRule, Set-TransportRule");
    expect(c.fix).toMatch(/Exchange Administrator role in Microsoft Entra ID, or a custom role group/);
    expect(find(checks, "exchange", "read")).toMatchObject({ status: "fail" });
    expect(find(checks, "exchange", "read").detail).toMatch(/^Get-AcceptedDomain: The term 'Get-AcceptedDomain' is not recognized/);
    expect(find(checks, "source", "cmdlets").status).toBe("pass");
  });

  it("fails a connect with the wrong certificate password without quoting it, and skips what needs the connection", async () => {
    const password = "Wrong-Pa55word!";
    const checks = await preflight(targets({ certificatePassword: password }, {}, { ...contoso, credentials: { certificatePassword: "the-right-one" } }));
    const c = find(checks, "exchange", "connect");
    expect(c.status).toBe("fail");
    expect(c.detail).toMatch(/password is not correct/);
    expect(JSON.stringify(checks)).not.toContain(password);
    expect(statuses(checks, "exchange")).toMatchObject({ cmdlets: "skip", read: "skip" });
  });

  describe("with a real target's pwsh", () => {
    const saved = process.env.COEXIST_PWSH;
    afterEach(() => (saved === undefined ? delete process.env.COEXIST_PWSH : (process.env.COEXIST_PWSH = saved)));
    const online: AnyTarget = {
      kind: "exchange-online",
      appId: "00000000-0000-0000-0000-000000000001",
      organization: "contoso.onmicrosoft.com",
      certificateFilePath: "/nonexistent/app.pfx",
    };

    it("fails at once when pwsh is not there, skipping what needs it but still checking the certificate", async () => {
      process.env.COEXIST_PWSH = "/nonexistent/bin/pwsh";
      // Both targets real, so the time is preflight's own: no simulated runner started beside it.
      const onprem = { kind: "exchange-onprem", connectionUri: "https://ex01.contoso.com/PowerShell/", authentication: "Kerberos", username: "svc", password: "p" } as SourceTarget;
      const t0 = Date.now();
      const checks = await preflight({ exchange: online as ExchangeTarget, source: onprem });
      expect(Date.now() - t0).toBeLessThan(2_000);
      expect(find(checks, "exchange", "pwsh")).toMatchObject({ status: "fail", detail: "/nonexistent/bin/pwsh not found on PATH" });
      expect(find(checks, "source", "pwsh")).toMatchObject({ status: "fail", detail: "/nonexistent/bin/pwsh not found on PATH" });
      expect(find(checks, "exchange", "certificate")).toMatchObject({ status: "fail", detail: "cannot read /nonexistent/app.pfx (ENOENT)" });
      expect(statuses(checks, "exchange")).toMatchObject({ runner: "skip", modules: "skip", connect: "skip", cmdlets: "skip", read: "skip" });
    });

    it("fails a pwsh older than runner.ps1 needs", async () => {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), "coexist-pwsh-"));
      const old = path.join(dir, "pwsh");
      // A stand-in that answers -Version as PowerShell 7.2 does.
      fs.writeFileSync(old, "#!/bin/sh\necho 'PowerShell 7.2.19'\n", { mode: 0o755 });
      process.env.COEXIST_PWSH = old;
      const checks = await preflight({ ...targets(), exchange: online as ExchangeTarget });
      expect(find(checks, "exchange", "pwsh")).toMatchObject({ status: "fail", detail: "PowerShell 7.2.19; runner.ps1 needs 7.4.0 or later" });
      fs.rmSync(dir, { recursive: true, force: true });
    });

    it("passes a pwsh of the right version, then fails a runner that never says hello", async () => {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), "coexist-pwsh-"));
      const stub = path.join(dir, "pwsh");
      // Answers -Version as PowerShell 7.6 does, and exits at once when asked to run runner.ps1.
      fs.writeFileSync(stub, ["#!/bin/sh", `[ "$1" = -Version ] && echo 'PowerShell 7.6.0'`, "exit 3", ""].join("\n"), { mode: 0o755 });
      process.env.COEXIST_PWSH = stub;
      const checks = await preflight({ ...targets(), exchange: online as ExchangeTarget }, { connectTimeoutMs: 5_000 });
      expect(find(checks, "exchange", "pwsh")).toMatchObject({ status: "pass", detail: `${stub}: PowerShell 7.6.0` });
      expect(find(checks, "exchange", "runner")).toMatchObject({ status: "fail", detail: "runner exited (code 3)" });
      expect(statuses(checks, "exchange")).toMatchObject({ modules: "skip", connect: "skip", cmdlets: "skip", read: "skip" });
      fs.rmSync(dir, { recursive: true, force: true });
    });
  });
});

/*
 * A Google Workspace source (docs/design/sources-google-and-vendor.md §3.1) and a vendor source
 * (§6). No pwsh here, so the real target's path runs against a stand-in "pwsh": a Node script
 * that answers -Version as PowerShell 7.6 does and speaks the runner protocol with set answers,
 * logging each request (never the target's secrets) so the test sees what preflight asked.
 */
interface StubAnswers {
  modules: Record<string, string | null>;
  powershell?: string;
  invoke?: Record<string, { ok: true; output: unknown[] } | { ok: false; error: { kind: string; reason?: string; message: string } }>;
}

function stubPwsh(answers: StubAnswers): { command: string; requests: () => Array<Record<string, unknown>>; launched: () => boolean; cleanup: () => void } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "coexist-stub-pwsh-"));
  const log = path.join(dir, "requests.jsonl");
  const command = path.join(dir, "pwsh");
  const script = `#!${process.execPath}
const fs = require("node:fs");
const answers = ${JSON.stringify(answers)};
const log = ${JSON.stringify(log)};
if (process.argv[2] === "-Version") { console.log("PowerShell 7.6.0"); process.exit(0); }
fs.appendFileSync(log, "");
const write = (o) => process.stdout.write(JSON.stringify(o) + "\\n");
write({ type: "hello", runner: "pwsh", protocol: 1 });
require("node:readline").createInterface({ input: process.stdin }).on("line", (line) => {
  if (!line.trim()) return;
  const r = JSON.parse(line);
  fs.appendFileSync(log, JSON.stringify({ type: r.type, role: r.role, targetKind: r.target && r.target.kind, allow: r.allow, cmdlet: r.cmdlet, parameters: r.parameters }) + "\\n");
  if (r.type === "probe") return write({ id: r.id, ok: true, output: [{ runner: "pwsh", powershell: answers.powershell || "7.6.0", platform: "Unix", modules: answers.modules }] });
  if (r.type === "connect") return write({ id: r.id, ok: true, output: r.allow.map((Name) => ({ Name })) });
  const a = (answers.invoke || {})[r.cmdlet] || { ok: false, error: { kind: "invalid-parameter", reason: "CommandNotFoundException", message: "not set in the stub" } };
  write({ id: r.id, ...a });
});
`;
  fs.writeFileSync(command, script, { mode: 0o755 });
  return {
    command,
    requests: () => (fs.existsSync(log) ? fs.readFileSync(log, "utf8").split("\n").filter(Boolean).map((l) => JSON.parse(l) as Record<string, unknown>) : []),
    launched: () => fs.existsSync(log),
    cleanup: () => fs.rmSync(dir, { recursive: true, force: true }),
  };
}

const privateKey = "-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC-preflight-fake\n-----END PRIVATE KEY-----\n";
const google = GoogleWorkspaceTarget.parse({
  kind: "google-workspace",
  adminEmail: "admin@contoso.com",
  domain: "contoso.com",
  serviceAccountKey: JSON.stringify({ type: "service_account", private_key_id: "abc123", private_key: privateKey, client_email: "coexist@p.iam.gserviceaccount.com", client_id: "1001" }),
});
const ready: StubAnswers = {
  modules: { PSGSuite: "3.0.0", Configuration: "1.6.0" },
  invoke: {
    "Get-GSUser": { ok: true, output: [{ PrimaryEmail: "admin@contoso.com" }] },
    "Get-GSGmailAutoForwardingSettings": { ok: true, output: [{ User: "admin@contoso.com", Enabled: false, EmailAddress: null, Disposition: null }] },
  },
};

describe("preflight of a Google Workspace source", () => {
  const saved = process.env.COEXIST_PWSH;
  let stub: ReturnType<typeof stubPwsh> | undefined;
  afterEach(() => {
    stub?.cleanup();
    stub = undefined;
    if (saved === undefined) delete process.env.COEXIST_PWSH;
    else process.env.COEXIST_PWSH = saved;
  });
  const run = async (answers: StubAnswers) => {
    stub = stubPwsh(answers);
    process.env.COEXIST_PWSH = stub.command;
    return preflight({ exchange: targets().exchange, source: google as SourceTarget }, { connectTimeoutMs: 10_000 });
  };

  it("checks PSGSuite and Configuration, connects as the google role, then reads the admin's user and Gmail settings instead of Get-Mailbox", async () => {
    const checks = await run(ready);
    expect(statuses(checks, "google")).toEqual({ pwsh: "pass", runner: "pass", modules: "pass", connect: "pass", cmdlets: "pass", read: "pass", gmail: "pass" });
    expect(statuses(checks, "source")).toEqual({});
    expect(find(checks, "google", "modules").detail).toBe("PSGSuite 3.0.0 and Configuration 1.6.0 on PowerShell 7.6.0");
    expect(find(checks, "google", "connect").detail).toBe("connected to Google Workspace contoso.com");
    expect(find(checks, "google", "read").detail).toBe("Get-GSUser answered (1 object)");
    expect(find(checks, "google", "gmail").detail).toBe("Get-GSGmailAutoForwardingSettings -User admin@contoso.com answered");
    const asked = stub!.requests();
    expect(asked.map((r) => r.type)).toEqual(["probe", "connect", "invoke", "invoke"]);
    expect(asked[1]).toMatchObject({ role: "google", targetKind: "google-workspace", allow: allowedCmdlets("google") });
    expect(asked.slice(2).map((r) => [r.cmdlet, r.parameters])).toEqual([
      ["Get-GSUser", { User: "admin@contoso.com" }],
      ["Get-GSGmailAutoForwardingSettings", { User: "admin@contoso.com" }],
    ]);
    // Rendered as the source, and the key is nowhere in what preflight says.
    expect(renderChecks(checks)).toMatch(/^ok {2}\s*source {2}gmail\s+Get-GSGmailAutoForwardingSettings/m);
    expect(JSON.stringify(checks)).not.toContain("preflight-fake");
  });

  it("prints the delegation fix, and that delegation can take up to 24 hours, when Google refuses the service account (auth)", async () => {
    const unauthorized = {
      ok: false as const,
      error: { kind: "auth", reason: "TokenResponseException", message: `Error:"unauthorized_client", Description:"Client is unauthorized to retrieve access tokens using this method, or client not authorized for any of the scopes requested.", Uri:""` },
    };
    const gmail = await run({ ...ready, invoke: { ...ready.invoke, "Get-GSGmailAutoForwardingSettings": unauthorized } });
    const g = find(gmail, "google", "gmail");
    expect(g.status).toBe("fail");
    expect(g.detail).toMatch(/^Get-GSGmailAutoForwardingSettings: Error:"unauthorized_client"/);
    expect(g.fix).toMatch(/Manage domain-wide delegation\): gmail\.settings\.basic, gmail\.settings\.sharing, admin\.directory\.user\.readonly, admin\.directory\.domain/);
    expect(g.fix).toContain("can take up to 24 hours");
    expect(renderChecks(gmail)).toContain("can take up to 24 hours");
    stub!.cleanup();
    const directory = await run({ ...ready, invoke: { ...ready.invoke, "Get-GSUser": unauthorized } });
    expect(find(directory, "google", "read")).toMatchObject({ status: "fail" });
    expect(find(directory, "google", "read").fix).toContain("can take up to 24 hours");
    expect(find(directory, "google", "gmail")).toMatchObject({ status: "skip", detail: "needs the directory read" });
    expect(stub!.requests().filter((r) => r.type === "invoke").map((r) => r.cmdlet)).toEqual(["Get-GSUser"]);
  });

  it("a failure that is not auth gets the general fix", async () => {
    const checks = await run({ ...ready, invoke: { ...ready.invoke, "Get-GSGmailAutoForwardingSettings": { ok: false, error: { kind: "transient", message: "Backend Error [500]" } } } });
    expect(find(checks, "google", "gmail")).toMatchObject({ status: "fail", fix: "see docs/troubleshooting.md" });
  });

  it.each([
    [{}, "PSGSuite is not installed", /^Install-Module -Name PSGSuite -RequiredVersion 3\.0\.0 .*needs PowerShell 7\.4/],
    [{ PSGSuite: "2.36.4", Configuration: "1.6.0" }, "PSGSuite 2.36.4; coexist needs 3.0.0 or later", /^Install-Module -Name PSGSuite -RequiredVersion 3\.0\.0/],
    [{ PSGSuite: "3.0.0", Configuration: null }, "PSGSuite needs the Configuration module 1.3.1 or later; it is not installed", /^Install-Module -Name Configuration -MinimumVersion 1\.3\.1/],
    [{ PSGSuite: "3.0.0", Configuration: "1.3.0" }, "PSGSuite needs the Configuration module 1.3.1 or later; this is 1.3.0", /^Install-Module -Name Configuration -MinimumVersion 1\.3\.1/],
  ])("fails the modules %j, with the install line, and connects to nothing", async (modules, detail, fix) => {
    const checks = await run({ ...ready, modules });
    expect(find(checks, "google", "modules")).toMatchObject({ status: "fail", detail });
    expect(find(checks, "google", "modules").fix).toMatch(fix);
    expect(statuses(checks, "google")).toMatchObject({ connect: "skip", cmdlets: "skip", read: "skip", gmail: "skip" });
    expect(stub!.requests().map((r) => r.type)).toEqual(["probe"]);
  });

  it("fails PSGSuite 3.0 on a PowerShell older than 7.4", async () => {
    const checks = await run({ ...ready, powershell: "7.2.19" });
    expect(find(checks, "google", "modules")).toMatchObject({ status: "fail", detail: "PSGSuite 3.0.0 needs PowerShell 7.4.0 or later; this is PowerShell 7.2.19" });
  });

  it("a simulated Google source is checked as the google role, against the machine it imitates", async () => {
    const environment = { powershell: "7.6.0", platform: "Unix" as const, modules: { PSGSuite: "3.0.0", Configuration: "1.6.0" } };
    const checks = await preflight(targets({}, { imitates: "google-workspace", environment }, { ...contoso, sourceKind: "google-workspace" }));
    expect(statuses(checks, "google")).toEqual({ runner: "pass", modules: "pass", connect: "pass", cmdlets: "pass", read: "pass", gmail: "pass" });
    // No admin address in a simulated target: the directory's list, then its first user's Gmail settings.
    expect(find(checks, "google", "read").detail).toBe("Get-GSUser answered (3 objects)");
    expect(find(checks, "google", "gmail").detail).toBe("Get-GSGmailAutoForwardingSettings -User alice@contoso.com answered");
    expect(find(checks, "google", "modules").detail).toBe("PSGSuite 3.0.0 and Configuration 1.6.0 on PowerShell 7.6.0 (simulated)");
    const missing = await preflight(targets({}, { imitates: "google-workspace", environment: { ...environment, modules: {} } }, { ...contoso, sourceKind: "google-workspace" }));
    expect(find(missing, "google", "modules")).toMatchObject({ status: "fail", detail: "PSGSuite is not installed (simulated)" });
  });
});

describe("preflight of a vendor source", () => {
  const saved = process.env.COEXIST_PWSH;
  afterEach(() => (saved === undefined ? delete process.env.COEXIST_PWSH : (process.env.COEXIST_PWSH = saved)));

  it("reports one line, no connection and a worksheet, and launches nothing for the source", async () => {
    const stub = stubPwsh(ready);
    process.env.COEXIST_PWSH = stub.command;
    try {
      const checks = await preflight({ exchange: targets().exchange, source: { kind: "vendor", name: "HostCo" } });
      expect(checks.filter((c) => c.role !== "exchange")).toEqual([{ role: "source", check: "connect", status: "skip", detail: "vendor HostCo: no connection; coexist writes a worksheet" }]);
      expect(stub.launched()).toBe(false);
      expect(statuses(checks, "exchange")).toMatchObject({ connect: "pass", read: "pass" });
      expect(renderChecks(checks).split("\n").at(-1)).toBe("preflight: ready");
    } finally {
      stub.cleanup();
    }
  });

  it("a simulated vendor source has no runner either", async () => {
    const checks = await preflight(targets({}, { imitates: "vendor" }, { ...contoso, sourceKind: "vendor" }));
    expect(checks.filter((c) => c.role !== "exchange")).toEqual([{ role: "source", check: "connect", status: "skip", detail: "vendor (simulated): no connection; coexist writes a worksheet" }]);
  });
});
