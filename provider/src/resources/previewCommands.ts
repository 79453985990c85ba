import { Command } from "../exchange/command";
import { formatCommand } from "../exchange/format";
import { logToResource, rootResourceUrn } from "../host/engine";
import type { AnyDefinition } from "./definition";

/**
 * The write cmdlets a step will run, as a diagnostic on its resource: `pulumi preview` (the
 * user's review command) then says under each resource exactly what `pulumi up` runs, built by
 * the same builders as `npm run plan`. Sent from check (a create) and diff (an update or a
 * replacement), the only calls the engine makes at preview. The engine makes them again at the
 * start of `pulumi up`, so the lines appear there too; deletes are not announced (a delete
 * reaches the provider only when it runs: `npm run plan` lists them).
 */
export async function announce(def: AnyDefinition, inputs: Record<string, unknown>, what: "create" | "update" | "replace", commands: Command[], asks: string[] = [], grouped?: string[]): Promise<void> {
  if (commands.length === 0 && asks.length === 0) return;
  const root = await rootResourceUrn();
  const urn = root ? urnOf(root, def.name, def.resourceName(inputs)) : undefined;
  if (!urn) return;
  const body = grouped ?? [...commands.map((c) => `  ${formatCommand(c)}`), ...asks.map((a) => `  # ${a}`)];
  await logToResource(urn, [`coexist ${what} will run ${commands.length} cmdlet${commands.length === 1 ? "" : "s"}:`, ...body].join("\n"));
}

/** A child of the stack: `urn:pulumi:<stack>::<project>::pulumi-nodejs:dynamic:<Type>::<name>`. */
export const urnOf = (root: string, type: string, name: string): string | undefined => {
  const m = /^(urn:pulumi:[^:]+::[^:]+)::/.exec(root);
  return m ? `${m[1]}::pulumi-nodejs:dynamic:${type}::${name}` : undefined;
};
