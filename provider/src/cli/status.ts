import { gateInput, groupAddressOf, snapshotOf } from "../program/program";
import { projectRoot } from "../projectRoot";
import { evaluate } from "../safety/gate";
import { renderStatus, renderTrace, statusCsv, statusOf } from "../safety/status";
import { formatProblem, InputError } from "../waves/problems";
import { stackInputs } from "./stackValues";
import { arg } from "./args";

/**
 * `npm run status -- --stack X [--full | --json | --csv]` and `npm run trace -- --stack X user@domain`:
 * read-only views of a live snapshot (real tenant and source, or the simulated world), with the
 * stack's config read as the program reads it. Only read cmdlets run.
 */
export async function statusReport(stack: string, format: "text" | "json" | "csv", cwd = projectRoot(), options: { full?: boolean } = {}): Promise<string> {
  const { inputs } = stackInputs(stack, cwd);
  const snapshot = await snapshotOf(inputs);
  // The same snapshot and verdict as the gate's (checkMailFlow), kept here to build the rows on.
  const status = statusOf(snapshot, inputs.config.domain, groupAddressOf(inputs.config), evaluate(snapshot, gateInput(inputs)), inputs.config.routing);
  if (format === "json") return JSON.stringify({ ...status, reads: snapshot.reads }, null, 2);
  if (format === "csv") return statusCsv(status);
  return renderStatus(status, options);
}

export async function traceReport(stack: string, user: string, cwd = projectRoot()): Promise<string> {
  const { inputs } = stackInputs(stack, cwd);
  const snapshot = await snapshotOf(inputs);
  return renderTrace(snapshot, user.toLowerCase());
}

export function main(command: "status" | "trace", args: string[]): void {
  const stack = arg(args, "--stack");
  const run = async () => {
    if (!stack) throw new Error(`usage: npm run ${command} -- --stack NAME${command === "trace" ? " user@domain" : " [--full | --json | --csv]"}`);
    if (command === "trace") {
      const user = args.find((a, i) => !a.startsWith("--") && args[i - 1] !== "--stack");
      if (!user) throw new Error("usage: npm run trace -- --stack NAME user@domain");
      return traceReport(stack, user);
    }
    return statusReport(stack, args.includes("--json") ? "json" : args.includes("--csv") ? "csv" : "text", undefined, { full: args.includes("--full") });
  };
  run()
    .then((out) => console.log(out))
    .catch((e: Error) => {
      console.error(e instanceof InputError ? e.problems.map(formatProblem).join("\n") : e.message);
      process.exit(1);
    });
}

if (require.main === module) main("status", process.argv.slice(2));
