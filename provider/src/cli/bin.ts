#!/usr/bin/env node
/**
 * `coexist <command> ...`: the package's one bin, for a customer project (`npx coexist plan
 * --stack NAME`). Each command is the module behind the repository's npm script of the same name
 * (`npm run plan -- ...` runs provider/dist/cli/plan.js); only `init` is new. Modules load on
 * demand, so `coexist init` needs nothing but Node.
 */

import { compareVersions, NODE_FLOOR, PULUMI_CLI_FLOOR } from "../preflight/floors";
import { arg } from "./args";

const usage = `usage: coexist <command> [options]

  init [DIR] [--name NAME] [--packages DIR] [--force]
                                           write a new coexist project (the template) into DIR (default .),
                                           with the packed packages it installs from
  plan [--stack NAME] [--csv | --markdown] the exact write cmdlets \`pulumi up\` would run
  status --stack NAME [--full | --json | --csv]
                                           where every user's mail ends, totals first, read-only
  trace --stack NAME user@domain           the hops of a message to one user, read-only
  preflight --stack NAME [--json]          is this machine and are these accounts ready for a real run
  source-users --stack NAME [--out FILE] [--force]
                                           every source user of the shared domain as a CSV (coexist:sourceUsers), read-only
  stack init NAME --from STACK [--secrets-provider URL]
                                           a real stack: your own backend and secrets, the settings of STACK
                                           (never its secrets, simulator targets or progress)
  rehearse init --stack NAME [--others FILE] [--source-relay] [--force]
  rehearse mx-cutover --stack NAME [--back]
  rehearse vendor-apply --stack NAME [--only N]
                                           the simulated world of a rehearsal stack

Run in the project directory (the one holding Pulumi.yaml); see the coexist documentation.
Every command but init needs the Pulumi CLI on PATH, v${PULUMI_CLI_FLOOR} or later.`;

function fail(e: unknown): never {
  // Loaded here, not at the top: problems.ts needs zod, and `coexist init` runs before npm install
  // (where an input problem cannot arise, and zod may be missing).
  let problems: typeof import("../waves/problems") | undefined;
  try {
    problems = require("../waves/problems") as typeof import("../waves/problems");
  } catch {
    problems = undefined;
  }
  console.error(problems && e instanceof problems.InputError ? e.problems.map(problems.formatProblem).join("\n") : (e as Error).message);
  process.exit(1);
}

/** Commands that read a stack through `pulumi` (init and help need nothing but Node). */
const NEEDS_PULUMI = new Set(["plan", "status", "trace", "preflight", "source-users", "rehearse", "stack"]);

async function run(command: string | undefined, args: string[]): Promise<void> {
  if (compareVersions(process.versions.node, NODE_FLOOR) < 0) {
    throw new Error(`coexist needs Node ${NODE_FLOOR} or later (the simulator's node:sqlite, and @pulumi/pulumi); this is Node ${process.versions.node}: install a current LTS (https://nodejs.org/en/download), and the same for the \`node\` Pulumi runs the project with (the first on PATH).`);
  }
  // Every other command reads a stack through `pulumi`: name a missing or too-old CLI first.
  if (command && NEEDS_PULUMI.has(command)) {
    (require("./pulumiCli") as typeof import("./pulumiCli")).requirePulumiCli();
  }
  switch (command) {
    case "init": {
      const { init } = require("./init") as typeof import("./init");
      const dir = args.find((a, i) => !a.startsWith("--") && args[i - 1] !== "--name" && args[i - 1] !== "--packages") ?? ".";
      const name = arg(args, "--name");
      const packages = arg(args, "--packages");
      console.log(init(dir, { ...(name ? { name } : {}), ...(packages ? { packages } : {}), force: args.includes("--force") }));
      return;
    }
    case "plan": {
      const { planReport } = require("./plan") as typeof import("./plan");
      const out = await planReport(args);
      process.stdout.write(out.endsWith("\n") ? out : out + "\n");
      return;
    }
    case "status":
    case "trace":
      // status.ts's main prints, and exits 1 on a failure, as `npm run status` does.
      (require("./status") as typeof import("./status")).main(command, args);
      return;
    case "preflight": {
      const stack = arg(args, "--stack");
      if (!stack) throw new Error("usage: coexist preflight --stack NAME [--json]");
      const { preflightReport } = require("./preflight") as typeof import("./preflight");
      const { text, failed } = await preflightReport(stack, args.includes("--json"));
      console.log(text);
      process.exit(failed ? 1 : 0);
    }
    case "source-users":
      await (require("./sourceUsers") as typeof import("./sourceUsers")).main(args);
      return;
    case "stack":
      console.log((require("./stackInit") as typeof import("./stackInit")).main(args));
      return;
    case "rehearse":
      console.log((require("./rehearse") as typeof import("./rehearse")).main(args, undefined, "coexist rehearse"));
      return;
    case undefined:
    case "help":
    case "--help":
    case "-h":
      console.log(usage);
      return;
    default:
      console.error(`coexist: unknown command ${command}\n\n${usage}`);
      process.exit(2);
  }
}

if (require.main === module) {
  const [command, ...args] = process.argv.slice(2);
  run(command, args).catch(fail);
}
