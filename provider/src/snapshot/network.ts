import { promises as dns } from "node:dns";
import * as path from "node:path";
import { ExchangeTarget } from "../exchange/targets";
import { projectRoot } from "../projectRoot";
import { WorldStore } from "../simulator/store";

/**
 * What routing needs that no cmdlet tells: where each domain's MX points, which hosts answer
 * for the source (what the connector's smart hosts must name) and the IP the source sends from.
 * Real DNS and the stack's own settings for a real tenant; the simulated world's DNS in a
 * rehearsal.
 */
export interface Network {
  mx(domain: string): Promise<"exchange" | "source" | "outside" | undefined>;
  sourceHosts: string[];
  sourceIps: string[];
}

/** Exchange Online's MX hosts: `<domain-key>.mail.protection.outlook.com`. */
export const pointsAtExchangeOnline = (hosts: string[]): boolean =>
  hosts.length > 0 && hosts.every((h) => /\.mail\.protection\.outlook\.com\.?$/i.test(h));

/**
 * Real DNS. An MX at *.mail.protection.outlook.com is Exchange Online; any other MX is taken to
 * be the source (the model knows two systems; a third-party filter in front of the source
 * counts as the source). The source is assumed to answer on the smart hosts the stack names and
 * to send from the first address of its configured IP ranges: no cmdlet can tell either.
 */
export function realNetwork(smartHosts: string[], sourceIpRanges: string[]): Network {
  return {
    async mx(domain) {
      // *.onmicrosoft.com is Microsoft's own namespace: its MX is always Exchange Online.
      if (/\.onmicrosoft\.com$/i.test(domain)) return "exchange";
      try {
        const hosts = (await dns.resolveMx(domain)).map((r) => r.exchange);
        if (hosts.length === 0) return undefined;
        return pointsAtExchangeOnline(hosts) ? "exchange" : "source";
      } catch (e) {
        const code = (e as NodeJS.ErrnoException).code;
        if (code === "ENOTFOUND" || code === "ENODATA") return undefined;
        throw new Error(`coexist: cannot look up the MX of ${domain} (${code ?? String(e)}); the routing checks need it`);
      }
    },
    sourceHosts: smartHosts,
    sourceIps: sourceIpRanges.map((r) => r.split(/[/-]/)[0]!),
  };
}

/** The simulated world's DNS and source hosts (read, never written). */
export function simulatedNetwork(stateFile: string): Network {
  const world = new WorldStore(path.resolve(projectRoot(), stateFile)).read();
  return {
    mx: async (domain) => {
      for (const [d, target] of Object.entries(world.mx)) if (d.toLowerCase() === domain.toLowerCase()) return target;
      return undefined;
    },
    sourceHosts: world.source.hosts,
    sourceIps: world.source.outboundIps,
  };
}

/** The network a stack's tenant target implies. */
export function networkFor(exchange: ExchangeTarget, smartHosts: string[], sourceIpRanges: string[]): Network {
  return exchange.kind === "simulator" ? simulatedNetwork(exchange.stateFile) : realNetwork(smartHosts, sourceIpRanges);
}
