import { spawnSync } from "node:child_process";
import { compareVersions, PULUMI_CLI_FLOOR } from "../preflight/floors";

/**
 * The consultant's own Pulumi CLI: coexist runs `pulumi` from PATH, as every Pulumi package does,
 * at any version from PULUMI_CLI_FLOOR up. `npx coexist …` checks it before a command that needs
 * it, so a missing or too-old CLI is named with its fix instead of `spawnSync pulumi ENOENT`.
 */
export const INSTALL_PULUMI = "install the Pulumi CLI (https://www.pulumi.com/docs/iac/download-install/, e.g. `curl -fsSL https://get.pulumi.com | sh`) and open a new shell, or put the folder holding `pulumi` on PATH";

export interface PulumiCli {
  version: string;
}

/** `pulumi version` on this PATH: the CLI's version, or the problem with its fix. */
export function pulumiCli(env: NodeJS.ProcessEnv = process.env): PulumiCli | { problem: string } {
  const r = spawnSync("pulumi", ["version"], { env, encoding: "utf8", timeout: 30_000 });
  if (r.error && (r.error as NodeJS.ErrnoException).code === "ENOENT") {
    return { problem: `coexist: no \`pulumi\` on PATH. coexist runs through the Pulumi CLI, v${PULUMI_CLI_FLOOR} or later: ${INSTALL_PULUMI}.` };
  }
  const out = `${r.stdout ?? ""}`.trim();
  const version = /^v?(\d+\.\d+\.\d+(?:[-+][0-9A-Za-z.-]+)?)$/.exec(out.split("\n")[0]?.trim() ?? "")?.[1];
  if (r.status !== 0 || !version) {
    const said = (out || `${r.stderr ?? ""}`.trim() || String(r.error ?? "")).split("\n")[0];
    return { problem: `coexist: \`pulumi version\` did not give a version (${r.status === null ? "no exit status" : `exit ${r.status}`}: ${said}). coexist needs the Pulumi CLI v${PULUMI_CLI_FLOOR} or later: ${INSTALL_PULUMI}.` };
  }
  if (compareVersions(version.replace(/[-+].*$/, ""), PULUMI_CLI_FLOOR) < 0) {
    return {
      problem:
        `coexist: the Pulumi CLI on PATH is v${version}; coexist needs v${PULUMI_CLI_FLOOR} or later. ` +
        `Update it (\`pulumi\` installed by the script: run the script again; by a package manager: upgrade the package), or ${INSTALL_PULUMI}.`,
    };
  }
  return { version };
}

/** Throws the problem (the CLI prints only the message) when this PATH has no usable `pulumi`. */
export function requirePulumiCli(env: NodeJS.ProcessEnv = process.env): PulumiCli {
  const cli = pulumiCli(env);
  if ("problem" in cli) throw new Error(cli.problem);
  return cli;
}
