import * as path from "node:path";
import { closeAllRunners } from "../runner/process";
import { EngineAddress, engineAddressFrom, parentChain, ParentLink, watchEngine } from "./engineWatch";

/**
 * What a runner gets, once the engine is gone, between its end of input and SIGKILL: time to
 * finish the cmdlet it is running and to disconnect (Disconnect-ExchangeOnline,
 * Remove-PSSession). A killed on-premises session lingers until the server's idle timeout.
 */
export const ORPHAN_GRACE_MS = 15_000;

/**
 * The Pulumi processes that run coexist's code and hold sessions: the dynamic-provider host
 * (`@pulumi/pulumi/cmd/dynamic-provider`, every resource operation) and the program
 * (`@pulumi/pulumi/cmd/run`, whose safety check reads the tenant). Anything else (a test, the
 * demo, an automation-API host) is left alone.
 */
export function pulumiRole(main: string | undefined = require.main?.filename): "provider" | "program" | undefined {
  if (main === undefined) return undefined;
  const cmd = path.join("@pulumi", "pulumi", "cmd");
  if (main.endsWith(path.join(cmd, "dynamic-provider", "index.js"))) return "provider";
  if (main.endsWith(path.join(cmd, "run", "index.js"))) return "program";
  return undefined;
}

/**
 * Where the engine listens, from this process's arguments: a plugin gets it last, the program
 * as `--engine <address>`.
 */
export function engineArgument(role: "provider" | "program", args: readonly string[]): EngineAddress | undefined {
  if (role === "provider") return engineAddressFrom(args);
  const at = args.indexOf("--engine");
  return at >= 0 && at + 1 < args.length ? engineAddressFrom([args[at + 1]!]) : undefined;
}

const KEY = Symbol.for("coexist.orphanGuard");

/**
 * Called when the provider is configured and before any runner starts: in a Pulumi process
 * (and only there), watches the engine, once per process, and when it is gone ends every
 * session and exits.
 */
export function guardThisProcess(): void {
  const role = pulumiRole();
  if (!role || (globalThis as Record<symbol, unknown>)[KEY]) return;
  startOrphanGuard({ address: engineArgument(role, process.argv.slice(2)), chain: parentChain() });
}

export function startOrphanGuard(options: { address?: EngineAddress; chain?: ParentLink[]; graceMs?: number; intervalMs?: number }): void {
  const g = globalThis as Record<symbol, unknown>;
  if (g[KEY]) return;
  g[KEY] = watchEngine({ ...options, onGone: (why) => void shutDown(why, options.graceMs ?? ORPHAN_GRACE_MS) });
}

/**
 * The engine is gone and nobody will ever ask this process anything again: end every runner's
 * input (each one disconnects and exits), kill those still there after `graceMs`, and exit.
 * Operations still under way are abandoned; the next `pulumi up` re-reads the tenant.
 */
async function shutDown(why: string, graceMs: number): Promise<void> {
  // Whoever read our output may be gone: a write must not become an uncaught EPIPE.
  for (const stream of [process.stdout, process.stderr]) stream.on("error", () => {});
  // The hard deadline, should closing itself hang.
  setTimeout(() => process.exit(1), graceMs + 5_000);
  process.stderr.write(`coexist: ${why}; closing its Exchange sessions and exiting\n`);
  try {
    await closeAllRunners(graceMs);
  } finally {
    process.exit(0);
  }
}
