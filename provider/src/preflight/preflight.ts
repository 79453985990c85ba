import { spawnSync } from "node:child_process";
import * as path from "node:path";
import { allowedCmdlets, GetAcceptedDomain, GetGSGmailAutoForwardingSettings, GetGSUser, GetMailbox, GSUserObject } from "../exchange/cmdlets";
import { Command } from "../exchange/command";
import { LoadedCmdlet, ProbeOutput, Role } from "../exchange/protocol";
import { AnyTarget, ExchangeTarget, redactorOf, resolvedTarget, sourceKindOf, sourceRoleOf, SourceTarget } from "../exchange/targets";
import { projectRoot } from "../projectRoot";
import { launchFor } from "../runner/launch";
import { RunnerDied, RunnerProcess } from "../runner/process";
import { checkCertificate } from "./certificate";
import { Resolver, smartHostChecks } from "./smartHosts";
import { compareVersions, MODULE_MINIMUM, powershellFloor, RUNNER_POWERSHELL } from "./floors";

export type CheckStatus = "pass" | "fail" | "warn" | "skip";
export interface Check {
  role: Role;
  check: string;
  status: CheckStatus;
  detail: string;
  /** What to do about a failure or a warning. */
  fix?: string;
}

export interface PreflightTargets {
  exchange: ExchangeTarget;
  source: SourceTarget;
  /** The shared domain and coexist:smartHosts, for the smart host check (a real tenant only). */
  mail?: { domain: string; smartHosts: readonly string[] };
}

export interface PreflightOptions {
  /** Start-up plus connect; Connect-ExchangeOnline alone can take several seconds. */
  connectTimeoutMs?: number;
  debug?: (line: string) => void;
  /** DNS for the smart host check; the system's by default. */
  resolver?: Resolver;
}

const INSTALL_PWSH = "install PowerShell 7.6 (https://learn.microsoft.com/powershell/scripting/install/installing-powershell), or set COEXIST_PWSH to its path";

/** The permissions each role needs, for a cmdlet the session did not load. */
const ROLE_FIX: Record<Role, string> = {
  exchange:
    "give the app a role that grants them: the Exchange Administrator role in Microsoft Entra ID, or a custom role group assigned to its service principal (app-only-auth-powershell-v2.md)",
  // Recipient Management grants the mailbox cmdlets, not the transport configuration's
  // Get-AcceptedDomain and Get-SendConnector; that View-Only Organization Management grants
  // those is assumed from its name (not checked against the RBAC reference).
  source:
    "use an account whose role groups grant them on the source (Organization Management; or Recipient Management for the mailbox cmdlets plus View-Only Organization Management for Get-AcceptedDomain and Get-SendConnector)",
  google:
    "delegate the scopes to the service account's client ID (Admin console → Security → Access and data control → API controls → Manage domain-wide delegation): gmail.settings.basic, gmail.settings.sharing, admin.directory.user.readonly, admin.directory.domain; delegation can take up to 24 hours to apply",
};

/**
 * A Google Workspace source's modules (docs/design/sources-google-and-vendor.md §1, §3.1): PSGSuite
 * 3.0.0 "Increased minimum PowerShell version to 7.4" (its CHANGELOG.md; 3.0.1 is a beta), and it
 * requires the Configuration module 1.3.1 or later (PSGSuite.psd1 RequiredModules). runner.ps1
 * checks the same floors before it imports them.
 */
export const PSGSUITE_MINIMUM = "3.0.0";
export const PSGSUITE_POWERSHELL = "7.4.0";
export const CONFIGURATION_MINIMUM = "1.3.1";
const INSTALL_PSGSUITE = `Install-Module -Name PSGSuite -RequiredVersion ${PSGSUITE_MINIMUM} -Scope CurrentUser (needs PowerShell 7.4; it installs the Configuration module it requires)`;

/**
 * Everything a real run needs from this machine and these accounts, checked before anything is
 * changed, one line per check: pwsh and its version, the modules and their PowerShell floors,
 * the certificate (opened, not sent), a connect, every allow-listed cmdlet granted to the
 * account, and one read. A check whose prerequisite failed is skipped, not retried: a missing
 * executable or module fails at once. A Google Workspace source is checked as the google role
 * (PSGSuite's modules, its reads); a vendor source has nothing to connect to, so nothing is
 * launched for it.
 */
export async function preflight(targets: PreflightTargets, options: PreflightOptions = {}): Promise<Check[]> {
  const source = resolvedTarget(targets.source);
  const [exchange, sourceChecks, smartHosts] = await Promise.all([
    checkRole("exchange", resolvedTarget(targets.exchange), options),
    sourceKindOf(source) === "vendor" ? Promise.resolve(vendorChecks(source)) : checkRole(sourceRoleOf(source), source, options),
    // A simulated tenant's smart hosts are the simulated world's, which the safety gate traces.
    targets.mail && targets.exchange.kind !== "simulator" ? smartHostChecks(targets.mail.domain, targets.mail.smartHosts, options.resolver) : Promise.resolve([]),
  ]);
  return [...exchange, ...smartHosts, ...sourceChecks];
}

/**
 * A vendor-managed source has no API and no runner: coexist does the tenant side and writes a
 * worksheet for the vendor (design §6). One line says so; it is not a check that could fail.
 */
function vendorChecks(target: SourceTarget): Check[] {
  const name = target.kind === "vendor" ? target.name : "(simulated)";
  return [{ role: "source", check: "connect", status: "skip", detail: `vendor ${name}: no connection; coexist writes a worksheet` }];
}


async function checkRole(role: Role, target: AnyTarget, options: PreflightOptions): Promise<Check[]> {
  const checks: Check[] = [];
  const add = (check: string, status: CheckStatus, detail: string, fix?: string) => checks.push({ role, check, status, detail, ...(fix ? { fix } : {}) });
  const redact = redactorOf(target);
  const skipRest = (after: string, names: string[]) => {
    for (const n of names) add(n, "skip", `needs ${after}`);
    return checks;
  };
  const launch = launchFor(target);
  // A Google source reads twice: the directory, then Gmail's settings (googleReads).
  const reads = role === "google" ? ["read", "gmail"] : ["read"];
  const afterRunner = ["modules", "connect", "cmdlets", ...reads];

  // The certificate is a file on this machine: checked whatever else fails.
  const certificate = () => {
    if (target.kind !== "exchange-online") return;
    const c = checkCertificate(target.certificateFilePath, target.certificatePassword);
    if (c.ok === true) add("certificate", "pass", c.detail);
    else if (c.ok === "unknown") add("certificate", "warn", c.detail);
    else add("certificate", "fail", c.detail, c.fix);
  };

  if (target.kind !== "simulator") {
    const pwsh = pwshVersion(launch.command);
    if ("problem" in pwsh) {
      add("pwsh", "fail", pwsh.problem, INSTALL_PWSH);
      certificate();
      return skipRest("pwsh", ["runner", ...afterRunner]);
    }
    add("pwsh", "pass", `${launch.command}: PowerShell ${pwsh.version}`);
  }

  let runner: RunnerProcess;
  try {
    runner = await RunnerProcess.start(launch, { startTimeoutMs: options.connectTimeoutMs ?? 120_000, redact, ...(options.debug ? { debug: options.debug } : {}) });
  } catch (e) {
    add("runner", "fail", redact(e instanceof Error ? e.message : String(e)), e instanceof RunnerDied && e.spawnCode === "ENOENT" ? INSTALL_PWSH : "run it by hand to see why: pwsh -NoProfile -File provider/src/runner/runner.ps1");
    certificate();
    return skipRest("runner", afterRunner);
  }
  try {
    add("runner", "pass", target.kind === "simulator" ? "the simulated tenant's runner started" : "runner.ps1 started");
    const timeout = options.connectTimeoutMs ?? 120_000;
    const probed = await runner.request({ type: "probe" }, timeout);
    const machine = probed.ok ? ProbeOutput.safeParse(probed.output[0]) : undefined;
    if (!machine?.success) {
      add("modules", "fail", `the runner did not describe its machine (${probed.ok ? "unreadable answer" : redact(probed.error.message)})`, "use the runner.ps1 shipped with this version of coexist");
    } else {
      moduleChecks(role, target, machine.data, add);
    }
    const blocking = checks.some((c) => c.check === "modules" && c.status === "fail");
    certificate();
    if (blocking || checks.some((c) => c.check === "certificate" && c.status === "fail")) {
      return skipRest(blocking ? "the modules" : "the certificate", ["connect", "cmdlets", ...reads]);
    }

    const allow = allowedCmdlets(role);
    const connected = await runner.request({ type: "connect", role, target: launch.connectTarget?.(role) ?? target, allow }, timeout);
    if (!connected.ok) {
      add("connect", "fail", `${connected.error.reason ?? connected.error.kind}: ${redact(connected.error.message)}`, connectFix(role, target, connected.error.kind));
      return skipRest("a connection", ["cmdlets", ...reads]);
    }
    add("connect", "pass", `connected to ${describe(target)}`);

    const loaded = new Set(connected.output.flatMap((o) => (LoadedCmdlet.safeParse(o).success ? [String(o.Name).toLowerCase()] : [])));
    const missing = allow.filter((n) => !loaded.has(n.toLowerCase()));
    if (missing.length > 0) add("cmdlets", "fail", `the account's role does not grant ${missing.join(", ")}`, ROLE_FIX[role]);
    else add("cmdlets", "pass", `all ${allow.length} cmdlets coexist runs here are granted`);

    if (role === "google") {
      await googleReads(runner, target, timeout, missing, add, redact);
      return checks;
    }
    const read: Command = role === "exchange" ? GetAcceptedDomain({}) : GetMailbox({ ResultSize: 1 });
    const answer = await runner.request({ type: "invoke", ...read }, timeout);
    if (answer.ok) add("read", "pass", `${read.cmdlet} answered (${answer.output.length} object${answer.output.length === 1 ? "" : "s"})`);
    else add("read", "fail", `${read.cmdlet}: ${redact(answer.error.message)}`, missing.includes(read.cmdlet) ? ROLE_FIX[role] : "see docs/troubleshooting.md");
    return checks;
  } catch (e) {
    add("runner", "fail", redact(e instanceof Error ? e.message : String(e)), "see the runner's stderr with COEXIST_DEBUG=1");
    return checks;
  } finally {
    await runner.close(5_000);
  }
}

type Add = (check: string, status: CheckStatus, detail: string, fix?: string) => void;

/**
 * A Google source's reads (design §3.1): the admin through the directory (scope
 * admin.directory.user.readonly), then the admin's own auto-forwarding, which proves
 * gmail.settings.basic is delegated. PSGSuite signs in on the first call, so a bad key or a
 * missing delegation shows here, not at the connect. A simulated source has no admin address:
 * its first user stands in (the design is silent on simulated targets).
 */
async function googleReads(runner: RunnerProcess, target: AnyTarget, timeoutMs: number, missing: string[], add: Add, redact: (s: string) => string): Promise<void> {
  const admin = target.kind === "google-workspace" ? target.adminEmail : undefined;
  const fix = (kind: string, cmdlet: string) => (kind === "auth" || missing.includes(cmdlet) ? ROLE_FIX.google : "see docs/troubleshooting.md");
  const directory: Command = admin ? GetGSUser({ User: admin }) : GetGSUser({ Filter: "*", Projection: "Basic" });
  const users = await runner.request({ type: "invoke", ...directory }, timeoutMs);
  if (!users.ok) {
    add("read", "fail", `${directory.cmdlet}: ${redact(users.error.message)}`, fix(users.error.kind, directory.cmdlet));
    add("gmail", "skip", "needs the directory read");
    return;
  }
  add("read", "pass", `${directory.cmdlet} answered (${users.output.length} object${users.output.length === 1 ? "" : "s"})`);
  const first = users.output.map((o) => GSUserObject.safeParse(o)).find((u) => u.success)?.data?.PrimaryEmail;
  const mailbox = admin ?? first;
  if (!mailbox) {
    add("gmail", "skip", "no user to read the Gmail settings of");
    return;
  }
  const gmail = GetGSGmailAutoForwardingSettings({ User: mailbox });
  const answer = await runner.request({ type: "invoke", ...gmail }, timeoutMs);
  if (answer.ok) add("gmail", "pass", `${gmail.cmdlet} -User ${mailbox} answered`);
  else add("gmail", "fail", `${gmail.cmdlet}: ${redact(answer.error.message)}`, fix(answer.error.kind, gmail.cmdlet));
}

/** pwsh itself, before any runner: `pwsh -Version` prints "PowerShell 7.6.0". */
function pwshVersion(command: string): { version: string } | { problem: string } {
  const v = spawnSync(command, ["-Version"], { encoding: "utf8", timeout: 30_000 });
  if (v.error) {
    const code = (v.error as NodeJS.ErrnoException).code;
    return { problem: code === "ENOENT" ? `${command} not found on PATH` : `${command} cannot run (${code ?? v.error.message})` };
  }
  const version = /PowerShell\s+(\d+\.\d+(?:\.\d+)?)/.exec(v.stdout)?.[1];
  if (!version) return { problem: `${command} -Version printed ${JSON.stringify(v.stdout.trim().slice(0, 80))}, not a PowerShell version` };
  if (compareVersions(version, RUNNER_POWERSHELL) < 0) return { problem: `PowerShell ${version}; runner.ps1 needs ${RUNNER_POWERSHELL} or later` };
  return { version };
}

/** The module each role's connect needs, against the PowerShell it runs on. */
function moduleChecks(role: Role, target: AnyTarget, machine: ProbeOutput, add: Add): void {
  const ps = machine.powershell;
  const simulated = machine.runner === "simulator" ? " (simulated)" : "";
  if (role === "exchange") {
    const eom = machine.modules.ExchangeOnlineManagement ?? null;
    if (eom === null) {
      add("modules", "fail", `ExchangeOnlineManagement is not installed${simulated}`, "Install-Module -Name ExchangeOnlineManagement -Scope CurrentUser");
      return;
    }
    const floor = powershellFloor(eom);
    if (floor === undefined || compareVersions(eom, MODULE_MINIMUM) < 0) {
      add("modules", "fail", `ExchangeOnlineManagement ${eom}${simulated}; coexist needs ${MODULE_MINIMUM} or later (the REST-based module)`, "Update-Module -Name ExchangeOnlineManagement");
      return;
    }
    if (compareVersions(ps, floor) < 0) {
      add(
        "modules",
        "fail",
        `ExchangeOnlineManagement ${eom} needs PowerShell ${floor} or later; this is PowerShell ${ps}${simulated}`,
        `install PowerShell ${floor}, or use a module version this PowerShell supports (3.5 to 3.9 need 7.4): Install-Module ExchangeOnlineManagement -RequiredVersion 3.9.2`,
      );
      return;
    }
    add("modules", "pass", `ExchangeOnlineManagement ${eom} on PowerShell ${ps}${simulated}`);
    return;
  }
  if (role === "google") {
    const psgsuite = machine.modules.PSGSuite ?? null;
    const configuration = machine.modules.Configuration ?? null;
    if (psgsuite === null) {
      add("modules", "fail", `PSGSuite is not installed${simulated}`, INSTALL_PSGSUITE);
      return;
    }
    if (compareVersions(psgsuite, PSGSUITE_MINIMUM) < 0) {
      add("modules", "fail", `PSGSuite ${psgsuite}${simulated}; coexist needs ${PSGSUITE_MINIMUM} or later`, INSTALL_PSGSUITE);
      return;
    }
    if (compareVersions(ps, PSGSUITE_POWERSHELL) < 0) {
      add("modules", "fail", `PSGSuite ${psgsuite} needs PowerShell ${PSGSUITE_POWERSHELL} or later; this is PowerShell ${ps}${simulated}`, `install PowerShell ${PSGSUITE_POWERSHELL} or later`);
      return;
    }
    if (configuration === null || compareVersions(configuration, CONFIGURATION_MINIMUM) < 0) {
      add(
        "modules",
        "fail",
        `PSGSuite needs the Configuration module ${CONFIGURATION_MINIMUM} or later; ${configuration === null ? "it is not installed" : `this is ${configuration}`}${simulated}`,
        `Install-Module -Name Configuration -MinimumVersion ${CONFIGURATION_MINIMUM} -Scope CurrentUser`,
      );
      return;
    }
    add("modules", "pass", `PSGSuite ${psgsuite} and Configuration ${configuration} on PowerShell ${ps}${simulated}`);
    return;
  }
  // The source: Remote PowerShell to on-premises Exchange (connect-to-exchange-servers-using-remote-powershell.md
  // describes it from Windows only). WSMan is built into PowerShell on Windows; elsewhere the
  // community PSWSMan module provides it.
  if (machine.platform !== "Win32NT") {
    const wsman = machine.modules.PSWSMan ?? null;
    if (wsman === null) {
      add("modules", "fail", `Remote PowerShell from ${machine.platform} needs the PSWSMan module, which is not installed${simulated}`, "pwsh -c 'Install-PSResource -Name PSWSMan' (3.x, which runner.ps1 enables in its own process), or as root pwsh -c 'Install-Module -Name PSWSMan -RequiredVersion 2.3.1; Install-WSMan' (2.x), or run coexist from Windows");
      return;
    }
    // Kerberos and Negotiate off Windows need a ticket: worth a warning for a real server only.
    const auth = target.kind === "exchange-onprem" ? target.authentication : "Basic";
    add(
      "modules",
      auth === "Basic" ? "pass" : "warn",
      // Which major version decides how WSMan is enabled: 3.x by runner.ps1's Enable-PSWSMan in its
      // process, 2.x by the Install-WSMan that was run once (jborean93/PSWSMan, Enable-PSWSMan.md).
      `PSWSMan ${wsman} on PowerShell ${ps} (${machine.platform}): ${/^[3-9]\.|^\d{2,}\./.test(wsman) ? "3.x, enabled by runner.ps1 in its own process (Enable-PSWSMan)" : "2.x, enabled once as root (Install-WSMan)"}${simulated}`,
      auth === "Basic" ? undefined : `${auth} from Linux or macOS needs a Kerberos ticket for the account (kinit) and the Exchange server's SPN; Microsoft documents Remote PowerShell to Exchange from Windows only`,
    );
    return;
  }
  add("modules", "pass", `PowerShell ${ps} on Windows${simulated}: WSMan remoting is built in`);
}

function connectFix(role: Role, target: AnyTarget, kind: string): string {
  if (target.kind === "google-workspace") {
    // runner.ps1 answers other (FileNotFoundException) for a module it cannot find.
    return kind === "other" ? INSTALL_PSGSUITE : "check coexist:googleServiceAccountKey (the service account's whole JSON key) and the source's adminEmail and domain";
  }
  if (kind === "throttled") return "too many open sessions for this account: wait for them to time out, or lower coexist:pool.maxSessions";
  if (target.kind === "exchange-online") return "check appId, organization and the certificate uploaded to the app registration (app-only-auth-powershell-v2.md)";
  if (target.kind === "exchange-onprem") return "check connectionUri (http(s)://server/PowerShell/), the account and coexist:sourcePassword";
  if (role === "google") return "check that the simulated world's source is a Google Workspace one (imitates: google-workspace, then npm run rehearse -- init)";
  return role === "exchange" ? "check coexist:certificatePassword against the simulated world" : "check the simulated source's username and coexist:sourcePassword";
}

function describe(target: AnyTarget): string {
  switch (target.kind) {
    case "exchange-online":
      return target.organization;
    case "exchange-onprem":
      return target.connectionUri;
    case "simulator":
      return `the simulated world ${path.relative(projectRoot(), target.stateFile) || target.stateFile}`;
    case "google-workspace":
      return `Google Workspace ${target.domain}`;
    case "vendor":
      return `the vendor ${target.name} (no connection)`;
  }
}

const MARK: Record<CheckStatus, string> = { pass: "ok  ", fail: "FAIL", warn: "warn", skip: "skip" };

/** One line per check; a fix under each failure and warning. */
export function renderChecks(checks: Check[]): string {
  const width = Math.max(...checks.map((c) => c.check.length));
  const lines = checks.map((c) => {
    const head = `${MARK[c.status]}  ${c.role === "exchange" ? "tenant" : "source"}  ${c.check.padEnd(width)}  ${c.detail}`;
    return c.fix && (c.status === "fail" || c.status === "warn") ? `${head}\n      fix: ${c.fix}` : head;
  });
  const failed = checks.filter((c) => c.status === "fail").length;
  lines.push(failed === 0 ? "preflight: ready" : `preflight: ${failed} check${failed === 1 ? "" : "s"} failed`);
  return lines.join("\n");
}

/** Only the failures, for a refusal at `pulumi preview`. */
export function failureLines(checks: Check[]): string[] {
  return checks.filter((c) => c.status === "fail").map((c) => `${c.role === "exchange" ? "tenant" : "source"} ${c.check}: ${c.detail}${c.fix ? `; fix: ${c.fix}` : ""}`);
}
