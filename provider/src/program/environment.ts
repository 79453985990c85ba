import * as crypto from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { stackFileOf } from "../config/locate";

/**
 * The tool environment's refusal. `scripts/env.sh` (sourced by the npm scripts) falls back to a
 * rehearsal set-up when it is given none: a file backend inside the checkout and a passphrase
 * printed in the documentation. That is fine for the simulator and wrong for a real tenant, whose
 * state and secrets it would protect with nothing but a published passphrase. So env.sh marks
 * what it defaulted, and the program (before anything is declared) and the CLIs that read a stack
 * (`npm run status`, `npm run trace`; `npm run plan` runs the program) refuse any stack whose
 * targets are not both simulators while a default is in force. See docs/commands.md.
 */

/** The documented passphrase of rehearsal stacks (scripts/env.sh). */
export const REHEARSAL_PASSPHRASE = "coexist-rehearsal";

export interface RehearsalDefaults {
  /** The rehearsal's backend URL, when env.sh set it and it is still the one in force. */
  backend?: string;
  /** PULUMI_CONFIG_PASSPHRASE is the documented one (set by env.sh or copied from the docs). */
  passphrase: boolean;
}

/** What of the rehearsal set-up is in force in `env`. A value changed since env.sh set it is yours. */
export function rehearsalDefaults(env: NodeJS.ProcessEnv = process.env): RehearsalDefaults {
  const marked = env.COEXIST_REHEARSAL_BACKEND;
  return {
    ...(marked && env.PULUMI_BACKEND_URL === marked ? { backend: marked } : {}),
    passphrase: env.PULUMI_CONFIG_PASSPHRASE === REHEARSAL_PASSPHRASE,
  };
}

/** The kind of a target as the stack config holds it (JSON text), or undefined. */
function kindOf(raw: string | undefined): string | undefined {
  if (raw === undefined) return undefined;
  try {
    const t = JSON.parse(raw) as { kind?: unknown } | null;
    return t && typeof t === "object" && typeof t.kind === "string" ? t.kind : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Whether the stack's secrets depend on PULUMI_CONFIG_PASSPHRASE: its stack file has a
 * passphrase salt or names the passphrase provider (a missing file counts, to be safe). A stack
 * made with another secrets provider (`secretsprovider: awskms://…`, or the Pulumi Cloud's own,
 * which writes neither key) does not.
 */
export function usesPassphrase(stackFile: string): boolean {
  const key = topLevelKeys(stackFile);
  if (!key) return true;
  const provider = key("secretsprovider");
  if (provider) return provider.startsWith("passphrase");
  return key("encryptionsalt") !== undefined;
}

/** A reader of the stack file's top-level keys, in block or flow style (`{"config": {…}, encryptionsalt: '…'}`); undefined without a file. */
function topLevelKeys(stackFile: string): ((name: string) => string | undefined) | undefined {
  let text: string;
  try {
    text = fs.readFileSync(stackFile, "utf8");
  } catch {
    return undefined;
  }
  return (name) => new RegExp(`(?:^|[{,]\\s*)["']?${name}["']?\\s*:\\s*["']?([^"',}\\s]+)`, "m").exec(text)?.[1];
}

/** The stack file's `encryptionsalt` (passphrase provider) when it has the v1 form, or undefined. */
function encryptionSalt(stackFile: string): string | undefined {
  const salt = topLevelKeys(stackFile)?.("encryptionsalt");
  return salt && /^v1:[A-Za-z0-9+/=]+:v1:[A-Za-z0-9+/=]+:[A-Za-z0-9+/=]+$/.test(salt) ? salt : undefined;
}

const opened = new Map<string, boolean>();

/**
 * Whether `passphrase` opens the stack's passphrase salt; undefined when the stack file has none
 * (another secrets provider, or no file). Pulumi's passphrase secrets manager writes
 * `encryptionsalt: v1:<salt>:v1:<nonce>:<ciphertext>`: the word "pulumi" sealed with AES-256-GCM
 * under PBKDF2-SHA256(passphrase, salt, 1,000,000 iterations, 32 bytes) (pulumi/pulumi
 * pkg/secrets/passphrase/manager.go, sdk/go/common/resource/config/crypt.go). So a passphrase can
 * be tried against the salt without decrypting any secret. About 0.3 s, once per salt and
 * passphrase per process.
 */
export function saltOpensWith(stackFile: string, passphrase: string): boolean | undefined {
  const salt = encryptionSalt(stackFile);
  if (!salt) return undefined;
  const id = crypto.createHash("sha256").update(`${salt}\0${passphrase}`).digest("hex");
  const known = opened.get(id);
  if (known !== undefined) return known;
  const [, saltB64, , nonceB64, sealedB64] = salt.split(":") as [string, string, string, string, string];
  const sealed = Buffer.from(sealedB64, "base64");
  let result = false;
  if (sealed.length > 16) {
    const key = crypto.pbkdf2Sync(passphrase, Buffer.from(saltB64, "base64"), 1_000_000, 32, "sha256");
    try {
      const d = crypto.createDecipheriv("aes-256-gcm", key, Buffer.from(nonceB64, "base64"));
      d.setAuthTag(sealed.subarray(sealed.length - 16));
      result = Buffer.concat([d.update(sealed.subarray(0, sealed.length - 16)), d.final()]).toString("utf8") === "pulumi";
    } catch {
      result = false; // another passphrase: the tag does not verify
    }
  }
  opened.set(id, result);
  return result;
}

/** Whether the stack's secrets are sealed under the published rehearsal passphrase, whatever the environment holds now. */
export const sealedWithRehearsalPassphrase = (stackFile: string): boolean => saltOpensWith(stackFile, REHEARSAL_PASSPHRASE) === true;

/**
 * The refusal's text, or undefined when the stack may run here: both targets are simulators,
 * or no rehearsal default is in force. `get` reads `coexist:*` stack config (values as Pulumi
 * gives them: JSON text for objects).
 */
export function environmentRefusal(
  stack: string,
  get: (key: string) => string | undefined,
  stackFile: string,
  env: NodeJS.ProcessEnv = process.env,
): string | undefined {
  const real = (["exchange", "source"] as const)
    .map((role) => ({ role, kind: kindOf(get(role)) }))
    .filter((t) => t.kind !== undefined && t.kind !== "simulator");
  if (real.length === 0) return undefined;
  const defaults = rehearsalDefaults(env);
  const passphrase = defaults.passphrase && usesPassphrase(stackFile);
  // A stack made (or its secrets set) under the rehearsal passphrase stays readable by anyone
  // who has its file, whatever passphrase is given now (issue 27).
  const sealed = !passphrase && sealedWithRehearsalPassphrase(stackFile);
  if (!defaults.backend && !passphrase && !sealed) return undefined;
  const marked = env.COEXIST_REHEARSAL_PASSPHRASE === "1";
  return [
    `coexist: refusing to run stack ${stack} with the rehearsal's ${[defaults.backend ? "backend" : "", passphrase || sealed ? "passphrase" : ""].filter(Boolean).join(" and ")}: ` +
      `its ${real.map((t) => `coexist:${t.role} is ${t.kind}`).join(" and ")}, not the simulator. Nothing was run.`,
    ...(defaults.backend ? [`  The backend is ${defaults.backend}, the local folder scripts/env.sh uses when no backend is given (inside this checkout).`] : []),
    ...(passphrase
      ? [`  PULUMI_CONFIG_PASSPHRASE is the published rehearsal passphrase${marked ? " (scripts/env.sh set it: none was given)" : ""}: anyone could decrypt this stack's secrets.`]
      : []),
    ...(sealed
      ? [
          `  ${path.basename(stackFile)} was made under the published rehearsal passphrase (its encryptionsalt opens with it): anyone with the file can decrypt the secrets set in it.`,
          "  Make the stack again with your own passphrase, copying its settings and not its secrets: `npx coexist stack init <name> --from " + stack + "`, then set each secret again with `pulumi config set --secret` (change any secret already set here: it was readable).",
        ]
      : []),
    "  Use your own backend and secrets provider:",
    "  - backend: COEXIST_BACKEND_URL=<url> for the npm scripts (npm run plan, status, trace), or your own pulumi outside scripts/env.sh with PULUMI_BACKEND_URL or `pulumi login <url>`;",
    "  - secrets: PULUMI_CONFIG_PASSPHRASE (or PULUMI_CONFIG_PASSPHRASE_FILE) set to this stack's own passphrase, or a stack made with another secrets provider (`pulumi stack init --secrets-provider …`, `pulumi stack change-secrets-provider …`).",
    "  See docs/commands.md#the-tool-environment.",
  ].join("\n");
}

/**
 * Throws the refusal (as a RunError: the CLI prints just the message) when the stack may not
 * run in this environment. The program calls it first thing; `status` and `trace` too.
 */
export function refuseRehearsalEnvironment(stack: string, get: (key: string) => string | undefined, projectDir: string, env: NodeJS.ProcessEnv = process.env): void {
  const refusal = environmentRefusal(stack, get, stackFileOf(projectDir, stack), env);
  if (refusal) throw new pulumi.RunError(refusal);
}
