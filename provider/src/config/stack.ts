import * as fs from "node:fs";
import { z } from "zod";
import { IpRange, SmartHost } from "../exchange/cmdlets";
import { Identity, Name64, SmtpAddress } from "../exchange/command";
import { ExchangeTarget, FilePath, sourceKindOf, SourceTarget } from "../exchange/targets";
import { configValue, Cutover, defaultGroup, GoogleSettings, JournalSetting, PoolSettings, ProviderConfig, RoutingModel, VendorSettings, withSecret } from "./provider";
import { Problem, quote } from "../waves/problems";
import { locate, stackKeys } from "./locate";

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
    /**
     * The routing model. migratedGroup (seed 2): a group of migrated users, which the coexistence
     * rule skips. pendingGroup (seed 1): a group of the users still at the source, whose mail the
     * rule routes there; everyone else (migrated users, Exchange-Online-only recipients) is
     * delivered in Exchange Online. docs/routing-models.md compares them.
     */
    routing: RoutingModel.default("migratedGroup"),
    /**
     * pendingGroup: a CSV of every source user (header EmailAddress, or seed 1's Identity, Members),
     * the pending group's first members; `coexist source-users` writes it from the source.
     */
    sourceUsers: FilePath.optional(),
    /**
     * Exchange Online recipients in the shared domain with no source mailbox (new hires, shared
     * mailboxes). migratedGroup: each joins the group (no source step), so the rule delivers
     * their mail in Exchange Online. pendingGroup: never put in the pending group.
     */
    cloudOnly: z.array(SmtpAddress.transform((s) => s.toLowerCase())).default([]),
    names: z
      .object({
        /** Default: seed 2's "Migrated Users" (migratedGroup) or seed 1's "Accounts" (pendingGroup). */
        group: Name64.optional(),
        groupAddress: SmtpAddress.optional(),
        connector: Name64.default("Shared Name Space with External Entity TRSC"),
        coexistenceRule: Name64.default("Coexistence"),
        bypassRule: Name64.default("Inbound from Shared Namespace"),
      })
      .default({ connector: "Shared Name Space with External Entity TRSC", coexistenceRule: "Coexistence", bypassRule: "Inbound from Shared Namespace" }),
    /**
     * Shared objects that exist in the tenant with no stack's owner marker, which this stack may
     * take over (by name: the group's name or address, the connector's, a rule's). Without it, an
     * unmarked same-named object is refused; another stack's is refused whatever this says.
     */
    adopt: z.array(z.string().trim().min(1).max(256)).default([]),
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
    cutover: Cutover.default(Cutover.parse({})),
    exchange: ExchangeTarget,
    source: SourceTarget,
    pool: PoolSettings.optional(),
    /** A Google Workspace source: the disposition of Gmail's copy, and whether a rollback deletes the forwarding address. */
    google: GoogleSettings.default(GoogleSettings.parse({})),
    /** A vendor-managed source: the worksheet and confirmations files. */
    vendor: VendorSettings.optional(),
    /** The cmdlet journal, read by the provider (journal/journal.ts); checked here too. */
    journal: JournalSetting.optional(),
  })
  .superRefine((c, ctx) => {
    if (c.clearForwardingAddress && sourceKindOf(c.source) !== "exchange")
      ctx.addIssue({ code: "custom", path: ["clearForwardingAddress"], message: `is an Exchange source mailbox's setting (its ForwardingAddress); a ${sourceKindOf(c.source)} source has none: leave it unset` });
    // The worksheet's columns are seed 2's Mailbox and ForwardTo: whether the vendor keeps a copy is not one of them.
    if (c.deliverToMailboxAndForward && sourceKindOf(c.source) === "vendor")
      ctx.addIssue({ code: "custom", path: ["deliverToMailboxAndForward"], message: "cannot be asked of a vendor through the worksheet (its columns are Mailbox and ForwardTo): leave it unset, and agree with the vendor whether it keeps a copy" });
    // Nothing can read a vendor's system: the list of its users is how the gate knows who lives there.
    if (sourceKindOf(c.source) === "vendor" && !c.sourceUsers)
      ctx.addIssue({ code: "custom", path: ["sourceUsers"], message: "is required with a vendor source: the CSV of every user the vendor hosts (header EmailAddress), since coexist cannot read the vendor's system" });
    else if (c.routing === "pendingGroup" && !c.sourceUsers)
      ctx.addIssue({ code: "custom", path: ["sourceUsers"], message: "is required with coexist:routing pendingGroup: the CSV of every source user, the pending group's first members (`coexist source-users --stack <stack>` writes it)" });
    if (!/\{alias\}/.test(c.routingTemplate)) ctx.addIssue({ code: "custom", path: ["routingTemplate"], message: "must contain {alias}" });
    // Checked once here with a plain alias, so a broken template is one problem, not one per user.
    // (Only once the domain and tenant it fills in are valid: they get their own message.)
    else if (Domain.safeParse(c.domain).success && Tenant.safeParse(c.tenant).success && !SmtpAddress.safeParse(routingAddress(c, "user@x")).success) {
      ctx.addIssue({ code: "custom", path: ["routingTemplate"], message: `must make an SMTP address, but makes ${quote(routingAddress(c, "user@x"))} for alias "user"` });
    }
  });
export type StackConfig = z.output<typeof StackConfig>;

/** The coexist group's name: coexist:names.group, else the seed's name for the routing model. */
export const groupNameOf = (c: Pick<StackConfig, "names" | "routing">): string => c.names.group ?? defaultGroup(c.routing).name;

/** The coexist group's primary address: coexist:names.groupAddress, else the model's default. */
export const groupAddressOf = (c: Pick<StackConfig, "names" | "routing" | "domain">): string => (c.names.groupAddress ?? `${defaultGroup(c.routing).alias}@${c.domain}`).toLowerCase();

/** Where the source forwards a user: coexist:routingTemplate filled in for their alias. */
export function routingAddress(config: Pick<StackConfig, "routingTemplate" | "domain" | "tenant">, email: string): string {
  const alias = email.slice(0, email.lastIndexOf("@"));
  return config.routingTemplate.replaceAll("{alias}", alias).replaceAll("{domain}", config.domain).replaceAll("{tenant}", config.tenant).toLowerCase();
}

/** The keys the program reads and checks: StackConfig's, the single source of the key list. */
export const CONFIG_KEYS = Object.keys(StackConfig.shape);

/**
 * The secret keys, read by the provider (and merged into the targets by rawConfig below, as
 * config/provider.ts withSecret does): never a StackConfig key of their own, never quoted back.
 */
export const SECRET_KEYS = ["certificatePassword", "sourcePassword", "googleServiceAccountKey"];

/**
 * Every `coexist:` key anything reads; any other key in a stack file is refused as unknown. Taken
 * from the schemas, so a new key cannot be forgotten here: StackConfig's (the program's), the
 * provider's ProviderConfig (config/provider.ts; its groupAddress is worked out from
 * coexist:names, not a key of its own) and the secret keys.
 */
export const KNOWN_KEYS = [...new Set([...CONFIG_KEYS, ...Object.keys(ProviderConfig.shape).filter((k) => k !== "groupAddress"), ...SECRET_KEYS])];

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


/** Levenshtein distance, letter case ignored. */
function distance(a: string, b: string): number {
  const [x, y] = [a.toLowerCase(), b.toLowerCase()];
  let prev = Array.from({ length: y.length + 1 }, (_, j) => j);
  for (let i = 1; i <= x.length; i++) {
    const row = [i];
    for (let j = 1; j <= y.length; j++) row[j] = Math.min(prev[j]! + 1, row[j - 1]! + 1, prev[j - 1]! + (x[i - 1] === y[j - 1] ? 0 : 1));
    prev = row;
  }
  return prev[y.length]!;
}

/** The known key nearest to `key` when it is near enough to be a typo of it. */
export function nearestKey(key: string, known: string[]): string | undefined {
  let best: { k: string; d: number } | undefined;
  for (const k of known) {
    const d = distance(key, k);
    if (!best || d < best.d) best = { k, d };
  }
  // One slip in a short key, more in a long one: `foo` is nobody's typo of `pool`.
  return best && best.d <= Math.max(1, Math.floor(key.length / 3)) ? best.k : undefined;
}

const unknownMessage = (key: string, near: string | undefined) =>
  near ? `${key} is not a coexist setting; did you mean ${near}?` : `${key} is not a coexist setting (every setting is in docs/reference/config.md)`;

/**
 * Keys the stack file sets that nothing reads: a typo there (`rolback` for rollback) would otherwise be
 * ignored in silence, and with it what the user meant to change.
 */
export function unknownKeys(file: string, shown: string): Problem[] {
  const problems: Problem[] = [];
  for (const { key, line, column } of stackKeys(file)) {
    if (KNOWN_KEYS.includes(key)) continue;
    const top = key.split(".")[0]!;
    const message =
      key.includes(".") && CONFIG_KEYS.includes(top)
        ? `coexist:${key} is a key of its own, so coexist never reads it; set ${key.slice(top.length + 1)} inside coexist:${top} (pulumi config set --path 'coexist:${key}' <value>)`
        : unknownMessage(`coexist:${key}`, nearestKey(key, KNOWN_KEYS) && `coexist:${nearestKey(key, KNOWN_KEYS)}`);
    problems.push({ file: shown, line, column, message });
  }
  return problems;
}

type Def = { type: string; innerType?: z.ZodType; in?: z.ZodType; shape?: Record<string, z.ZodType>; options?: z.ZodType[]; element?: z.ZodType; values?: unknown[] };
const defOf = (s: z.ZodType) => (s as unknown as { _zod: { def: Def } })._zod.def;

/** The object schemas a value could be checked against (a union's options, matched by kind). */
function objectShapes(schema: z.ZodType, value: Record<string, unknown>): Record<string, z.ZodType>[] {
  const def = defOf(schema);
  if (def.innerType) return objectShapes(def.innerType, value);
  if (def.type === "pipe" && def.in) return objectShapes(def.in, value);
  if (def.type === "object" && def.shape) return [def.shape];
  if (def.type === "union" && def.options) {
    const shapes = def.options.flatMap((o) => objectShapes(o, value));
    const byKind = shapes.filter((s) => s.kind && defOf(s.kind).values?.includes(value.kind));
    return byKind.length > 0 ? byKind : [];
  }
  return [];
}

/** Fields inside a `coexist:` object that its schema does not have (`names.grop`, `exchange.stateFlie`). */
export function unknownFields(raw: Record<string, unknown>, file: string, shown: string): Problem[] {
  const problems: Problem[] = [];
  const walk = (schema: z.ZodType, value: unknown, path: string[]) => {
    if (!value || typeof value !== "object" || Array.isArray(value)) return;
    const shapes = objectShapes(schema, value as Record<string, unknown>);
    if (shapes.length === 0) return;
    const fields = [...new Set(shapes.flatMap((s) => Object.keys(s)))];
    for (const [k, v] of Object.entries(value)) {
      const shape = shapes.find((s) => k in s);
      if (shape) walk(shape[k]!, v, [...path, k]);
      else {
        const near = nearestKey(k, fields);
        problems.push({ file: shown, ...locate(file, [...path, k]), message: unknownMessage(`coexist:${[...path, k].join(".")}`, near && `coexist:${[...path, near].join(".")}`) });
      }
    }
  };
  for (const key of CONFIG_KEYS) walk(StackConfig.shape[key as keyof typeof StackConfig.shape] as z.ZodType, raw[key], [key]);
  return problems;
}

/** The raw value at a zod issue's path. */
function valueAt(raw: unknown, path: PropertyKey[]): unknown {
  let v = raw;
  for (const p of path) v = v && typeof v === "object" ? (v as Record<PropertyKey, unknown>)[p] : undefined;
  return v;
}

/** What a config value is, for "got …": secrets are never quoted back. */
function described(value: unknown, secret: boolean): string {
  if (Array.isArray(value)) return "a list";
  if (value !== null && typeof value === "object") return "a mapping";
  if (secret) return "a value of another type";
  if (typeof value === "string") return quote(value);
  return String(value);
}

const EXPECTED: Record<string, string> = { array: "a list", boolean: "true or false", number: "a number", object: "a mapping of fields", string: "text" };

/** A wrong type said as what was expected and what was found. */
function typeMessage(key: string, expected: string, value: unknown, secret: boolean): string {
  const got = described(value, secret);
  switch (expected) {
    case "array":
      return `${key} must be a list (got ${typeof value === "object" || secret ? got : `a single value ${got}`}); write it as a YAML list`;
    case "boolean":
      return `${key} must be true or false (got ${got})`;
    case "number":
      return `${key} must be a number (got ${got})`;
    case "object":
      return `${key} must be a mapping of fields (got ${got}); write it as YAML field: value lines below the key`;
    case "string":
      return typeof value === "object" ? `${key} must be a single value (got ${got})` : `${key} must be text (got ${got}); quote it`;
    default:
      return `${key} must be ${expected} (got ${got})`;
  }
}

/**
 * A Google service account key written in the stack file in plain text (not `secure:`): a
 * private key must never sit in a file people commit. Refused, pointing at its secret key.
 */
export function plaintextKeys(file: string, shown: string): Problem[] {
  let text: string;
  try {
    text = fs.readFileSync(file, "utf8");
  } catch {
    return [];
  }
  const lines = text.split(/\r?\n/);
  const problems: Problem[] = [];
  lines.forEach((l, i) => {
    const m = /^(\s*)["']?serviceAccountKey["']?\s*:\s*(.*)$/.exec(l);
    if (!m) return;
    const rest = m[2]!.trim();
    const secret = rest === "" ? /^\s*secure\s*:/.test(lines[i + 1] ?? "") : /^secure\s*:/.test(rest);
    if (!secret)
      problems.push({ file: shown, line: i + 1, column: m[1]!.length + 1, message: "coexist:source.serviceAccountKey is in the stack file in plain text, and a private key must be a secret: remove it, then run pulumi config set --secret coexist:googleServiceAccountKey < key.json" });
  });
  return problems;
}

export function readStackConfig(raw: Record<string, unknown>, file: string, problems: Problem[], shown = file): StackConfig | undefined {
  problems.push(...unknownKeys(file, shown), ...unknownFields(raw, file, shown), ...plaintextKeys(file, shown));
  const parsed = StackConfig.safeParse(raw);
  if (parsed.success) return parsed.data;
  for (const issue of parsed.error.issues) {
    const at = locate(file, issue.path as (string | number)[]);
    const key = `coexist:${issue.path.join(".")}`;
    // zod v4 issues carry no input: the value is looked up in the raw config.
    const value = valueAt(raw, issue.path);
    const secret = issue.path.some((p) => /password|serviceAccountKey/i.test(String(p)));
    let message: string;
    if (issue.path.join(".") === "source.serviceAccountKey")
      // The key comes from its secret key, never the stack file: name that one, never the value.
      message =
        value === undefined
          ? "coexist:googleServiceAccountKey is required for a google-workspace source: pulumi config set --secret coexist:googleServiceAccountKey < key.json (the service account's JSON key)"
          : `coexist:googleServiceAccountKey ${issue.message}`;
    else if (value === undefined && issue.code === "custom") message = `${key} ${issue.message}`; // a key one setting makes necessary
    else if (value === undefined) {
      const options = issue.code === "invalid_union" ? (issue as { options?: unknown[] }).options : undefined;
      message = `${key} is required${options ? ` (one of ${options.join(", ")})` : ""}`;
    } else if (issue.code === "invalid_type") message = typeMessage(key, issue.expected, value, secret);
    else if (issue.code === "invalid_union" && (issue as { options?: unknown[] }).options)
      message = `${key} must be one of ${(issue as { options: unknown[] }).options.join(", ")} (got ${described(value, secret)})`;
    else if (issue.code === "invalid_union") {
      // A union without a discriminator (coexist:journal): what each of its branches expects.
      const branches = ((issue as { errors?: { code: string; expected?: string }[][] }).errors ?? []).map((e) => e[0]);
      const expected = branches.every((b) => b?.code === "invalid_type") ? branches.map((b) => EXPECTED[b!.expected!] ?? b!.expected) : [];
      message = expected.length > 0 ? `${key} must be ${expected.join(", or ")} (got ${described(value, secret)})` : `${key} ${issue.message}`;
    } else message = `${key} ${issue.message}`;
    problems.push({ file: shown, ...at, message });
  }
  return undefined;
}
