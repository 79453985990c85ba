import { ChildProcess, spawn } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { previewJson } from "../plan/preview";
import { formatPlan, planSteps } from "../plan/plan";
import { World } from "../simulator/model";
import { initialWorld, Scenario } from "../simulator/scenario";
import { WorldStore } from "../simulator/store";
import { stackFileOf } from "../config/locate";
import { keptForwardsPath } from "../resources/migratedMailboxes/keptForwards";

export interface RunResult {
  code: number;
  output: string;
}

/**
 * A migration rehearsed on the simulated tenant: the real `pulumi` CLI run against a project
 * and stack whose exchange and source targets are the simulator. Used by `npm run demo` and by
 * the end-to-end wave tests.
 */
export class Rehearsal {
  readonly stackFile: string;
  constructor(
    readonly projectDir: string,
    readonly stack: string,
    readonly stateFile: string,
    private readonly env: NodeJS.ProcessEnv = process.env,
  ) {
    this.stackFile = stackFileOf(projectDir, stack);
  }

  /**
   * Runs the CLI on this stack. `input` is its stdin (how a secret is best handed to `config
   * set`); `started` receives the CLI's process, which leads its own process group, so a test
   * can kill the CLI with everything it started, as a crashed machine would.
   */
  run(args: string[], input?: string, started?: (cli: ChildProcess) => void): Promise<RunResult> {
    const child = spawn("pulumi", [...args, "--stack", this.stack, "--non-interactive", "--color", "never"], {
      cwd: this.projectDir,
      env: this.env,
      stdio: [input === undefined ? "ignore" : "pipe", "pipe", "pipe"],
      detached: started !== undefined,
    });
    started?.(child);
    if (input !== undefined) child.stdin!.end(input);
    let output = "";
    child.stdout!.on("data", (d) => (output += d));
    child.stderr!.on("data", (d) => (output += d));
    return new Promise((resolve) => child.on("close", (code) => resolve({ code: code ?? 1, output })));
  }

  async must(args: string[]): Promise<string> {
    const r = await this.run(args);
    if (r.code !== 0) throw new Error(`pulumi ${args.join(" ")} failed:\n${r.output}`);
    return r.output;
  }

  /** A fresh simulated world and an empty stack (its committed config file kept as it was). */
  async reset(scenario: Scenario): Promise<void> {
    const config = fs.readFileSync(this.stackFile, "utf8");
    await this.run(["stack", "rm", "--force", "--yes"]);
    fs.writeFileSync(this.stackFile, config);
    fs.rmSync(path.dirname(this.stateFile), { recursive: true, force: true });
    // The forwards kept from the old world's users are not the new world's to put back.
    fs.rmSync(keptForwardsPath(this.projectDir, this.stack), { force: true });
    WorldStore.create(this.stateFile, initialWorld(scenario));
    const init = spawn("pulumi", ["stack", "init", this.stack, "--non-interactive"], { cwd: this.projectDir, env: this.env, stdio: "ignore" });
    await new Promise((r) => init.on("close", r));
  }

  async plan(): Promise<string> {
    const preview = await previewJson(["--stack", this.stack], this.projectDir, this.env);
    return formatPlan(planSteps(preview.steps ?? []));
  }

  up(): Promise<RunResult> {
    return this.run(["up", "--yes", "--skip-preview", "--suppress-outputs"]);
  }

  destroy(): Promise<RunResult> {
    return this.run(["destroy", "--yes", "--skip-preview"]);
  }

  setConfig(key: string, value: string): Promise<string> {
    return this.must(["config", "set", "--path", key, value]);
  }

  removeConfig(key: string): Promise<string> {
    return this.must(["config", "rm", "--path", key]);
  }

  world(): World {
    return new WorldStore(this.stateFile).read();
  }

  updateWorld(change: (w: World) => void): void {
    new WorldStore(this.stateFile).update(change);
  }
}

/** The CLI's own summary lines ("Resources: …", "+ 8 created"), for a compact log. */
export function summaryOf(output: string): string {
  const lines = output.split("\n");
  const at = lines.findIndex((l) => l.startsWith("Resources:"));
  const summary = at >= 0 ? lines.slice(at, at + 8).filter((l) => /^\s+[-+~]|^\s+\d|Resources:|unchanged|created|deleted|updated/.test(l)) : [];
  return summary.map((l) => l.trimEnd()).join("\n");
}
