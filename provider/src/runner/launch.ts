import * as path from "node:path";
import { AnyTarget } from "../exchange/targets";
import { RunnerLaunch } from "./process";

/** The static runner script; shipped as source, never generated. */
export const runnerScript = path.join(__dirname, "..", "..", "src", "runner", "runner.ps1");
const simulatorRunner = path.join(__dirname, "..", "simulator", "runner.js");

/** The process that serves a target: the simulated tenant in-house, pwsh for a real one. */
export function launchFor(target: AnyTarget): RunnerLaunch {
  if (target.kind === "simulator") {
    // The simulated machine (what a probe reports) is part of how the runner is started.
    return { command: process.execPath, args: [simulatorRunner], env: { ...process.env, COEXIST_SIM_ENVIRONMENT: JSON.stringify(target.environment) } };
  }
  // A vendor's system has no runner: a session to it is a program bug, said as such, never a pwsh start.
  if (target.kind === "vendor") return { command: process.execPath, args: ["-e", "process.stderr.write('coexist: a vendor source has no runner; nothing connects to it\\n'); process.exit(2)"] };
  return { command: process.env.COEXIST_PWSH ?? "pwsh", args: ["-NoProfile", "-NonInteractive", "-File", runnerScript] };
}
