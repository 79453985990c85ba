import { spawn } from "node:child_process";
import * as path from "node:path";
import { repoRoot } from "./pulumi";

export interface CliResult {
  code: number;
  /** stdout and stderr, as a user sees them. */
  out: string;
  ms: number;
}

/**
 * One of coexist's commands (provider/dist/cli/<name>.js, what `npm run <name>` and `coexist
 * <name>` run) in a rehearsal project, as a user runs it there: its directory, its CLI
 * environment, and the stack given with --stack after the command's own arguments.
 */
export function coexistCli(
  project: { dir: string; env: NodeJS.ProcessEnv },
  stack: string,
  name: "plan" | "status" | "trace" | "preflight" | "rehearse" | "sourceUsers",
  args: string[] = [],
  env: NodeJS.ProcessEnv = {},
): Promise<CliResult> {
  return new Promise((resolve) => {
    const t0 = Date.now();
    const child = spawn(process.execPath, [path.join(repoRoot, "provider", "dist", "cli", `${name}.js`), ...args, "--stack", stack], {
      cwd: project.dir,
      env: { ...project.env, ...env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let out = "";
    child.stdout.on("data", (d) => (out += d));
    child.stderr.on("data", (d) => (out += d));
    child.on("close", (code) => resolve({ code: code ?? 1, out, ms: Date.now() - t0 }));
  });
}
