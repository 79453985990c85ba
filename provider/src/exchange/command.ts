import { z } from "zod";

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

/** Where a cmdlet runs: the Exchange Online tenant or the source organisation. */
export type Target = "exchange" | "source";

export interface CmdletSpec<S extends z.ZodObject = z.ZodObject> {
  name: string;
  target: Target;
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

// Shared parameter shapes (names and limits from the Exchange cmdlet reference).
export const Identity = z.string().trim().min(1).max(256);
export const Name64 = z.string().trim().min(1).max(64);
export const SmtpAddress = z
  .string()
  .trim()
  .max(320)
  .regex(/^[^\s@<>()\[\]\\,;:"]+@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)+$/, {
    message: "is not a valid SMTP address",
  });
/** A ProxyAddress: an SMTP address with an optional `smtp:`/`SMTP:` prefix. */
export const ProxyAddress = z
  .string()
  .trim()
  .max(325)
  .regex(/^(?:smtp:)?[^\s@]+@[^\s@]+\.[^\s@]+$/i, { message: "is not a valid SMTP proxy address" });
export const Confirm = z.literal(false);
