import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { baseConfig, outcomesOf, Rehearsal, userRows, World } from "@coexist/provider/testing";
import { ProcessInfo, processesWithEnv } from "./processes";
import { repoRoot } from "./pulumi";

/**
 * The stack config the end-to-end tests start from: contoso.com moving to Exchange Online, with
 * the tenant and the source in one simulated world. Tests spread it and change what they test.
 */
export const contosoStack = {
  ...baseConfig,
  exchange: { kind: "simulator", stateFile: ".sim/world.json" },
  source: { kind: "simulator", stateFile: ".sim/world.json" },
};

/**
 * What serves the simulated tenant and source in an end-to-end run: the simulator's own runner,
 * or the real runner.ps1 in pwsh with the test doubles of ExchangeOnlineManagement, PSWSMan and
 * PSGSuite (test/doubles), which forward each cmdlet to the same simulated world.
 */
export type E2eRunner = "simulator" | "runner.ps1";
export const e2eRunners: E2eRunner[] = ["simulator", "runner.ps1"];

/** The environment that puts runner.ps1 and the doubles in front of the simulator (runner/launch.ts). */
export const runnerPs1Env = (): Record<string, string> => ({
  COEXIST_SIMULATOR_RUNNER: "pwsh",
  COEXIST_SIMULATOR_MODULES: path.join(repoRoot, "test", "doubles", "modules"),
});

/** Which front each session of a world came through, from its command log: "runner.ps1" or "simulator". */
export function sessionFronts(stateFile: string): string[] {
  if (!fs.existsSync(`${stateFile}.log`)) return [];
  return fs
    .readFileSync(`${stateFile}.log`, "utf8")
    .split("\n")
    .filter((l) => l.includes('"event":"connect"'))
    .map((l) => (JSON.parse(l) as { front?: string }).front ?? "simulator");
}

/**
 * A copy of the coexist project in a temp dir (its program and node_modules linked, its batches
 * copied) with its own file backend, so end-to-end tests run the real program through the real
 * CLI without touching the repository's stacks or state.
 */
export function rehearsalProject(stack = "e2e", options: { runner?: E2eRunner; reuse?: string } = {}): {
  rehearsal: Rehearsal;
  dir: string;
  /** The CLI environment of this project (its backend, passphrase, PULUMI_HOME). */
  env: NodeJS.ProcessEnv;
  writeConfig(config: Record<string, unknown>): void;
  processes(): ProcessInfo[];
  cleanup(): void;
} {
  // The stack in the folder's name says which suite a leftover process came from. `reuse` is a
  // project made by an earlier call (a benchmark's kept stack): only its links and entry are renewed.
  const dir = options.reuse ?? fs.mkdtempSync(path.join(os.tmpdir(), `coexist-project-${stack}-`));
  if (!options.reuse) {
    fs.copyFileSync(path.join(repoRoot, "Pulumi.yaml"), path.join(dir, "Pulumi.yaml"));
    fs.symlinkSync(path.join(repoRoot, "node_modules"), path.join(dir, "node_modules"), "dir");
    fs.mkdirSync(path.join(dir, "dist"));
    fs.cpSync(path.join(repoRoot, "batches"), path.join(dir, "batches"), { recursive: true });
    fs.mkdirSync(path.join(dir, "stacks"));
    fs.mkdirSync(path.join(dir, ".state"));
  }
  // A reused project runs this checkout's build: its node_modules link is pointed here again.
  if (options.reuse) {
    fs.rmSync(path.join(dir, "node_modules"), { force: true });
    fs.symlinkSync(path.join(repoRoot, "node_modules"), path.join(dir, "node_modules"), "dir");
  }
  // The program entry is copied, not linked: the program finds its project by walking up from
  // where it runs, and a link would lead back into the repository.
  fs.copyFileSync(path.join(repoRoot, "dist", "index.js"), path.join(dir, "dist", "index.js"));
  const env = {
    ...process.env,
    PULUMI_BACKEND_URL: `file://${path.join(dir, ".state")}`,
    PULUMI_CONFIG_PASSPHRASE: "e2e-passphrase",
    PULUMI_HOME: path.join(repoRoot, ".tools", "pulumi-home"),
    PULUMI_SKIP_UPDATE_CHECK: "true",
    ...(options.runner === "runner.ps1" ? runnerPs1Env() : {}),
  };
  const rehearsal = new Rehearsal(dir, stack, path.join(dir, ".sim", "world.json"), env);
  // Stack config as JSON, which is YAML too; each write replaces the whole file.
  const writeConfig = (config: Record<string, unknown>) =>
    fs.writeFileSync(rehearsal.stackFile, JSON.stringify({ config: Object.fromEntries(Object.entries(config).map(([k, v]) => [`coexist:${k}`, v])) }, null, 2));
  // Everything the CLI starts for this project, wherever it ends up, carries the backend URL.
  const processes = () => processesWithEnv(`PULUMI_BACKEND_URL=${env.PULUMI_BACKEND_URL}`);
  return { rehearsal, dir, env, writeConfig, processes, cleanup: () => fs.rmSync(dir, { recursive: true, force: true }) };
}

/**
 * Users whose mail does not end where it should from every entry point: in Exchange Online for
 * the `migrated` aliases, at the source for everyone else. Empty when all is as planned.
 */
export function misrouted(world: World, migrated: string[]): { user: string; outcomes: string[] }[] {
  return userRows(world)
    .map((r) => ({ user: r.user, outcomes: outcomesOf(r), want: migrated.includes(r.user.split("@")[0]!) ? "delivered-exchange" : "delivered-source" }))
    .filter((r) => r.outcomes.some((o) => o !== r.want))
    .map(({ user, outcomes }) => ({ user, outcomes }));
}

/** The stack's state as `pulumi stack export` prints it: its resources' URNs and pending operations. */
export async function exportedState(rehearsal: Rehearsal): Promise<{ urns: string[]; pending: unknown[] }> {
  const { deployment } = JSON.parse(await rehearsal.must(["stack", "export"])) as { deployment: { resources?: { urn: string }[]; pending_operations?: unknown[] } };
  return { urns: (deployment.resources ?? []).map((r) => r.urn), pending: deployment.pending_operations ?? [] };
}
