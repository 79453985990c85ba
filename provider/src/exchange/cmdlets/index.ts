import { z } from "zod";
import { CmdletSpec, Command } from "../command";
import type { Role } from "../protocol";
import { ExchangeError } from "../errors";
import * as acceptedDomain from "./acceptedDomain";
import * as distributionGroup from "./distributionGroup";
import * as mailbox from "./mailbox";
import * as outboundConnector from "./outboundConnector";
import * as transportRule from "./transportRule";

export * from "./acceptedDomain";
export * from "./distributionGroup";
export * from "./mailbox";
export * from "./outboundConnector";
export * from "./transportRule";

const builders = [acceptedDomain, distributionGroup, mailbox, outboundConnector, transportRule].flatMap((m) =>
  Object.values(m).filter((v): v is { spec: CmdletSpec } & ((p: never) => Command) => typeof v === "function" && "spec" in v),
);

/** The allow-list: every cmdlet coexist may run, by name. Nothing else is ever sent to a runner. */
export const cmdletSpecs: ReadonlyMap<string, CmdletSpec> = new Map(builders.map((b) => [b.spec.name, b.spec]));
export const allowedCmdlets = (role: Role): string[] =>
  [...cmdletSpecs.values()].filter((s) => s.role === role).map((s) => s.name);

/**
 * Checks a command against the allow-list and its cmdlet's schema, the way PowerShell's
 * parameter binder would, and returns it with its parameters normalised.
 */
export function validateCommand(command: Command, role?: Role): { spec: CmdletSpec; command: Command } {
  const spec = cmdletSpecs.get(command.cmdlet);
  if (!spec || (role && spec.role !== role)) {
    throw new ExchangeError({
      kind: "invalid-parameter",
      reason: "CommandNotFoundException",
      message: `The term '${command.cmdlet}' is not recognized as a name of a cmdlet allowed for this session.`,
    });
  }
  const parsed = spec.parameters.safeParse(command.parameters);
  if (!parsed.success) throw parameterError(parsed.error, command.parameters);
  return { spec, command: { cmdlet: spec.name, parameters: parsed.data as Command["parameters"] } };
}

function parameterError(error: z.ZodError, given: Record<string, unknown>): ExchangeError {
  const issue = error.issues[0]!;
  if (issue.code === "unrecognized_keys") {
    return new ExchangeError({
      kind: "invalid-parameter",
      reason: "ParameterBindingException",
      message: `A parameter cannot be found that matches parameter name '${issue.keys[0]}'.`,
    });
  }
  const name = String(issue.path[0] ?? "");
  if (!(name in given)) {
    return new ExchangeError({
      kind: "invalid-parameter",
      reason: "ParameterBindingException",
      message: `Cannot process command because of one or more missing mandatory parameters: ${name}.`,
    });
  }
  if (issue.code === "invalid_value") {
    return new ExchangeError({
      kind: "invalid-parameter",
      reason: "ParameterBindingException",
      message: `Cannot bind parameter '${name}'. Cannot convert value "${String(given[name])}". Specify one of the following enumerator names and try again: ${issue.values.join(", ")}`,
    });
  }
  return new ExchangeError({
    kind: "invalid-parameter",
    reason: "ParameterBindingValidationException",
    message: `Cannot validate argument on parameter '${name}'. ${issue.message}`,
  });
}
