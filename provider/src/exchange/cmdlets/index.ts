import { z } from "zod";
import { CmdletSpec, Command } from "../command";
import type { Role } from "../protocol";
import { ExchangeError } from "../errors";
import * as acceptedDomain from "./acceptedDomain";
import * as distributionGroup from "./distributionGroup";
import * as google from "./google";
import * as mailbox from "./mailbox";
import * as outboundConnector from "./outboundConnector";
import * as sendConnector from "./sendConnector";
import * as transportRule from "./transportRule";

export * from "./acceptedDomain";
export * from "./distributionGroup";
export * from "./google";
export * from "./mailbox";
export * from "./outboundConnector";
export * from "./sendConnector";
export * from "./transportRule";

const builders = [acceptedDomain, distributionGroup, google, mailbox, outboundConnector, sendConnector, transportRule].flatMap((m) =>
  Object.values(m).filter((v): v is { spec: CmdletSpec } & ((p: never) => Command) => typeof v === "function" && "spec" in v),
);

/**
 * The allow-list: every cmdlet coexist may run, by role and then by name. Nothing else is ever
 * sent to a runner. Exchange Online and the source each have cmdlets of the same name (their own
 * Get-Mailbox and Set-Mailbox, with different parameters), so a name alone does not say which
 * spec applies: the role of the session that runs it does.
 */
export const cmdletsByRole: Readonly<Record<Role, ReadonlyMap<string, CmdletSpec>>> = (() => {
  const byRole: Record<Role, Map<string, CmdletSpec>> = { exchange: new Map(), source: new Map(), google: new Map() };
  for (const { spec } of builders) {
    if (byRole[spec.role].has(spec.name)) throw new Error(`coexist: ${spec.name} is declared twice for the ${spec.role} role`);
    byRole[spec.role].set(spec.name, spec);
  }
  return byRole;
})();

/** The spec of a cmdlet for one role, or undefined when that role does not run it. */
export const cmdletSpec = (role: Role, name: string): CmdletSpec | undefined => cmdletsByRole[role].get(name);

/** A cmdlet by name alone, across roles: what runner.ps1's flat $KnownCmdlets list holds. */
export interface KnownCmdlet {
  name: string;
  /** The roles that run a cmdlet of this name. */
  roles: readonly Role[];
  effect: CmdletSpec["effect"];
  idempotent: boolean;
}

/**
 * Every cmdlet name coexist may run, whatever the role: the runners' first gate (a name off this
 * list is refused before anything else) and runner.ps1's $KnownCmdlets. A name two roles share
 * must agree on effect and idempotence in both (checked here), so a lookup by name alone still
 * says whether a logged command wrote and whether it may be retried.
 */
export const cmdletSpecs: ReadonlyMap<string, KnownCmdlet> = (() => {
  const byName = new Map<string, KnownCmdlet>();
  for (const { spec } of builders) {
    const known = byName.get(spec.name);
    if (!known) {
      byName.set(spec.name, { name: spec.name, roles: [spec.role], effect: spec.effect, idempotent: spec.idempotent });
      continue;
    }
    if (known.effect !== spec.effect || known.idempotent !== spec.idempotent) {
      throw new Error(`coexist: ${spec.name} must have the same effect and idempotence for every role`);
    }
    byName.set(spec.name, { ...known, roles: [...known.roles, spec.role] });
  }
  return byName;
})();

export const allowedCmdlets = (role: Role): string[] => [...cmdletsByRole[role].keys()];

const notAllowed = (cmdlet: string) =>
  new ExchangeError({
    kind: "invalid-parameter",
    reason: "CommandNotFoundException",
    message: `The term '${cmdlet}' is not recognized as a name of a cmdlet allowed for this session.`,
  });

/**
 * Checks a command against the allow-list and its cmdlet's schema, the way PowerShell's
 * parameter binder would, and returns it with its parameters normalised. With a role, the spec
 * is that role's; without one, the name must belong to one role only (a shared name without a
 * role is a caller's mistake, not Exchange's answer).
 */
export function validateCommand(command: Command, role?: Role): { spec: CmdletSpec; command: Command } {
  let spec: CmdletSpec | undefined;
  if (role) {
    spec = cmdletSpec(role, command.cmdlet);
  } else {
    const roles = cmdletSpecs.get(command.cmdlet)?.roles ?? [];
    if (roles.length > 1) throw new Error(`coexist: ${command.cmdlet} is run by more than one role (${roles.join(", ")}): validate it for a role`);
    spec = roles[0] && cmdletSpec(roles[0], command.cmdlet);
  }
  if (!spec) throw notAllowed(command.cmdlet);
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
