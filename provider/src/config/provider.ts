import { z } from "zod";
import type * as dynamic from "@pulumi/pulumi/dynamic";
import { ExchangeTarget, FilePath, SourceTarget } from "../exchange/targets";
import { defaultPoolOptions } from "../pool/sessionPool";

/**
 * The provider's configuration, read from stack config in configure() (the dynamic-provider host
 * hands it over with secrets decrypted). Never resource inputs: nothing here reaches state
 * except as the engine's own encrypted copy of the stack config.
 */
// The defaults are the session pool's own (pool/sessionPool.ts defaultPoolOptions), in the units of the config.
const d = defaultPoolOptions;
export const PoolSettings = z.object({
  maxSessions: z.number().int().min(1).max(10).default(d.maxSessions),
  commandTimeoutSeconds: z.number().positive().default(d.commandTimeoutMs / 1000),
  /** A bulk command's (-ResultSize Unlimited, -Members): above Exchange Online's 15-minute REST timeout. */
  bulkCommandTimeoutSeconds: z.number().positive().default(d.bulkCommandTimeoutMs / 1000),
  connectTimeoutSeconds: z.number().positive().default(d.connectTimeoutMs / 1000),
  retryAttempts: z.number().int().min(1).max(20).default(d.retry.attempts),
  retryBaseMs: z.number().int().min(1).default(d.retry.baseMs),
  retryMaxMs: z.number().int().min(1).default(d.retry.maxMs),
  /** Retire a session after this many commands; 1 reproduces the naive connect-per-command way (benchmarks). */
  sessionUses: z.number().int().positive().optional(),
});
export type PoolSettings = z.infer<typeof PoolSettings>;

/** coexist:pool as the session pool takes it. */
export const poolTuning = (pool: PoolSettings) => ({
  maxSessions: pool.maxSessions,
  commandTimeoutMs: pool.commandTimeoutSeconds * 1000,
  bulkCommandTimeoutMs: pool.bulkCommandTimeoutSeconds * 1000,
  connectTimeoutMs: pool.connectTimeoutSeconds * 1000,
  retry: { attempts: pool.retryAttempts, baseMs: pool.retryBaseMs, maxMs: pool.retryMaxMs },
  ...(pool.sessionUses ? { sessionUses: pool.sessionUses } : {}),
});

export const Cutover = z.object({ done: z.boolean().default(false), allowBeforeMx: z.boolean().default(false) });

/** coexist:journal: true (the default file), false (no journal) or a file path relative to the project. */
export const JournalSetting = z.union([z.boolean(), FilePath]);

/** coexist:routing: seed 2's group of migrated users, or seed 1's group of users still at the source. */
export const RoutingModel = z.enum(["migratedGroup", "pendingGroup"]);
export type RoutingModel = z.infer<typeof RoutingModel>;

/**
 * Each model's default group: seed 2's `New-DistributionGroup -Name "Migrated Users"
 * -PrimarySmtpAddress Migrated@domain.com`; seed 1 names no group but its membership CSV's
 * Identity is "Accounts" (so accounts@ the domain, an assumption: seed 1 gives no address).
 */
export const defaultGroup = (routing: RoutingModel): { name: string; alias: string } =>
  routing === "pendingGroup" ? { name: "Accounts", alias: "accounts" } : { name: "Migrated Users", alias: "migrated" };

/**
 * coexist:google, for a Google Workspace source (docs/runbook/google-workspace.md).
 * disposition: what Gmail does with its copy of a forwarded message (AutoForwarding.disposition;
 * archive by default, so a rollback finds the mail). removeForwardingAddress: a rollback or cleanup
 * deletes the forwarding address after turning auto-forwarding off (a user's filter may forward to
 * any verified address, and the gate does not read filters); false leaves it.
 */
export const GoogleSettings = z.object({
  disposition: z.enum(["leaveInInbox", "archive", "trash", "markRead"]).default("archive"),
  removeForwardingAddress: z.boolean().default(true),
  /**
   * Gmail routes mail for recipients it does not know in the shared domain to Exchange Online
   * (a split-delivery route set up by hand in the Admin console): no cmdlet PSGSuite wraps reads
   * it, so the stack declares it. The routing model then delivers an Exchange-Online-only
   * recipient's mail that reaches Google first; undeclared, the gate warns about those recipients.
   */
  relaysUnknownRecipients: z.boolean().default(false),
});
export type GoogleSettings = z.infer<typeof GoogleSettings>;

/**
 * coexist:vendor, for a vendor-managed source (docs/runbook/vendor.md): the worksheet coexist
 * writes for the vendor and the CSV of the vendor's confirmations, relative to the project
 * (defaults worksheets/<stack>.csv and worksheets/<stack>.confirmed.csv).
 */
export const VendorSettings = z.object({
  worksheet: FilePath.optional(),
  confirmed: FilePath.optional(),
  /** The vendor's name in messages, for a rehearsal (a real vendor target has its own name). */
  name: z.string().min(1).max(64).optional(),
});
export type VendorSettings = z.infer<typeof VendorSettings>;

export const ProviderConfig = z.object({
  exchange: ExchangeTarget,
  source: SourceTarget,
  pool: PoolSettings.default(PoolSettings.parse({})),
  /** For the cleanup guard: the shared domain whose MX must point at Exchange Online. */
  domain: z.string().optional(),
  cutover: Cutover.default(Cutover.parse({})),
  /** Users whose problems are accepted (coexist:acknowledge): the cleanup guard lets them be. */
  acknowledge: z.array(z.string()).default([]),
  /** The coexist group (coexist:names.groupAddress, or the routing model's default address). */
  groupAddress: z.string().optional(),
  /** coexist:routing: what membership of the group means (the cleanup guard reads it). */
  routing: RoutingModel.default("migratedGroup"),
  /** coexist:journal: the cmdlet journal (unset or true: journal/<stack>.jsonl; false: off; or a path). */
  journal: JournalSetting.optional(),
  /** coexist:previewCommands: each step's write cmdlets as a diagnostic on its resource at preview (off for huge waves). */
  previewCommands: z.boolean().default(true),
  /** coexist:vendor: where the worksheet and the confirmations are (a vendor source). */
  vendor: VendorSettings.optional(),
  /** coexist:adopt: unmarked shared objects this stack may take over (resources/ownership.ts). */
  adopt: z.array(z.string()).default([]),
  /** coexist:sourceUsers: a vendor's users, for the cleanup guard (nothing else can list them). */
  sourceUsers: FilePath.optional(),
  /** coexist:waves: the cleanup guard takes the users declared migrated from them, minus coexist:rollback. */
  waves: z.array(FilePath).default([]),
  /** coexist:rollback: users in a wave who are back on the source, for the cleanup guard. */
  rollback: z.array(z.string()).default([]),
});
export type ProviderConfig = z.infer<typeof ProviderConfig>;

/** A stack config value: objects and arrays arrive as JSON text, the rest as plain strings. */
export function configValue(get: (key: string) => string | undefined, key: string): unknown {
  const raw = get(key);
  if (raw === undefined) return undefined;
  try {
    return JSON.parse(raw);
  } catch {
    return raw;
  }
}

/**
 * A target with its secret merged in from the role's secret key: coexist:certificatePassword
 * for the tenant (Exchange Online or the simulator), coexist:sourcePassword for the source (an
 * on-premises Exchange or the simulator). The secret key wins over the target object.
 */
export function withSecret(target: unknown, get: (key: string) => string | undefined, role: "exchange" | "source"): unknown {
  const t = target as Record<string, unknown> | undefined;
  if (!t || typeof t !== "object") return target;
  // A Google source's secret is its service account's JSON key (coexist:googleServiceAccountKey).
  const [field, key] = role === "exchange" ? ["certificatePassword", "certificatePassword"] : t.kind === "google-workspace" ? ["serviceAccountKey", "googleServiceAccountKey"] : ["password", "sourcePassword"];
  const secret = get(key);
  return secret !== undefined ? { ...t, [field]: secret } : t;
}

/** The group address as the program works it out (program/program.ts groupAddressOf). */
function groupAddressFrom(names: unknown, domain: string | undefined, routing: unknown): string | undefined {
  const given = (names as { groupAddress?: unknown } | undefined)?.groupAddress;
  if (typeof given === "string") return given.toLowerCase();
  const model = RoutingModel.safeParse(routing ?? "migratedGroup");
  return domain && model.success ? `${defaultGroup(model.data).alias}@${domain.toLowerCase()}` : undefined;
}

/** Reads coexist:exchange, coexist:source, coexist:pool, coexist:domain, coexist:cutover, coexist:journal and the secret keys. */
export function readProviderConfig(config: dynamic.Config): ProviderConfig {
  const get = (key: string) => config.get(key);
  const parsed = ProviderConfig.safeParse({
    exchange: withSecret(configValue(get, "exchange"), get, "exchange"),
    source: withSecret(configValue(get, "source"), get, "source"),
    pool: configValue(get, "pool"),
    domain: config.get("domain"),
    cutover: configValue(get, "cutover"),
    acknowledge: configValue(get, "acknowledge"),
    groupAddress: groupAddressFrom(configValue(get, "names"), config.get("domain"), config.get("routing")),
    routing: config.get("routing"),
    journal: configValue(get, "journal"),
    previewCommands: configValue(get, "previewCommands"),
    vendor: configValue(get, "vendor"),
    sourceUsers: config.get("sourceUsers"),
    waves: configValue(get, "waves"),
    rollback: configValue(get, "rollback"),
    adopt: configValue(get, "adopt"),
  });
  if (!parsed.success) {
    // Name the key and the problem, never the value: it may be a secret.
    const issue = parsed.error.issues[0]!;
    throw new Error(`stack config coexist:${issue.path.join(".")}: ${issue.message}`);
  }
  return parsed.data;
}
