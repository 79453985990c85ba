import { AnyTarget, ExchangeTarget, resolvedTarget, SourceTarget } from "../exchange/targets";
import { defaultPoolOptions, SessionPool } from "../pool/sessionPool";
import { PoolSettings, poolTuning } from "../config/provider";
import { launchFor } from "../runner/launch";
import { networkFor } from "../snapshot/network";
import { readSnapshot, Snapshot } from "../snapshot/snapshot";

export interface LiveTargets {
  exchange: ExchangeTarget;
  source: SourceTarget;
  smartHosts: string[];
  sourceIpRanges: string[];
  /** coexist:pool: timeouts and retries as the provider's sessions have them. */
  pool?: PoolSettings | undefined;
}


/** A short-lived pool of this process for reads, tuned by coexist:pool like the provider's. The caller closes it. */
export function readerPool(role: "exchange" | "source", given: AnyTarget, maxSessions: number, settings?: PoolSettings): SessionPool {
  const target = resolvedTarget(given);
  return new SessionPool({ ...defaultPoolOptions, ...poolTuning(PoolSettings.parse(settings ?? {})), maxSessions, role, target, launch: launchFor(target) });
}

/**
 * A routing snapshot read through short-lived pools of this process (the program's, not the
 * provider's), tuned by coexist:pool like the provider's: two tenant sessions and one source session, closed, and
 * its runner gone, before the caller goes on,
 * so the provider's own sessions never compete with it for Exchange's few concurrent ones.
 */
export async function liveSnapshot(t: LiveTargets, domains: string[], groups: string[] = []): Promise<Snapshot> {
  // Two tenant sessions read its four lists side by side; the source's three short lists take one.
  const exchange = readerPool("exchange", t.exchange, 2, t.pool);
  const source = readerPool("source", t.source, 1, t.pool);
  try {
    return await readSnapshot({ exchange, source, network: networkFor(t.exchange, t.smartHosts, t.sourceIpRanges), domains, groups });
  } finally {
    await Promise.all([exchange.close(), source.close()]);
  }
}
