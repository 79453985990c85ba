import { spawnSync } from "node:child_process";
import * as path from "node:path";
import { formatPlan, planCsv, planMarkdown, planSteps, WaveIndex } from "../plan/plan";
import { previewJson } from "../plan/preview";
import { projectRoot } from "../projectRoot";
import { formatProblem, InputError } from "../waves/problems";
import { stackInputs } from "./stackValues";

/** Users to waves, from the stack's own config and wave files (as the program reads them). */
export function waveIndex(stack: string, cwd = projectRoot()): WaveIndex {
  const { inputs } = stackInputs(stack, cwd);
  const waves = inputs.config.waves.map((w) => path.basename(w, path.extname(w)));
  const waveOf = new Map([...inputs.users, ...inputs.rolledBack].map((u) => [u.emailAddress.toLowerCase(), u.wave]));
  return { waves, waveOf, rolledBack: new Set(inputs.rolledBack.map((u) => u.emailAddress.toLowerCase())) };
}

function selectedStack(cwd: string): string {
  const r = spawnSync("pulumi", ["stack", "--show-name", "--non-interactive"], { cwd, encoding: "utf8" });
  if (r.status !== 0) throw new Error(`no stack given and none selected: npm run plan -- --stack NAME (${(r.stderr || "").trim()})`);
  return r.stdout.trim();
}

/**
 * `npm run plan -- [--stack NAME] [--csv | --markdown] [preview flags]`: the review (totals,
 * shared objects, each wave's users sorted, users leaving), or the same as CSV or Markdown.
 */
export async function planReport(args: string[], cwd = projectRoot()): Promise<string> {
  const format = args.includes("--csv") ? "csv" : args.includes("--markdown") ? "markdown" : "text";
  const rest = args.filter((a) => a !== "--csv" && a !== "--markdown");
  const i = rest.indexOf("--stack");
  const stack = i >= 0 && rest[i + 1] ? rest[i + 1]! : selectedStack(cwd);
  const index = waveIndex(stack, cwd);
  const preview = await previewJson(i >= 0 ? rest : ["--stack", stack, ...rest], cwd);
  const planned = planSteps(preview.steps ?? []);
  if (format === "csv") return planCsv(planned, index);
  if (format === "markdown") return planMarkdown(planned, index, `Exchange change plan for stack ${stack}`);
  return formatPlan(planned, index);
}

if (require.main === module) {
  planReport(process.argv.slice(2))
    .then((out) => process.stdout.write(out.endsWith("\n") ? out : out + "\n"))
    .catch((e: Error) => {
      console.error(e instanceof InputError ? e.problems.map(formatProblem).join("\n") : e.message);
      process.exit(1);
    });
}
