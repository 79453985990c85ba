import * as fs from "node:fs";
import { z } from "zod";
import { IpRange, SmartHost } from "../exchange/cmdlets";
import { Identity, Name64, quoted, SmtpAddress } from "../exchange/command";
import { ExchangeTarget, FilePath, SourceTarget } from "../exchange/targets";
import { configValue, PoolSettings, withSecret } from "../resources/config";
import { Problem } from "../waves/problems";

const Tenant = z.string().toLowerCase().regex(/^[a-z0-9-]+\.onmicrosoft\.com$/, "must be the tenant's *.onmicrosoft.com domain");
const Domain = z.string().toLowerCase().regex(/^(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.)+[a-z]{2,63}$/, "must be a domain name such as contoso.com");

/**
 * Every stack config key coexist reads (namespace `coexist:`), documented in
 * docs/reference/config.md. The defaults are seed 2's names and values.
 */
export const StackConfig = z
  .object({
    /** The shared domain, e.g. contoso.com. */
    domain: Domain,
    /** The tenant's initial domain, e.g. contoso.onmicrosoft.com. */
    tenant: Tenant,
    /** Where the source forwards a migrated user: {alias}, {domain} and {tenant} are filled in. */
    routingTemplate: z.string().default("{alias}@{tenant}"),
    /** Accept mail for subdomains of the shared domain (seed 1's catch-all routing subdomain). */
    matchSubDomains: z.boolean().default(false),
    /** The source's MX host names or IPs: the partner connector's smart hosts. */
    smartHosts: z.array(SmartHost).min(1, "needs at least one smart host"),
    /** The IPs the source sends from: mail from them bypasses spam filtering. */
    sourceIpRanges: z.array(IpRange).min(1, "needs at least one IP or range"),
    /** Owners of the Migrated Users group (required under app-only authentication). */
    groupOwners: z.array(Identity).min(1, "needs at least one owner"),
    names: z
      .object({
        group: Name64.default("Migrated Users"),
        groupAddress: SmtpAddress.optional(),
        connector: Name64.default("Shared Name Space with External Entity TRSC"),
        coexistenceRule: Name64.default("Coexistence"),
        bypassRule: Name64.default("Inbound from Shared Namespace"),
      })
      .default({ group: "Migrated Users", connector: "Shared Name Space with External Entity TRSC", coexistenceRule: "Coexistence", bypassRule: "Inbound from Shared Namespace" }),
    /** The waves applied, in order: CSV files relative to the project directory. */
    waves: z.array(FilePath).default([]),
    /** Users listed in a wave whose move is rolled back: their mail flows to the source again. */
    rollback: z.array(SmtpAddress.transform((s) => s.toLowerCase())).default([]),
    /** Keep a copy in the source mailbox when forwarding. */
    deliverToMailboxAndForward: z.boolean().default(false),
    /**
     * Clear a ForwardingAddress found on a migrating user's source mailbox (it wins over the
     * forward coexist sets), and put it back on rollback. Off: such a user is refused.
     */
    clearForwardingAddress: z.boolean().default(false),
    /**
     * Users whose mail-flow problems are accepted deliberately: the safety gate and the cleanup
     * guard report them as warnings instead of refusing.
     */
    acknowledge: z.array(SmtpAddress.transform((s) => s.toLowerCase())).default([]),
    /** MX cutover: `pulumi destroy` (the cleanup) is refused until MX points at Exchange Online. */
    cutover: z
      .object({ done: z.boolean().default(false), allowBeforeMx: z.boolean().default(false) })
      .default({ done: false, allowBeforeMx: false }),
    exchange: ExchangeTarget,
    source: SourceTarget,
    pool: PoolSettings.optional(),
  })
  .superRefine((c, ctx) => {
    if (!/\{alias\}/.test(c.routingTemplate)) ctx.addIssue({ code: "custom", path: ["routingTemplate"], message: "must contain {alias}" });
    // Checked once here with a plain alias, so a broken template is one problem, not one per user.
    // (Only once the domain and tenant it fills in are valid: they get their own message.)
    else if (Domain.safeParse(c.domain).success && Tenant.safeParse(c.tenant).success && !SmtpAddress.safeParse(routingAddress(c, "user@x")).success) {
      ctx.addIssue({ code: "custom", path: ["routingTemplate"], message: `must make an SMTP address, but makes ${quoted(routingAddress(c, "user@x"))} for alias "user"` });
    }
  });
export type StackConfig = z.output<typeof StackConfig>;

/** Where the source forwards a user: coexist:routingTemplate filled in for their alias. */
export function routingAddress(config: Pick<StackConfig, "routingTemplate" | "domain" | "tenant">, email: string): string {
  const alias = email.slice(0, email.lastIndexOf("@"));
  return config.routingTemplate.replaceAll("{alias}", alias).replaceAll("{domain}", config.domain).replaceAll("{tenant}", config.tenant).toLowerCase();
}

export const CONFIG_KEYS = Object.keys(StackConfig.shape);

/**
 * Reads raw `coexist:*` values, with the secret keys merged into their targets as the provider
 * does, so validation sees the target a session will get.
 */
export function rawConfig(get: (key: string) => string | undefined): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key of CONFIG_KEYS) {
    const v = configValue(get, key);
    if (v !== undefined) out[key] = key === "exchange" || key === "source" ? withSecret(v, get, key) : v;
  }
  return out;
}

/**
 * Where a key sits in the stack's config file, for `file:line:column` messages. Pulumi hands
 * the program values, not positions, so the key is looked up in the file's text.
 */
export function locate(file: string, path: (string | number)[]): { line: number; column: number } {
  let text: string;
  try {
    text = fs.readFileSync(file, "utf8");
  } catch {
    return { line: 1, column: 1 };
  }
  const lines = text.split(/\r?\n/);
  let from = 0;
  let found = { line: 1, column: 1 };
  for (const [depth, part] of path.entries()) {
    const key = depth === 0 ? `coexist:${part}` : String(part);
    for (let i = from; i < lines.length; i++) {
      const l = lines[i]!;
      const m = typeof part === "number" ? null : new RegExp(`^(\\s*(?:- )?)${key.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}\\s*:`).exec(l);
      if (m) {
        found = { line: i + 1, column: m[1]!.length + 1 };
        from = i + 1;
        break;
      }
      if (typeof part === "number") {
        // The n-th list item below the previous key.
        let n = -1;
        for (let j = from; j < lines.length; j++) {
          if (/^\s*- /.test(lines[j]!)) n++;
          if (n === part) {
            found = { line: j + 1, column: lines[j]!.indexOf("- ") + 3 };
            from = j + 1;
            break;
          }
        }
        break;
      }
    }
  }
  return found;
}

export function readStackConfig(raw: Record<string, unknown>, file: string, problems: Problem[], shown = file): StackConfig | undefined {
  const parsed = StackConfig.safeParse(raw);
  if (parsed.success) return parsed.data;
  for (const issue of parsed.error.issues) {
    const at = locate(file, issue.path as (string | number)[]);
    const key = `coexist:${issue.path.join(".")}`;
    const message = issue.code === "invalid_type" && issue.input === undefined ? `${key} is required` : `${key} ${issue.message}`;
    problems.push({ file: shown, ...at, message });
  }
  return undefined;
}
