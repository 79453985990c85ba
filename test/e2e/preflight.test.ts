import { spawn } from "node:child_process";
import * as path from "node:path";
import { allowedCmdlets, commandLog } from "@coexist/provider/testing";
import { repoRoot } from "../harness/pulumi";
import { coexistCli } from "../harness/cli";
import { contosoStack, rehearsalProject } from "../harness/rehearsal";

// `npm run preflight` and the preflight at `pulumi preview`, run as a user runs them, against
// the simulated tenant and source (which imitate the machine and the account's role).
const WRITE = /^(Set|New|Remove|Add|Enable|Disable)-/;
const fixturePfx = path.join(repoRoot, "test", "corpus", "certificates", "app.pfx");
const exchangeOnline = { kind: "exchange-online", appId: "6a4c5a0e-6c5e-4a9b-9b0e-3f1d2c7e8a11", organization: "contoso.onmicrosoft.com", certificateFilePath: fixturePfx };

describe("preflight through the real CLI", () => {
  const project = rehearsalProject("preflight");
  const { rehearsal } = project;
  afterAll(() => project.cleanup());

  const preflight = (args: string[] = [], env: NodeJS.ProcessEnv = {}) => coexistCli(project, rehearsal.stack, "preflight", args, env);
  const writes = () => commandLog(rehearsal.stateFile).filter((l) => l.cmdlet && WRITE.test(l.cmdlet)).length;

  it("says a rehearsal stack is ready, one line per check, and changes nothing", async () => {
    project.writeConfig({ ...contosoStack, waves: ["batches/wave1.csv"] });
    await rehearsal.reset({ domain: "contoso.com", organization: "contoso.onmicrosoft.com", users: ["alice", "bob", "carol"] });
    const r = await preflight();
    expect(r.code === 0 ? "ok" : r.out).toBe("ok");
    expect(r.out.trim().split("\n")).toEqual([
      expect.stringMatching(/^ok {4}tenant {2}runner +the simulated tenant's runner started$/),
      expect.stringMatching(/^ok {4}tenant {2}modules +ExchangeOnlineManagement 3\.10\.0 on PowerShell 7\.6\.0 \(simulated\)$/),
      expect.stringMatching(/^ok {4}tenant {2}connect +connected to the simulated world \.sim\/world\.json$/),
      expect.stringMatching(new RegExp(`^ok {4}tenant {2}cmdlets +all ${allowedCmdlets("exchange").length} cmdlets coexist runs here are granted$`)),
      expect.stringMatching(/^ok {4}tenant {2}read +Get-AcceptedDomain answered \(\d+ objects?\)$/),
      expect.stringMatching(/^ok {4}source {2}runner /),
      expect.stringMatching(/^ok {4}source {2}modules +PSWSMan 2\.3\.1 on PowerShell 7\.6\.0 \(Unix\): 2\.x, enabled once as root \(Install-WSMan\) \(simulated\)$/),
      expect.stringMatching(/^ok {4}source {2}connect /),
      expect.stringMatching(new RegExp(`^ok {4}source {2}cmdlets +all ${allowedCmdlets("source").length} cmdlets coexist runs here are granted$`)),
      expect.stringMatching(/^ok {4}source {2}read +Get-Mailbox answered \(1 object\)$/),
      "preflight: ready",
    ]);
    expect(writes()).toBe(0);
  });

  it("fails with a line and a fix per problem, exit 1: the module's PowerShell floor, a role without cmdlets, a source without PSWSMan", async () => {
    project.writeConfig({
      ...contosoStack,
      exchange: { ...contosoStack.exchange, environment: { powershell: "7.4.6", modules: { ExchangeOnlineManagement: "3.10.0" } } },
      source: { ...contosoStack.source, environment: { platform: "Unix", modules: {} }, roleLacks: ["Set-Mailbox"] },
    });
    const r = await preflight();
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/^FAIL {2}tenant {2}modules +ExchangeOnlineManagement 3\.10\.0 needs PowerShell 7\.6\.0 or later; this is PowerShell 7\.4\.6 \(simulated\)\n {6}fix: install PowerShell 7\.6\.0/m);
    expect(r.out).toMatch(/^skip {2}tenant {2}connect +needs the modules$/m);
    expect(r.out).toMatch(/^FAIL {2}source {2}modules +Remote PowerShell from Unix needs the PSWSMan module/m);
    expect(r.out.trim().split("\n").at(-1)).toBe("preflight: 2 checks failed");
    // The role check, on a machine that passes.
    project.writeConfig({ ...contosoStack, source: { ...contosoStack.source, roleLacks: ["Set-Mailbox"] } });
    const role = await preflight(["--json"]);
    expect(role.code).toBe(1);
    const checks = JSON.parse(role.out) as { role: string; check: string; status: string; detail: string }[];
    expect(checks.filter((c) => c.status === "fail")).toEqual([
      expect.objectContaining({ role: "source", check: "cmdlets", detail: "the account's role does not grant Set-Mailbox" }),
    ]);
    expect(writes()).toBe(0);
  });

  it("refuses pulumi preview of a real target when pwsh is missing and the certificate password is wrong, naming both, with no resource operation", async () => {
    project.writeConfig({ ...contosoStack, exchange: exchangeOnline, waves: ["batches/wave1.csv"] });
    await rehearsal.run(["config", "set", "--secret", "coexist:certificatePassword"], "not-the-password");
    const noPwsh = { COEXIST_PWSH: "/nonexistent/bin/pwsh" };
    const cli = await preflight([], noPwsh);
    expect(cli.code).toBe(1);
    expect(cli.out).toMatch(/^FAIL {2}tenant {2}pwsh +\/nonexistent\/bin\/pwsh not found on PATH$/m);
    expect(cli.out).toMatch(/^FAIL {2}tenant {2}certificate +.*app\.pfx: the password does not open it\n {6}fix: set the right one with pulumi config set --secret coexist:certificatePassword$/m);
    expect(cli.out).not.toContain("not-the-password");

    const t0 = Date.now();
    const preview = await new Promise<{ code: number; out: string }>((resolve) => {
      const child = spawn("pulumi", ["preview", "--stack", rehearsal.stack, "--non-interactive", "--color", "never"], { cwd: project.dir, env: { ...project.env, ...noPwsh } });
      let out = "";
      child.stdout.on("data", (d) => (out += d));
      child.stderr.on("data", (d) => (out += d));
      child.on("close", (code) => resolve({ code: code ?? 1, out }));
    });
    expect(preview.code).not.toBe(0);
    expect(preview.out).toContain(`coexist: stack ${rehearsal.stack} is not ready for a real run`);
    expect(preview.out).toContain("tenant pwsh: /nonexistent/bin/pwsh not found on PATH");
    expect(preview.out).toContain("tenant certificate:");
    expect(preview.out).toContain("tenant smarthost: mail.contoso-source.example does not resolve");
    expect(preview.out).not.toContain("not-the-password");
    expect(preview.out).not.toMatch(/\+ {2}coexist:/);
    // Before preflight this took about a minute of connect retries ending in "spawn pwsh ENOENT".
    expect(Date.now() - t0).toBeLessThan(30_000);
    // A good password opens the certificate: only pwsh is left.
    await rehearsal.run(["config", "set", "--secret", "coexist:certificatePassword"], "fixture-password-not-secret");
    const fixed = await preflight([], noPwsh);
    expect(fixed.out).toMatch(/^ok {4}tenant {2}certificate +.*app\.pfx opens with the configured password$/m);
    // Left: pwsh, and the smart host, a reserved .example name no DNS resolves (a real tenant's
    // smart hosts are looked up before anything is applied).
    expect(fixed.out).toMatch(/^FAIL {2}tenant {2}smarthost +mail\.contoso-source\.example does not resolve \(\w+\)$/m);
    expect(fixed.out.trim().split("\n").at(-1)).toBe("preflight: 2 checks failed");
  });
});
