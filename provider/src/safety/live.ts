import { AnyTarget, ExchangeTarget, resolvedTarget, sourceKindOf, sourceRoleOf, SourceTarget } from "../exchange/targets";
import type { SourceSide } from "../snapshot/googleSource";
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
  /** The shared domain: a Google source's users are read in it. */
  domain: string;
  /** The tenant's initial domain, where a declared Gmail route for unknown recipients points. */
  tenant?: string;
  /** coexist:google: whether Gmail relays unknown recipients to Exchange Online (declared, not readable). */
  google?: { relaysUnknownRecipients?: boolean };
}


/** A short-lived pool of this process for reads, tuned by coexist:pool like the provider's. The caller closes it. */
export function readerPool(role: "exchange" | "source" | "google", given: AnyTarget, maxSessions: number, settings?: PoolSettings): SessionPool {
  const target = resolvedTarget(given);
  return new SessionPool({ ...defaultPoolOptions, ...poolTuning(PoolSettings.parse(settings ?? {})), maxSessions, role, target, launch: launchFor(target) });
}

/**
 * A routing snapshot read through short-lived pools of this process (the program's, not the
 * provider's), tuned by coexist:pool like the provider's: two tenant sessions and one source session, closed, and
 * its runner gone, before the caller goes on,
 * so the provider's own sessions never compete with it for Exchange's few concurrent ones.
 */
export async function liveSnapshot(t: LiveTargets, domains: string[], groups: string[] = [], vendor?: SourceSide, outside: string[] = []): Promise<Snapshot> {
  const kind = sourceKindOf(t.source);
  // Two tenant sessions read its four lists side by side; an Exchange source's three short lists
  // take one session; a Google source's per-user reads take up to four (each impersonates its
  // own user: no shared quota is at stake). A vendor's system is never connected to.
  const exchange = readerPool("exchange", t.exchange, 2, t.pool);
  const pool = kind === "vendor" ? undefined : readerPool(sourceRoleOf(t.source), t.source, kind === "google-workspace" ? 4 : 1, t.pool);
  const source =
    kind === "vendor"
      ? { kind, side: vendor ?? { kind, mailboxes: [], acceptedDomains: [], sendConnectors: [] } }
      : kind === "google-workspace"
        ? { kind, pool: pool!, domain: t.domain, ...(t.google?.relaysUnknownRecipients && t.tenant ? { relayTo: t.tenant } : {}) }
        : { kind, pool: pool! };
  try {
    return await readSnapshot({ exchange, source, network: networkFor(t.exchange, t.smartHosts, t.sourceIpRanges), domains, groups, outside });
  } finally {
    await Promise.all([exchange.close(), pool?.close()]);
  }
}
