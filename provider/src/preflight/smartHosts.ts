import * as dns from "node:dns/promises";
import { isIP } from "node:net";
import { smartHostKey } from "../exchange/addresses";
import type { Check } from "./preflight";

/** The two DNS questions the check asks; the tests give their own answers. */
export interface Resolver {
  /** Every address of a host name (A and AAAA). */
  addresses(host: string): Promise<string[]>;
  /** The MX hosts of a domain, by preference. */
  mx(domain: string): Promise<string[]>;
}

export const systemResolver: Resolver = {
  addresses: async (host) => (await dns.lookup(host, { all: true })).map((a) => a.address),
  mx: async (domain) => (await dns.resolveMx(domain)).sort((a, b) => a.priority - b.priority).map((m) => m.exchange),
};

/** Exchange Online's MX hosts: "<domain-key>.mail.protection.outlook.com". */
const EXCHANGE_ONLINE_MX = /\.mail\.protection\.outlook\.com\.?$/i;
const FIX =
  "set coexist:smartHosts to the source's inbound host: where the shared domain's MX points while it is at the source; after the connector exists, Validate-OutboundConnector tests it live (docs/runbook/02-run-a-wave.md)";

/**
 * Each smart host in coexist:smartHosts, before anything is applied: it resolves, and (while the
 * shared domain's MX points at the source) it is one of the MX hosts or shares an address with
 * one. A typo here would otherwise be applied to the tenant, and the coexistence rule would send
 * every pending user's Exchange Online mail to a host that is not the source. An IP smart host
 * needs no lookup; a host that resolves but is not an MX host is a warning (the source may take
 * mail on another host), a host that does not resolve a failure.
 */
export async function smartHostChecks(domain: string, smartHosts: readonly string[], resolver: Resolver = systemResolver): Promise<Check[]> {
  const checks: Check[] = [];
  const add = (status: Check["status"], detail: string, fix?: string) => checks.push({ role: "exchange", check: "smarthost", status, detail, ...(fix ? { fix } : {}) });
  let mx: string[] | undefined;
  let mxProblem: string | undefined;
  try {
    mx = (await resolver.mx(domain)).map(smartHostKey);
  } catch (e) {
    mxProblem = (e as NodeJS.ErrnoException).code ?? (e as Error).message;
  }
  const mxAddresses = new Set<string>();
  for (const h of mx ?? []) {
    try {
      for (const a of await resolver.addresses(h)) mxAddresses.add(a);
    } catch {
      // An MX host that does not resolve shares no address with anything.
    }
  }
  const mxAtExchangeOnline = (mx ?? []).some((h) => EXCHANGE_ONLINE_MX.test(h));
  for (const raw of smartHosts) {
    const host = smartHostKey(raw);
    let addresses: string[];
    if (isIP(host)) {
      addresses = [host];
    } else {
      try {
        addresses = await resolver.addresses(host);
      } catch (e) {
        add("fail", `${raw} does not resolve (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`, FIX);
        continue;
      }
    }
    if (mx === undefined) {
      add("warn", `${raw} resolves (${addresses.join(", ")}); the MX of ${domain} could not be read (${mxProblem}), so it is not known to be the source's inbound host`, FIX);
    } else if (mx.includes(host) || addresses.some((a) => mxAddresses.has(a))) {
      add("pass", `${raw} is where the MX of ${domain} points (${mx.join(", ")})`);
    } else if (mxAtExchangeOnline) {
      add("pass", `${raw} resolves (${addresses.join(", ")}); the MX of ${domain} points at Exchange Online (${mx.join(", ")}), so it cannot be compared with the source's`);
    } else {
      add("warn", `${raw} resolves (${addresses.join(", ")}) but is not where the MX of ${domain} points (${mx.join(", ") || "no MX"}): mail the coexistence rule routes goes there, not to the source's MX`, FIX);
    }
  }
  return checks;
}
