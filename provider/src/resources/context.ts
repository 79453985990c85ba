import type * as dynamic from "@pulumi/pulumi/dynamic";
import { resolvedTarget, sourceRoleOf } from "../exchange/targets";
import { guardThisProcess } from "../host/orphanGuard";
import { DeferredJournal, journalFile, journalFor, WriteJournal } from "../journal/journal";
import { currentStack } from "../journal/stack";
import { poolFor } from "../pool/registry";
import { projectRoot } from "../projectRoot";
import { SessionPool } from "../pool/sessionPool";
import { poolTuning, ProviderConfig, readProviderConfig } from "../config/provider";

/** What every resource operation works with: the warm session pools of this provider process. */
export interface Context {
  exchange: SessionPool;
  source: SessionPool;
  config: ProviderConfig;
}

const KEY = Symbol.for("coexist.context");
type Slot = { ctx?: Context };
const slot = (): Slot => ((globalThis as Record<symbol, Slot>)[KEY] ??= {});


/** `journal`: the cmdlet journal every write of both pools is recorded in (none: not recorded). */
export function contextFrom(config: ProviderConfig, journal?: WriteJournal): Context {
  const tuning = { ...poolTuning(config.pool), ...(journal ? { journal } : {}) };
  return {
    exchange: poolFor("exchange", resolvedTarget(config.exchange), tuning),
    // A Google source's sessions run PSGSuite's cmdlets; a vendor's are never opened (its steps write the worksheet).
    source: poolFor(sourceRoleOf(config.source), resolvedTarget(config.source), tuning),
    config,
  };
}

export async function configure(req: dynamic.ConfigureRequest): Promise<void> {
  // In Pulumi's provider host: when the engine is gone, close the sessions and exit, even if
  // no session was ever opened.
  guardThisProcess();
  const config = readProviderConfig(req.config);
  // The cmdlet journal is per stack, and the provider host is not told the stack: it is found
  // while the context is already in use (the host may run an operation before configure() ends),
  // and the first write waits for it.
  const root = projectRoot();
  const setting = config.journal;
  const journal =
    setting === false
      ? undefined
      : new DeferredJournal(
          currentStack().then((stack) => journalFor(journalFile(setting, root, stack)!, stack)),
          JSON.stringify({ journal: setting ?? true, root }),
        );
  slot().ctx = contextFrom(config, journal);
}

export function context(): Context {
  const ctx = slot().ctx;
  if (!ctx) throw new Error("coexist: the provider was not configured (stack config coexist:exchange and coexist:source)");
  return ctx;
}
