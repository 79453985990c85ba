import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { LocalWorkspace, PulumiCommand, Stack } from "@pulumi/pulumi/automation";

/** The repository root (dist/test/harness → ../../..). */
export const repoRoot = path.resolve(__dirname, "..", "..", "..");
const toolsDir = path.join(repoRoot, ".tools");

/**
 * The Pulumi CLI that scripts/setup.sh built or found. A missing CLI is an error, never a skip:
 * these tests exist to prove the real CLI drives our providers.
 */
export async function pulumiCommand(): Promise<PulumiCommand> {
  const bin = path.join(toolsDir, "bin", "pulumi");
  if (!fs.existsSync(bin)) throw new Error(`no Pulumi CLI at ${bin}: run \`npm run setup\` first`);
  return PulumiCommand.get({ root: toolsDir });
}

export interface ThrowawayProject {
  dir: string;
  backendDir: string;
  stack: Stack;
  cleanup(): void;
}

/**
 * A Pulumi project in a fresh temp dir with its own file backend and passphrase, whose
 * node_modules is the repository's, so the program and the dynamic-provider host resolve
 * @pulumi/pulumi and @coexist/provider exactly as a user's project does.
 */
export async function throwawayProject(
  name: string,
  files: Record<string, string>,
  config: Record<string, { value: string; secret?: boolean }> = {},
  /** More environment for the CLI and what it starts (runnerPs1Env() puts runner.ps1 in front of the simulator). */
  env: Record<string, string> = {},
): Promise<ThrowawayProject> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `coexist-${name}-`));
  const backendDir = path.join(dir, ".state");
  fs.mkdirSync(backendDir);
  fs.symlinkSync(path.join(repoRoot, "node_modules"), path.join(dir, "node_modules"), "dir");
  fs.writeFileSync(
    path.join(dir, "Pulumi.yaml"),
    `name: ${name}\nruntime:\n  name: nodejs\n  options:\n    typescript: false\nmain: index.js\n`,
  );
  for (const [file, text] of Object.entries(files)) fs.writeFileSync(path.join(dir, file), text);

  const stack = await LocalWorkspace.createOrSelectStack(
    { stackName: "test", workDir: dir },
    {
      pulumiCommand: await pulumiCommand(),
      envVars: {
        PULUMI_BACKEND_URL: `file://${backendDir}`,
        PULUMI_CONFIG_PASSPHRASE: "throwaway-test-passphrase",
        PULUMI_HOME: path.join(toolsDir, "pulumi-home"),
        PULUMI_SKIP_UPDATE_CHECK: "true",
        PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: "true",
        ...env,
      },
    },
  );
  if (Object.keys(config).length > 0) await stack.setAllConfig(config);
  return { dir, backendDir, stack, cleanup: () => fs.rmSync(dir, { recursive: true, force: true }) };
}
