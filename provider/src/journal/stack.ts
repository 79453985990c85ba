import { execFile } from "node:child_process";
import * as fs from "node:fs";
import { engineAddress, rootResourceUrn } from "../host/engine";

/**
 * The stack a provider process works for. Pulumi's dynamic-provider host is not told it:
 * `pulumi.getStack()` there returns a placeholder, its environment names only the project, and
 * the stack config it receives holds no stack name. So, in order:
 *
 * 1. the engine's root resource (the Stack's URN, `urn:pulumi:<stack>::…`), which the program
 *    registers at `pulumi preview` and `pulumi up` (and `--run-program`);
 * 2. `--stack`/`-s` on the command line of the Pulumi CLI that started this process (`destroy`
 *    and `refresh` do not run the program, so there is no root resource);
 * 3. the CLI's selected stack (`pulumi stack --show-name`), for a `destroy` without `--stack`.
 *
 * Undefined when none answers (e.g. outside Pulumi).
 */
export function currentStack(): Promise<string | undefined> {
  // Once per process: every provider module's configure() asks.
  const memo = globalThis as { [KEY]?: Promise<string | undefined> };
  return (memo[KEY] ??= (async () => (await rootStack()) ?? cliStackArgument() ?? (await selectedStack()))());
}
const KEY = Symbol.for("coexist.currentStack");

export const stackOfUrn = (urn: string): string | undefined => /^urn:pulumi:([^:]+)::/.exec(urn)?.[1];

async function rootStack(): Promise<string | undefined> {
  const urn = await rootResourceUrn();
  return urn ? stackOfUrn(urn) : undefined;
}

/** `--stack X`, `--stack=X`, `-s X` in an argument list. */
export function stackArgument(args: string[]): string | undefined {
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if ((a === "--stack" || a === "-s") && args[i + 1]) return args[i + 1];
    const m = /^--stack=(.+)$/.exec(a);
    if (m) return m[1];
  }
  return undefined;
}

function cliStackArgument(): string | undefined {
  if (!engineAddress()) return undefined;
  try {
    // Linux; elsewhere step 3 answers.
    const args = fs.readFileSync(`/proc/${process.ppid}/cmdline`, "utf8").split("\0");
    return stackArgument(args);
  } catch {
    return undefined;
  }
}

function selectedStack(timeoutMs = 15_000): Promise<string | undefined> {
  if (!engineAddress()) return Promise.resolve(undefined);
  return new Promise((resolve) =>
    execFile("pulumi", ["stack", "--show-name", "--non-interactive"], { timeout: timeoutMs, encoding: "utf8" }, (err, out) =>
      resolve(err ? undefined : out.trim() || undefined),
    ),
  );
}
