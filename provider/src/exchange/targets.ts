import * as path from "node:path";
import { z } from "zod";
import { projectRoot } from "../projectRoot";
import { SmtpAddress as SmtpAddressShape, unsafeCharacter } from "./command";

/** A file path from config: no control or invisible characters, which no real path needs. */
export const FilePath = z
  .string()
  .min(1, "must not be empty")
  .max(4096)
  .refine((s) => unsafeCharacter(s) === undefined, "must not contain control or invisible characters");

/**
 * Where a session connects. Secrets (certificate password, source password) live only here, are
 * read from Pulumi config in the provider's configure(), and reach a runner only inside the
 * connect request on its stdin.
 */
export const Faults = z.object({
  /** Seeds the fault generator, so a failing run can be replayed. */
  seed: z.number().int().default(1),
  /** Share of commands answered with a transient error (nothing applied). */
  transientRate: z.number().min(0).max(1).default(0),
  /** Share of commands answered "throttled" on top of the budget below (nothing applied). */
  throttleRate: z.number().min(0).max(1).default(0),
  /** Share of commands on which the runner process dies. */
  crashRate: z.number().min(0).max(1).default(0),
  /** The runner process dies on its Nth command. */
  crashAfter: z.number().int().positive().optional(),
  /** Whether a crash happens before or after the command took effect. */
  crashPoint: z.enum(["before-apply", "after-apply"]).default("after-apply"),
  /** Share of commands that never get an answer. */
  hangRate: z.number().min(0).max(1).default(0),
  /** The runner stops answering at its Nth command. */
  hangAfter: z.number().int().positive().optional(),
  /**
   * For tests that act at a known point of a run: while this file exists, every write command
   * waits before it is applied, after appending a line to `<file>.held`. A number N in the file
   * lets the first N writes (over all runners of the world) pass. See docs/simulator.md.
   */
  holdWritesWhile: FilePath.optional(),
});
export type Faults = z.infer<typeof Faults>;

/**
 * The machine and account a rehearsal imitates, for `npm run preflight`: what a pwsh runner's
 * probe would report (PowerShell version, platform, installed modules). The defaults are a
 * machine that passes: PowerShell 7.6 on Linux with ExchangeOnlineManagement 3.10, PSWSMan, and
 * PSGSuite 3.0.0 with Configuration for a Google Workspace source.
 */
export const SimulatedEnvironment = z.object({
  powershell: z.string().regex(/^\d+\.\d+(\.\d+)?$/).default("7.6.0"),
  platform: z.enum(["Unix", "Win32NT"]).default("Unix"),
  // PSGSuite and its Configuration module too, so a rehearsal of a Google Workspace source passes as well.
  modules: z.record(z.string(), z.string().nullable()).default({ ExchangeOnlineManagement: "3.10.0", PSWSMan: "2.3.1", PSGSuite: "3.0.0", Configuration: "1.6.0" }),
});

export const SimulatorTarget = z.object({
  kind: z.literal("simulator"),
  /** The simulated world's JSON file; its command log is written beside it (`.log`). */
  stateFile: FilePath,
  latency: z
    .object({
      connectMs: z.number().min(0).default(0),
      cmdletMs: z.number().min(0).default(0),
      /**
       * A bulk command's cost per entry: each member an Update-DistributionGroupMember names, each
       * object a -ResultSize Unlimited list returns. Not documented; the rehearsal's full model
       * takes it from "the following Update-DistributionGroupMember command to update 10,000
       * members of a distribution group might time out" against the 15-minute REST timeout
       * (exchange-online-powershell-v2.md): 0.1 s a member puts 10,000 just past it.
       */
      perItemMs: z.number().min(0).default(0),
      /**
       * Exchange Online's REST timeout: "Cmdlets backed by the REST API have a 15-minute timeout"
       * (exchange-online-powershell-v2.md). A tenant command that would take longer fails with
       * the REST client's timeout after this long, and changes nothing (what Exchange does with a
       * command whose client gave up is not documented: the reading that assumes nothing applied).
       */
      restTimeoutMs: z.number().positive().default(15 * 60_000),
    })
    .default({ connectMs: 0, cmdletMs: 0, perItemMs: 0, restTimeoutMs: 15 * 60_000 }),
  /** Concurrent sessions the simulated account may hold (Exchange allows few). */
  maxSessions: z.number().int().positive().default(3),
  /** At most `budget` cmdlets per session in any `windowMs` window; beyond it, "throttled". */
  throttle: z.object({ budget: z.number().int().positive(), windowMs: z.number().int().positive() }).optional(),
  faults: Faults.default(Faults.parse({})),
  /** For preflight rehearsals: the machine the runner would run on. */
  environment: SimulatedEnvironment.default(SimulatedEnvironment.parse({})),
  /** Allow-listed cmdlets the simulated account's role does not grant: not loaded at connect, "not recognized" when run. */
  roleLacks: z.array(z.string()).default([]),
  // Credentials, checked against the simulated world's when it has some (a rehearsal of the
  // secrets' path, and of a failed connect): the certificate password for the tenant, a user
  // name and password for the source. Secrets come from coexist:certificatePassword and
  // coexist:sourcePassword, never from this object in the stack file.
  certificatePassword: z.string().optional(),
  username: z.string().min(1).optional(),
  password: z.string().optional(),
  /**
   * For a source: what the simulated source is. exchange (the default): an on-premises Exchange
   * (role source); google-workspace: a Google Workspace tenant answering PSGSuite's cmdlets (role
   * google); vendor: a hosted system with no API, which coexist never connects to (the
   * rehearsal's `rehearse vendor-apply` plays the vendor).
   */
  imitates: z.enum(["exchange", "google-workspace", "vendor"]).optional(),
});
export type SimulatorTarget = z.infer<typeof SimulatorTarget>;

export const ExchangeOnlineTarget = z.object({
  kind: z.literal("exchange-online"),
  appId: z.uuid(),
  organization: z.string().regex(/\.onmicrosoft\.com$/i, "must be the tenant's *.onmicrosoft.com domain"),
  certificateFilePath: FilePath,
  certificatePassword: z.string().optional(),
});
export type ExchangeOnlineTarget = z.infer<typeof ExchangeOnlineTarget>;

export const OnPremisesTarget = z
  .object({
    kind: z.literal("exchange-onprem"),
    connectionUri: z.url(),
    authentication: z.enum(["Kerberos", "Negotiate", "Basic"]).default("Kerberos"),
    username: z.string().min(1),
    password: z.string().min(1),
  })
  // Basic sends the password in the clear: "Basic authentication ... should only be used over
  // HTTPS" (about_Remote_Troubleshooting; New-PSSession -Authentication). Refused over http.
  .refine((t) => t.authentication !== "Basic" || /^https:/i.test(t.connectionUri), {
    message: "Basic authentication sends the password in the clear: use an https:// connectionUri, or Kerberos/Negotiate",
    path: ["authentication"],
  });
export type OnPremisesTarget = z.infer<typeof OnPremisesTarget>;

/**
 * A Google Workspace source through PSGSuite, as a service account with domain-wide delegation
 * impersonating each user (docs/design/sources-google-and-vendor.md §3.1). The key is the JSON
 * key's contents, merged in from the secret coexist:googleServiceAccountKey: never a path (with a
 * path PSGSuite writes its config to disk), never in the stack file.
 */
export const ServiceAccountKey = z
  .string()
  .min(1)
  .superRefine((text, ctx) => {
    let key: Record<string, unknown>;
    try {
      key = JSON.parse(text) as Record<string, unknown>;
    } catch {
      // Never the value, nor the parser's message (it quotes the text).
      ctx.addIssue({ code: "custom", message: "is not JSON: give the service account's JSON key file's contents (pulumi config set --secret coexist:googleServiceAccountKey < key.json)" });
      return;
    }
    if (!key || typeof key !== "object" || key.type !== "service_account") ctx.addIssue({ code: "custom", message: 'is not a service account key: its "type" must be "service_account"' });
    for (const field of ["client_email", "client_id", "private_key"]) {
      if (typeof key?.[field] !== "string" || key[field] === "") ctx.addIssue({ code: "custom", message: `has no "${field}": give the whole JSON key file Google made for the service account` });
    }
  });

export const GoogleWorkspaceTarget = z.object({
  kind: z.literal("google-workspace"),
  /** A super admin: the directory reads run as this user (PSGSuite's AdminEmail). */
  adminEmail: SmtpAddressShape,
  /** The customer's primary domain (PSGSuite's Domain). */
  domain: z.string().min(1),
  /** The customer ID; "my_customer" (the admin's own customer) when absent. */
  customerId: z.string().min(1).optional(),
  serviceAccountKey: ServiceAccountKey,
});
export type GoogleWorkspaceTarget = z.infer<typeof GoogleWorkspaceTarget>;

/**
 * A hosted source with no API (seed 2's vendor): coexist never connects to it. It does the tenant
 * side and writes a forwarding worksheet for the vendor (resources/vendorLedger.ts).
 */
export const VendorTarget = z.object({
  kind: z.literal("vendor"),
  /** The vendor's name, as `up` and `status` say who is waiting on whom. */
  name: z.string().min(1).max(64),
});
export type VendorTarget = z.infer<typeof VendorTarget>;

export const ExchangeTarget = z.discriminatedUnion("kind", [SimulatorTarget, ExchangeOnlineTarget]);
export type ExchangeTarget = z.infer<typeof ExchangeTarget>;
export const SourceTarget = z.discriminatedUnion("kind", [SimulatorTarget, OnPremisesTarget, GoogleWorkspaceTarget, VendorTarget]);
export type SourceTarget = z.infer<typeof SourceTarget>;
export type AnyTarget = ExchangeTarget | SourceTarget;

/** What the source is, whether real or simulated: it decides the source steps and what can be read. */
export type SourceKind = "exchange" | "google-workspace" | "vendor";
export function sourceKindOf(t: SourceTarget): SourceKind {
  switch (t.kind) {
    case "simulator":
      return t.imitates ?? "exchange";
    case "exchange-onprem":
      return "exchange";
    default:
      return t.kind;
  }
}

/** The role of a source's sessions: PSGSuite's cmdlets for Google, Exchange's otherwise (a vendor has none). */
export const sourceRoleOf = (t: SourceTarget): "source" | "google" => (sourceKindOf(t) === "google-workspace" ? "google" : "source");

/** A Google key's secrets: the whole JSON, and the parts a message could quote without the rest. */
function keySecrets(json: string): string[] {
  try {
    const k = JSON.parse(json) as Record<string, unknown>;
    return [json, ...["private_key", "private_key_id"].map((f) => k[f]).filter((v): v is string => typeof v === "string" && v !== "")];
  } catch {
    return [json];
  }
}

/** Values that must never appear in a log line or an error message. */
export function secretsOf(target: AnyTarget): string[] {
  switch (target.kind) {
    case "exchange-online":
      return target.certificatePassword ? [target.certificatePassword] : [];
    case "exchange-onprem":
      return [target.password];
    case "simulator":
      return [target.certificatePassword, target.password].filter((s): s is string => s !== undefined && s !== "");
    case "google-workspace":
      return keySecrets(target.serviceAccountKey);
    case "vendor":
      return [];
  }
}

/** Replaces each of a target's secrets by `***`, wherever a message might quote it. */
export function redactorOf(target: AnyTarget): (text: string) => string {
  const secrets = secretsOf(target).filter((s) => s.length > 0);
  return (text) => secrets.reduce((t, s) => t.split(s).join("***"), text);
}

/** A target as a runner takes it: a simulator's state file relative to the project directory made absolute. */
export const resolvedTarget = <T extends AnyTarget>(t: T): T => (t.kind === "simulator" ? { ...t, stateFile: path.resolve(projectRoot(), t.stateFile) } : t);
