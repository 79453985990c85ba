import * as path from "node:path";
import { preflight, renderChecks } from "../preflight/preflight";
import { projectRoot } from "../projectRoot";
import { readProviderConfig } from "../config/provider";
import { stackFileOf } from "../config/locate";
import { rawConfig, readStackConfig } from "../config/stack";
import { InputError, Problem } from "../waves/problems";
import { stackValues } from "./stackValues";
import { arg } from "./args";

/** The input problems preflight reports: the targets and their secrets only, as the program words them. */
const TARGET_PROBLEM = /^coexist:(exchange|source|certificatePassword|sourcePassword|googleServiceAccountKey)\b/;

/**
 * `npm run preflight -- --stack NAME [--json]`: is this machine and are these accounts ready for
 * a real run? One line per check, with the fix under each failure; exit 1 when any fails.
 * Nothing is changed: the only cmdlets run are one read per target.
 */
export async function preflightReport(stack: string, json: boolean, cwd = projectRoot()): Promise<{ text: string; failed: boolean }> {
  const get = stackValues(stack, cwd);
  // Only the targets matter here: a wave file with a mistake must not hide a missing pwsh. A
  // target not set yet (a stack just made by `coexist stack init`) is named as the program names
  // it, every field at once, with its file and line.
  const problems: Problem[] = [];
  const file = stackFileOf(cwd, stack);
  readStackConfig(rawConfig(get), file, problems, path.relative(cwd, file) || file);
  const targets = problems.filter((p) => TARGET_PROBLEM.test(p.message));
  if (targets.length > 0) throw new InputError(targets);
  const config = readProviderConfig({ get, require: (k: string) => get(k) ?? "" } as Parameters<typeof readProviderConfig>[0]);
  const smartHosts = parseList(get("smartHosts"));
  const mail = config.domain && smartHosts ? { domain: config.domain, smartHosts } : undefined;
  const checks = await preflight({ ...config, ...(mail ? { mail } : {}) }, { connectTimeoutMs: config.pool.connectTimeoutSeconds * 1000 });
  const failed = checks.some((c) => c.status === "fail");
  return { text: json ? JSON.stringify(checks, null, 2) : renderChecks(checks), failed };
}

/** coexist:smartHosts as the stack file holds it (a list, or its JSON text); undefined when unset or unreadable. */
function parseList(value: unknown): string[] | undefined {
  const list = typeof value === "string" ? (() => { try { return JSON.parse(value) as unknown; } catch { return undefined; } })() : value;
  return Array.isArray(list) && list.every((h) => typeof h === "string") ? list : undefined;
}

if (require.main === module) {
  const args = process.argv.slice(2);
  const stack = arg(args, "--stack");
  if (!stack) {
    console.error("usage: npm run preflight -- --stack NAME [--json]");
    process.exit(2);
  }
  preflightReport(stack, args.includes("--json"))
    .then(({ text, failed }) => {
      console.log(text);
      process.exit(failed ? 1 : 0);
    })
    .catch((e: Error) => {
      console.error(e.message);
      process.exit(1);
    });
}
