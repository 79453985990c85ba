import { spawnSync } from "node:child_process";
import { refuseRehearsalEnvironment } from "../program/environment";
import { stackFileOf } from "../config/locate";
import { Inputs, loadInputs } from "../program/program";

/**
 * A stack's `coexist:` config as the program reads it (secrets decrypted), through the
 * `pulumi` CLI on PATH: the read-only commands take their settings from where `pulumi up` does.
 */
export function stackValues(stack: string, cwd: string): (key: string) => string | undefined {
  const r = spawnSync("pulumi", ["config", "--json", "--show-secrets", "--stack", stack], { cwd, encoding: "utf8" });
  if (r.status !== 0) throw new Error(`pulumi config --stack ${stack} failed: ${(r.stderr || r.stdout || String(r.error ?? "")).trim()}`);
  const values = JSON.parse(r.stdout) as Record<string, { value?: string }>;
  const get = (key: string) => values[`coexist:${key}`]?.value;
  // scripts/env.sh's rehearsal backend and passphrase are for simulator stacks only.
  refuseRehearsalEnvironment(stack, get, cwd);
  return get;
}

/** A stack's inputs (config and every wave) as the program reads them, and its raw values. */
export function stackInputs(stack: string, cwd: string): { inputs: Inputs; get: (key: string) => string | undefined } {
  const get = stackValues(stack, cwd);
  return { inputs: loadInputs(get, cwd, stackFileOf(cwd, stack)), get };
}
