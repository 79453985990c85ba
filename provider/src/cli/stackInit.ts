import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { stackFileOf } from "../config/locate";
import { rehearsalDefaults, REHEARSAL_PASSPHRASE, saltOpensWith, sealedWithRehearsalPassphrase } from "../program/environment";
import { projectRoot } from "../projectRoot";
import { arg } from "./args";

/**
 * `coexist stack init NAME --from STACK [--secrets-provider URL]`: a real stack made the one
 * correct way (issue 27). Copying a rehearsal's stack file carries its encryptionsalt (the next
 * command fails with `incorrect passphrase`, or worse, works under the published rehearsal
 * passphrase), so this runs `pulumi stack init` with the consultant's own backend and secrets
 * provider, refuses the rehearsal's, and copies from the rehearsal only its settings:
 * - never a secret (`pulumi config --json` without --show-secrets does not even decrypt them);
 * - never a simulator target (coexist:exchange, coexist:source), which the real stack replaces;
 * - never the rehearsal's progress: coexist:waves, coexist:rollback, coexist:cutover and
 *   coexist:acknowledge describe what was done to the simulated world, not the customer's.
 * Nothing is written when a check fails. A run stopped between `pulumi stack init` and the copy
 * leaves a stack file with no setting: the next run carries on from it (its passphrase checked).
 */

/** Settings that record a rehearsal's progress, not how the migration is set up. */
export const PROGRESS_KEYS = ["waves", "rollback", "cutover", "acknowledge"] as const;

interface ConfigEntry {
  value?: string;
  objectValue?: unknown;
  secret: boolean;
}

export interface StackInitOptions {
  from: string;
  secretsProvider?: string;
}

type Run = (args: string[]) => { status: number; stdout: string; stderr: string };

const REAL_KIND: Record<string, string> = { exchange: "exchange-onprem", "google-workspace": "google-workspace", vendor: "vendor" };

/** The passphrase Pulumi will use, as it picks it: the variable first, then the file it names. */
function givenPassphrase(env: NodeJS.ProcessEnv): string | undefined {
  if (env.PULUMI_CONFIG_PASSPHRASE !== undefined || !env.PULUMI_CONFIG_PASSPHRASE_FILE) return env.PULUMI_CONFIG_PASSPHRASE;
  return fs.readFileSync(env.PULUMI_CONFIG_PASSPHRASE_FILE, "utf8").replace(/\r?\n$/, "");
}

/** Why this environment may not make a real stack, or undefined. */
export function environmentProblem(name: string, options: StackInitOptions, env: NodeJS.ProcessEnv): string | undefined {
  const defaults = rehearsalDefaults(env);
  const fix =
    "Give the real stack its own: a backend (`pulumi login <url>`, or PULUMI_BACKEND_URL) and a passphrase only you hold " +
    "(PULUMI_CONFIG_PASSPHRASE_FILE=<file>, or PULUMI_CONFIG_PASSPHRASE), or --secrets-provider <awskms://…|azurekeyvault://…|gcpkms://…|hashivault://…>.";
  if (defaults.backend) return `coexist: refusing to make stack ${name} on the rehearsal's backend (${defaults.backend}, which scripts/env.sh set inside the coexist checkout). ${fix}`;
  if (options.secretsProvider && !/^passphrase/.test(options.secretsProvider)) return undefined;
  let passphrase: string | undefined;
  try {
    passphrase = givenPassphrase(env);
  } catch (e) {
    return `coexist: PULUMI_CONFIG_PASSPHRASE_FILE ${env.PULUMI_CONFIG_PASSPHRASE_FILE} cannot be read (${(e as Error).message}). ${fix}`;
  }
  if (passphrase === REHEARSAL_PASSPHRASE) {
    return `coexist: refusing to make stack ${name} under the published rehearsal passphrase (${REHEARSAL_PASSPHRASE}): anyone could decrypt its secrets. ${fix}`;
  }
  if (env.PULUMI_CONFIG_PASSPHRASE === "" && !env.PULUMI_CONFIG_PASSPHRASE_FILE) {
    return `coexist: refusing to make stack ${name} with an empty passphrase. ${fix}`;
  }
  return undefined;
}

function targetKind(entry: ConfigEntry | undefined): { kind?: string; imitates?: string } {
  const o = entry?.objectValue;
  return o && typeof o === "object" ? (o as { kind?: string; imitates?: string }) : {};
}

export function stackInit(name: string, options: StackInitOptions, cwd = projectRoot(), env: NodeJS.ProcessEnv = process.env): string {
  if (!/^[A-Za-z0-9_.-]+$/.test(name)) throw new Error(`coexist stack init ${name}: a stack name may hold only letters, digits, '-', '_' and '.'`);
  if (name === options.from) throw new Error(`coexist stack init ${name} --from ${options.from}: the new stack must have another name`);
  const problem = environmentProblem(name, options, env);
  if (problem) throw new Error(problem);
  const file = stackFileOf(cwd, name);
  const run: Run = (args) => {
    const r = spawnSync("pulumi", [...args, "--non-interactive"], { cwd, env, encoding: "utf8" });
    return { status: r.status ?? 1, stdout: r.stdout ?? "", stderr: `${r.stderr ?? ""}${r.error ? String(r.error) : ""}` };
  };
  const resume = fs.existsSync(file) && halfMade(name, file, run, env);
  if (fs.existsSync(file) && !resume) {
    throw new Error(
      `${path.relative(cwd, file)} exists. Its encryptionsalt (if any) belongs to another passphrase, and its settings to someone else: ` +
        `move it away (or choose another name), then run this again.`,
    );
  }

  // The rehearsal's settings, read without its passphrase (secrets come back as {secret: true}).
  const read = run(["config", "--json", "--stack", options.from]);
  if (read.status !== 0) throw new Error(`coexist: cannot read stack ${options.from}'s settings (pulumi config --stack ${options.from}): ${read.stderr.trim() || read.stdout.trim()}`);
  const from = JSON.parse(read.stdout) as Record<string, ConfigEntry>;
  const copied: Record<string, ConfigEntry> = {};
  const secrets: string[] = [];
  const progress: string[] = [];
  const simulators: string[] = [];
  for (const [key, entry] of Object.entries(from)) {
    if (!key.startsWith("coexist:")) continue;
    const short = key.slice("coexist:".length);
    if (entry.secret) secrets.push(key);
    else if ((PROGRESS_KEYS as readonly string[]).includes(short)) progress.push(key);
    else if ((short === "exchange" || short === "source") && targetKind(entry).kind === "simulator") simulators.push(key);
    else copied[key] = entry.objectValue !== undefined ? { value: entry.value!, objectValue: entry.objectValue, secret: false } : { value: entry.value!, secret: false };
  }

  if (!resume) {
    const made = run(["stack", "init", name, ...(options.secretsProvider ? ["--secrets-provider", options.secretsProvider] : [])]);
    if (made.status !== 0) throw new Error(`coexist: pulumi stack init ${name} failed, nothing was copied: ${made.stderr.trim() || made.stdout.trim()}`);
  }
  if (sealedWithRehearsalPassphrase(file)) {
    // The passphrase came from somewhere environmentProblem cannot see (a prompt, a wrapper).
    run(["stack", "rm", name, "--yes"]);
    throw new Error(`coexist: stack ${name} came out sealed with the published rehearsal passphrase, so it was removed again. Give the real stack a passphrase only you hold.`);
  }
  if (Object.keys(copied).length > 0) {
    const set = run(["config", "set-all", "--stack", name, "--json", JSON.stringify(copied)]);
    if (set.status !== 0) throw new Error(`coexist: stack ${name} was made, but its settings could not be copied (pulumi config set-all): ${set.stderr.trim()}. Run \`pulumi stack rm ${name}\` and this again.`);
  }

  const source = targetKind(from["coexist:source"]);
  const sourceKind = REAL_KIND[source.imitates ?? "exchange"] ?? "exchange-onprem";
  const rel = path.relative(cwd, file);
  return [
    `stack ${name} ${resume ? "(made by a run that stopped before copying) " : ""}made with your own backend and secrets; ${rel} holds ${Object.keys(copied).length} settings copied from ${options.from}:`,
    ...Object.keys(copied).map((k) => `  ${k}`),
    "not copied:",
    ...(secrets.length > 0 ? [`  ${secrets.join(", ")}: secrets are never copied; set each again, under this stack's passphrase`] : []),
    ...(simulators.length > 0 ? [`  ${simulators.join(", ")}: the simulator; set the real target`] : []),
    ...(progress.length > 0 ? [`  ${progress.join(", ")}: the rehearsal's progress; add each wave to coexist:waves as you run it`] : []),
    ...(secrets.length + simulators.length + progress.length === 0 ? ["  nothing"] : []),
    "next (docs/reference/config.md has every field):",
    ...(simulators.includes("coexist:exchange")
      ? [`  pulumi config set --stack ${name} --path coexist:exchange.kind exchange-online   # and appId, organization, certificateFilePath`, `  pulumi config set --stack ${name} --secret coexist:certificatePassword`]
      : []),
    ...(simulators.includes("coexist:source") ? [`  pulumi config set --stack ${name} --path coexist:source.kind ${sourceKind}   # and its fields`] : []),
    ...secrets.filter((k) => k !== "coexist:certificatePassword" || !simulators.includes("coexist:exchange")).map((k) => `  pulumi config set --stack ${name} --secret ${k}`),
    ...(copied["coexist:sourceUsers"] && sourceKind !== "vendor"
      ? [`  npx coexist source-users --stack ${name} --out ${copied["coexist:sourceUsers"].value} --force   # the list was the simulated source's: write it from the real one`]
      : []),
    `  npx coexist preflight --stack ${name}`,
    `  pulumi preview --stack ${name}`,
  ].join("\n");
}

/**
 * Whether the stack file is what a stopped run of this command left: no setting in it, the stack
 * in the backend, and (passphrase stacks) a salt the passphrase given now opens, so that the copy
 * does not seal nothing under a passphrase nobody will give again.
 */
function halfMade(name: string, file: string, run: Run, env: NodeJS.ProcessEnv): boolean {
  const text = fs.readFileSync(file, "utf8");
  if (/coexist:|^config:\s*\S/m.test(text)) return false;
  const ls = run(["stack", "ls", "--json"]);
  if (ls.status !== 0 || !(JSON.parse(ls.stdout) as { name: string }[]).some((s) => s.name === name || s.name.endsWith(`/${name}`))) return false;
  if (!/encryptionsalt/.test(text)) return true; // another secrets provider: nothing to check here
  const passphrase = givenPassphrase(env);
  return passphrase !== undefined && saltOpensWith(file, passphrase) === true;
}

/** `coexist stack init NAME --from STACK [--secrets-provider URL]`. */
export function main(args: string[]): string {
  const [verb, name] = args;
  const from = arg(args, "--from");
  const secretsProvider = arg(args, "--secrets-provider");
  if (verb !== "init" || !name || name.startsWith("--") || !from) throw new Error("usage: coexist stack init NAME --from STACK [--secrets-provider URL]");
  return stackInit(name, { from, ...(secretsProvider ? { secretsProvider } : {}) });
}
