import { z } from "zod";
import type * as dynamic from "@pulumi/pulumi/dynamic";
import { ExchangeTarget, SourceTarget } from "../exchange/targets";

/**
 * The provider's configuration, read from stack config in configure() (the dynamic-provider host
 * hands it over with secrets decrypted). Never resource inputs: nothing here reaches state
 * except as the engine's own encrypted copy of the stack config.
 */
export const PoolSettings = z.object({
  maxSessions: z.number().int().min(1).max(10).default(3),
  commandTimeoutSeconds: z.number().positive().default(300),
  connectTimeoutSeconds: z.number().positive().default(120),
  retryAttempts: z.number().int().min(1).max(20).default(6),
  retryBaseMs: z.number().int().min(1).default(2000),
  retryMaxMs: z.number().int().min(1).default(60000),
  /** Retire a session after this many commands; 1 reproduces the naive connect-per-command way (benchmarks). */
  sessionUses: z.number().int().positive().optional(),
});
export type PoolSettings = z.infer<typeof PoolSettings>;

export const Cutover = z.object({ done: z.boolean().default(false), allowBeforeMx: z.boolean().default(false) });

export const ProviderConfig = z.object({
  exchange: ExchangeTarget,
  source: SourceTarget,
  pool: PoolSettings.default(PoolSettings.parse({})),
  /** For the cleanup guard: the shared domain whose MX must point at Exchange Online. */
  domain: z.string().optional(),
  cutover: Cutover.default(Cutover.parse({})),
});
export type ProviderConfig = z.infer<typeof ProviderConfig>;

/** Reads coexist:exchange, coexist:source (objects), coexist:pool and the two secret keys. */
export function readProviderConfig(config: dynamic.Config): ProviderConfig {
  const json = (key: string): unknown => {
    const raw = config.get(key);
    if (raw === undefined) return undefined;
    try {
      return JSON.parse(raw);
    } catch {
      return raw;
    }
  };
  const exchange = json("exchange") as Record<string, unknown> | undefined;
  const source = json("source") as Record<string, unknown> | undefined;
  const certificatePassword = config.get("certificatePassword");
  const sourcePassword = config.get("sourcePassword");
  const parsed = ProviderConfig.safeParse({
    exchange: exchange && exchange.kind === "exchange-online" && certificatePassword !== undefined ? { ...exchange, certificatePassword } : exchange,
    source: source && source.kind === "exchange-onprem" && sourcePassword !== undefined ? { ...source, password: sourcePassword } : source,
    pool: json("pool") ?? undefined,
    domain: config.get("domain"),
    cutover: json("cutover") ?? undefined,
  });
  if (!parsed.success) {
    // Name the key and the problem, never the value: it may be a secret.
    const issue = parsed.error.issues[0]!;
    throw new Error(`stack config coexist:${issue.path.join(".")}: ${issue.message}`);
  }
  return parsed.data;
}
