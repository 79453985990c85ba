import { promises as dns } from "node:dns";
import * as fs from "node:fs";
import * as path from "node:path";
import { projectRoot } from "../projectRoot";
import { ProviderConfig } from "./config";

/**
 * The post-MX cleanup guard. `pulumi destroy` removes the rules, the connector and the group and
 * makes the domain Authoritative again: before MX points at Exchange Online that bounces mail
 * for everyone still on the source. A destroy never runs the program, so the provider tells it
 * apart from an `up` that rolls a user back: during an `up` the engine checks every declared
 * resource first; during a destroy nothing is checked.
 */
const KEY = Symbol.for("coexist.programRan");
const flags = globalThis as Record<symbol, boolean | undefined>;
export const noteProgramRan = (): void => void (flags[KEY] = true);
export const programRan = (): boolean => flags[KEY] === true;

/** Where the domain's MX points: a real DNS lookup, or the simulated world's DNS. */
export async function mxHosts(config: ProviderConfig, domain: string): Promise<string[]> {
  if (config.exchange.kind === "simulator") {
    const world = JSON.parse(fs.readFileSync(path.resolve(projectRoot(), config.exchange.stateFile), "utf8")) as { mx: Record<string, string> };
    return world.mx[domain] === "exchange" ? [`${domain.replaceAll(".", "-")}.mail.protection.outlook.com`] : [`mx.source.${domain}`];
  }
  return (await dns.resolveMx(domain)).map((r) => r.exchange);
}

export const pointsAtExchangeOnline = (hosts: string[]): boolean =>
  hosts.length > 0 && hosts.every((h) => /\.mail\.protection\.outlook\.com\.?$/i.test(h));

let verdict: Promise<void> | undefined;

/** Resolves when cleanup may go ahead; rejects with what to do otherwise. Asked once per run. */
export function cleanupAllowed(config: ProviderConfig): Promise<void> {
  verdict ??= (async () => {
    if (config.cutover.done || config.cutover.allowBeforeMx) return;
    if (!config.domain) throw new Error("coexist: refusing to clean up: coexist:domain is not set, so the MX cutover cannot be checked");
    const hosts = await mxHosts(config, config.domain);
    if (!pointsAtExchangeOnline(hosts)) {
      throw new Error(
        `coexist: refusing to clean up: the MX of ${config.domain} points at ${hosts.join(", ") || "nothing"}, not Exchange Online. ` +
          `Cleanup makes the domain Authoritative and removes the route to the source, so mail for users still there would bounce. ` +
          `Cut MX over first. If it is done and DNS is not yet visible from here, run \`pulumi config set --path coexist:cutover.done true\`, ` +
          `then \`pulumi up\` (destroy uses the provider settings recorded by the last up) or \`pulumi destroy --run-program\`.`,
      );
    }
  })();
  return verdict;
}
