import * as path from "node:path";
import { z } from "zod";
import { projectRoot } from "../projectRoot";
import { unsafeCharacter } from "./command";

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
 * machine that passes: PowerShell 7.6 on Linux with ExchangeOnlineManagement 3.10 and PSWSMan.
 */
export const SimulatedEnvironment = z.object({
  powershell: z.string().regex(/^\d+\.\d+(\.\d+)?$/).default("7.6.0"),
  platform: z.enum(["Unix", "Win32NT"]).default("Unix"),
  modules: z.record(z.string(), z.string().nullable()).default({ ExchangeOnlineManagement: "3.10.0", PSWSMan: "2.3.1" }),
});

export const SimulatorTarget = z.object({
  kind: z.literal("simulator"),
  /** The simulated world's JSON file; its command log is written beside it (`.log`). */
  stateFile: FilePath,
  latency: z
    .object({ connectMs: z.number().min(0).default(0), cmdletMs: z.number().min(0).default(0) })
    .default({ connectMs: 0, cmdletMs: 0 }),
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

export const ExchangeTarget = z.discriminatedUnion("kind", [SimulatorTarget, ExchangeOnlineTarget]);
export type ExchangeTarget = z.infer<typeof ExchangeTarget>;
export const SourceTarget = z.discriminatedUnion("kind", [SimulatorTarget, OnPremisesTarget]);
export type SourceTarget = z.infer<typeof SourceTarget>;
export type AnyTarget = ExchangeTarget | SourceTarget;

/** Values that must never appear in a log line or an error message. */
export function secretsOf(target: AnyTarget): string[] {
  switch (target.kind) {
    case "exchange-online":
      return target.certificatePassword ? [target.certificatePassword] : [];
    case "exchange-onprem":
      return [target.password];
    case "simulator":
      return [target.certificatePassword, target.password].filter((s): s is string => s !== undefined && s !== "");
  }
}

/** Replaces each of a target's secrets by `***`, wherever a message might quote it. */
export function redactorOf(target: AnyTarget): (text: string) => string {
  const secrets = secretsOf(target).filter((s) => s.length > 0);
  return (text) => secrets.reduce((t, s) => t.split(s).join("***"), text);
}

/** A target as a runner takes it: a simulator's state file relative to the project directory made absolute. */
export const resolvedTarget = <T extends AnyTarget>(t: T): T => (t.kind === "simulator" ? { ...t, stateFile: path.resolve(projectRoot(), t.stateFile) } : t);
