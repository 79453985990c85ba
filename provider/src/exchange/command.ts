import { z } from "zod";
import type { Role } from "./protocol";

/**
 * A command is data: a cmdlet name and its parameters. It is never turned into PowerShell text;
 * the runner splats `parameters` as a hashtable, so a value can only ever be a value.
 */
export const ParameterValue: z.ZodType<ParameterValue> = z.lazy(() =>
  z.union([
    z.string(),
    z.number(),
    z.boolean(),
    z.null(),
    z.array(z.string()),
    z.record(z.string(), z.array(z.string())), // @{Add=…; Remove=…} for multi-valued properties
  ]),
);
export type ParameterValue = string | number | boolean | null | string[] | Record<string, string[]>;

export const Command = z.object({
  cmdlet: z.string().min(1),
  parameters: z.record(z.string(), ParameterValue),
});
export type Command = z.infer<typeof Command>;

export interface CmdletSpec<S extends z.ZodObject = z.ZodObject> {
  name: string;
  /** Where it runs: the Exchange Online tenant's sessions or the source organisation's. */
  role: Role;
  /** Reads may be retried freely; a write is retried after an unknown outcome only if idempotent. */
  effect: "read" | "write";
  /** Running it twice leaves the same state and does not fail the second time. */
  idempotent: boolean;
  parameters: S;
}

export type CmdletBuilder<S extends z.ZodObject> = ((parameters: z.input<S>) => Command) & {
  spec: CmdletSpec<S>;
};

/** Declares one cmdlet we drive; the result builds validated commands for it. */
export function cmdlet<S extends z.ZodObject>(spec: CmdletSpec<S>): CmdletBuilder<S> {
  const build = (parameters: z.input<S>): Command => ({
    cmdlet: spec.name,
    parameters: spec.parameters.parse(parameters) as Command["parameters"],
  });
  return Object.assign(build, { spec });
}

// Shared parameter shapes (names and limits from the Exchange cmdlet reference). Values are
// never trimmed or rewritten: what the user wrote is what a cmdlet receives, or it is rejected.

/**
 * Control characters (C0, DEL, C1) and invisible formatting (zero-width characters, bidi
 * embeddings and overrides, BOM) have no place in an Exchange name: they would make what a
 * reviewer reads in a plan differ from what runs.
 */
const UNSAFE_CHARACTER = /[\u0000-\u001f\u007f-\u009f\u00ad\u061c\u180e\u200b-\u200f\u2028-\u202e\u2060-\u206f\ufeff\ufff9-\ufffb]/;

const codePoint = (c: string) => `U+${c.codePointAt(0)!.toString(16).toUpperCase().padStart(4, "0")}`;

/** The first unsafe character of `s` as `U+XXXX`, or undefined. */
export function unsafeCharacter(s: string): string | undefined {
  const m = UNSAFE_CHARACTER.exec(s);
  return m ? codePoint(m[0]) : undefined;
}

/**
 * A value as a message may quote it: in double quotes, unsafe characters spelled `<U+XXXX>`,
 * cut after `max` characters. A hostile cell can then neither reorder nor flood a terminal.
 */
export function quoted(value: string, max = 80): string {
  const chars = [...value];
  const shown = chars.slice(0, max).map((c) => (UNSAFE_CHARACTER.test(c) ? `<${codePoint(c)}>` : c)).join("");
  return chars.length > max ? `"${shown}…" (${chars.length} characters)` : `"${shown}"`;
}

/** A name or identity of at most `max` characters, without padding or invisible characters. */
export const Text = (max: number) =>
  z
    .string()
    .min(1, "must not be empty")
    .max(max, `must be at most ${max} characters`)
    .refine((s) => s.trim() === s, "must not start or end with whitespace")
    .superRefine((s, ctx) => {
      const c = unsafeCharacter(s);
      if (c) ctx.addIssue({ code: "custom", message: `must not contain control or invisible characters (found ${c})` });
    })
    // Get-* cmdlets read * in -Identity as a wildcard: a name with one could match other objects.
    .refine((s) => !s.includes("*"), "must not contain * (Exchange reads it as a wildcard)");

export const Identity = Text(256);
export const Name64 = Text(64);

// RFC 5322 dot-atom local part in ASCII, as Exchange Online accepts in SMTP proxy addresses,
// less `*`: an address is also an -Identity, where Get-* cmdlets read * as a wildcard.
const ATEXT = "[A-Za-z0-9!#$%&'+/=?^_`{|}~-]";
const LABEL = "[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?";
const ADDRESS = `${ATEXT}+(?:\\.${ATEXT}+)*@${LABEL}(?:\\.${LABEL})+`;
export const SmtpAddress = z
  .string()
  .max(320)
  .regex(new RegExp(`^${ADDRESS}$`), { message: "is not a valid SMTP address" })
  .refine((s) => s.indexOf("@") <= 64, "has a local part longer than 64 characters");
/** A ProxyAddress: an SMTP address with an optional `smtp:`/`SMTP:` prefix. */
export const ProxyAddress = z
  .string()
  .max(325)
  .regex(new RegExp(`^(?:smtp:)?${ADDRESS}$`, "i"), { message: "is not a valid SMTP proxy address" });
export const Confirm = z.literal(false);
