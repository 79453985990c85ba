import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { AnyTarget, ExchangeTarget, SourceTarget } from "../exchange/targets";
import { contoso, freshWorld, simTarget } from "../testing/simulator";
import { Check, preflight, renderChecks } from "./preflight";
import { powershellFloor } from "./floors";

// Preflight against the simulated tenant and source: each check's pass and its fail. The
// simulator imitates the machine (target.environment) and the account's role (target.roleLacks).
const statuses = (checks: Check[], role: "exchange" | "source") =>
  Object.fromEntries(checks.filter((c) => c.role === role).map((c) => [c.check, c.status]));
const find = (checks: Check[], role: "exchange" | "source", check: string) => checks.find((c) => c.role === role && c.check === check)!;

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
    expect(find(linux, "source", "modules").fix).toContain("Install-WSMan");
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
