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


/**
 * A routing snapshot read through short-lived pools of this process (the program's, not the
 * provider's), tuned by coexist:pool like the provider's: two tenant sessions and one source session, closed, and
 * its runner gone, before the caller goes on,
 * so the provider's own sessions never compete with it for Exchange's few concurrent ones.
 */
export async function liveSnapshot(t: LiveTargets, domains: string[], groups: string[] = []): Promise<Snapshot> {
  const pool = (role: "exchange" | "source", given: AnyTarget, maxSessions: number) => {
    const target = resolvedTarget(given);
    return new SessionPool({ ...defaultPoolOptions, ...poolTuning(PoolSettings.parse(t.pool ?? {})), maxSessions, role, target, launch: launchFor(target) });
  };
  // Two tenant sessions read its four lists side by side; the source's three short lists take one.
  const exchange = pool("exchange", t.exchange, 2);
  const source = pool("source", t.source, 1);
  try {
    return await readSnapshot({ exchange, source, network: networkFor(t.exchange, t.smartHosts, t.sourceIpRanges), domains, groups });
  } finally {
    await Promise.all([exchange.close(), source.close()]);
  }
}
