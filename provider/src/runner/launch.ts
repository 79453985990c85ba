import * as path from "node:path";
import { Role } from "../exchange/protocol";
import { AnyTarget, SimulatorTarget } from "../exchange/targets";
import { RunnerLaunch } from "./process";

/** The static runner script; shipped as source, never generated. */
export const runnerScript = path.join(__dirname, "..", "..", "src", "runner", "runner.ps1");
const simulatorRunner = path.join(__dirname, "..", "simulator", "runner.js");

const pwshCommand = (): string => process.env.COEXIST_PWSH ?? "pwsh";

/**
 * The Pulumi secrets in this process's environment that no runner needs: runner.ps1 and the
 * modules it loads (third-party code, PSGSuite among them) never see the stack's passphrase or a
 * Pulumi access token, so nothing they log or dump can carry one.
 */
const NOT_FOR_RUNNERS = ["PULUMI_CONFIG_PASSPHRASE", "PULUMI_CONFIG_PASSPHRASE_FILE", "PULUMI_ACCESS_TOKEN"];
export function runnerEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const env = { ...process.env, ...extra };
  for (const name of NOT_FOR_RUNNERS) delete env[name];
  return env;
}
const pwshArgs = ["-NoProfile", "-NonInteractive", "-File", runnerScript];

/** The process that serves a target: the simulated tenant in-house, pwsh for a real one. */
export function launchFor(target: AnyTarget): RunnerLaunch {
  if (target.kind === "simulator") {
    if (process.env.COEXIST_SIMULATOR_RUNNER === "pwsh") return runnerPs1OverSimulator(target);
    // The simulated machine (what a probe reports) is part of how the runner is started.
    return { command: process.execPath, args: [simulatorRunner], env: runnerEnv({ COEXIST_SIM_ENVIRONMENT: JSON.stringify(target.environment) }) };
  }
  // A vendor's system has no runner: a session to it is a program bug, said as such, never a pwsh start.
  if (target.kind === "vendor") return { command: process.execPath, args: ["-e", "process.stderr.write('coexist: a vendor source has no runner; nothing connects to it\\n'); process.exit(2)"], env: runnerEnv() };
  return { command: pwshCommand(), args: pwshArgs, env: runnerEnv() };
}

/**
 * The simulated tenant or source behind the real runner.ps1 (COEXIST_SIMULATOR_RUNNER=pwsh): pwsh
 * runs runner.ps1 unchanged, and the modules it imports by name (ExchangeOnlineManagement,
 * PSWSMan, PSGSuite) are test doubles from COEXIST_SIMULATOR_MODULES (test/doubles/modules),
 * which forward each cmdlet call to the simulator runner. The connect request carries the real
 * target kind that the role implies, built from the simulator target, so runner.ps1 takes the
 * same connect path as against a real tenant; the secrets go the real way too (the certificate
 * password, the source's credential). The doubles get the rest of the simulator target from
 * their environment, without its secrets.
 */
function runnerPs1OverSimulator(target: SimulatorTarget): RunnerLaunch {
  const modules = process.env.COEXIST_SIMULATOR_MODULES;
  if (!modules) throw new Error("COEXIST_SIMULATOR_RUNNER=pwsh needs COEXIST_SIMULATOR_MODULES: the folder of the test doubles' modules (test/doubles/modules)");
  const { certificatePassword, username, password, ...open } = target;
  const env = runnerEnv({
    PSModulePath: [modules, process.env.PSModulePath].filter(Boolean).join(path.delimiter),
    COEXIST_DOUBLES_NODE: process.execPath,
    COEXIST_DOUBLES_SIMULATOR: simulatorRunner,
    COEXIST_DOUBLES_TARGET: JSON.stringify(open),
  });
  const connectTarget = (role: Role): Record<string, unknown> => {
    switch (role) {
      case "exchange":
        // The double checks that the certificate file exists and gives the password to the
        // simulated world, which checks it; it opens no PFX. The state file is a file that exists.
        return {
          kind: "exchange-online",
          appId: "00000000-0000-4000-8000-00000000c0e1",
          organization: "rehearsal.onmicrosoft.com",
          certificateFilePath: target.stateFile,
          ...(certificatePassword !== undefined ? { certificatePassword } : {}),
        };
      case "source":
        return { kind: "exchange-onprem", connectionUri: "https://ex01.rehearsal.invalid/PowerShell/", authentication: "Negotiate", username: username ?? "rehearsal", password: password ?? "rehearsal" };
      case "google":
        return { kind: "google-workspace", adminEmail: "admin@rehearsal.invalid", domain: "rehearsal.invalid", serviceAccountKey: rehearsalServiceAccountKey };
    }
  };
  return { command: pwshCommand(), args: pwshArgs, env, connectTarget };
}

/**
 * A service account key of the documented shape for a rehearsal through runner.ps1: the simulated
 * Google tenant checks no key. Its private key is not a key at all; it is still treated as a
 * secret (scrubbed by runner.ps1 like any key), which the tests use.
 */
export const rehearsalServiceAccountKey = JSON.stringify({
  type: "service_account",
  project_id: "coexist-rehearsal",
  private_key_id: "0000000000000000000000000000000000rehearsal",
  private_key: "-----BEGIN PRIVATE KEY-----\nnot-a-key-coexist-rehearsal\n-----END PRIVATE KEY-----\n",
  client_email: "coexist@coexist-rehearsal.iam.gserviceaccount.com",
  client_id: "100000000000000000000",
  token_uri: "https://oauth2.googleapis.com/token",
});
