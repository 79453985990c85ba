import * as path from "node:path";
import { closeAllPools } from "../pool/registry";
import { EngineAddress, engineAddressFrom, parentChain, ParentLink, watchEngine } from "./engineWatch";

/**
 * What a runner gets, once the engine is gone, between its end of input and SIGKILL: time to
 * finish the cmdlet it is running and to disconnect (Disconnect-ExchangeOnline,
 * Remove-PSSession). A killed on-premises session lingers until the server's idle timeout.
 */
export const ORPHAN_GRACE_MS = 15_000;

/** True in the process Pulumi starts to serve dynamic resources (@pulumi/pulumi/cmd/dynamic-provider). */
export function isDynamicProviderHost(main: string | undefined = require.main?.filename): boolean {
  return main !== undefined && main.endsWith(path.join("@pulumi", "pulumi", "cmd", "dynamic-provider", "index.js"));
}

const KEY = Symbol.for("coexist.orphanGuard");

/**
 * Called on every configure: in the dynamic-provider host (and only there: not in the program,
 * not in tests that load the provider), watches the engine once per process and, when it is
 * gone, closes every session and exits.
 */
export function guardProviderHost(): void {
  if (!isDynamicProviderHost()) return;
  startOrphanGuard({ address: engineAddressFrom(process.argv.slice(2)), chain: parentChain() });
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
    await closeAllPools(graceMs);
  } finally {
    process.exit(0);
  }
}
