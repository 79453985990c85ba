import { Command } from "../exchange/command";
import { formatCommand } from "../exchange/format";

export { formatCommand };
import { AnyDefinition } from "../resources/definition";
import { definitions, ResourceKind } from "../resources/handlers";

/**
 * Change review: the exact write cmdlets `pulumi up` will run, step by step, worked out from
 * `pulumi preview --json` with the same command builders the resources execute. Reads (and
 * the adopt-or-create check every create starts with) are left out: they change nothing.
 */
export interface PreviewStep {
  op: string;
  urn: string;
  oldState?: { type: string; inputs?: Record<string, unknown>; outputs?: Record<string, unknown> };
  newState?: { type: string; inputs?: Record<string, unknown> };
}

export interface PlannedStep {
  op: string;
  resource: string;
  kind: ResourceKind;
  commands: Command[];
}

const kindOf = (type: string | undefined): ResourceKind | undefined => {
  const name = type?.match(/^pulumi-nodejs:dynamic(?:\/\w+)?:(\w+)$/)?.[1];
  const kind = name ? ((name[0]!.toLowerCase() + name.slice(1)) as ResourceKind) : undefined;
  return kind && kind in definitions ? kind : undefined;
};

export function planSteps(steps: PreviewStep[]): PlannedStep[] {
  const planned: PlannedStep[] = [];
  for (const step of steps) {
    const kind = kindOf(step.newState?.type ?? step.oldState?.type);
    if (!kind) continue;
    const def = definitions[kind] as unknown as AnyDefinition;
    const news = step.newState?.inputs ? (def.inputs.safeParse(strip(step.newState.inputs)).data as Record<string, unknown> | undefined) ?? strip(step.newState.inputs) : undefined;
    const olds = step.oldState?.outputs ? strip(step.oldState.outputs) : undefined;
    let commands: Command[] = [];
    if (step.op === "create" && news) commands = def.plan.create(news);
    else if (step.op === "update" && olds && news) commands = def.plan.update(olds, news);
    else if ((step.op === "delete" || step.op === "delete-replaced") && olds) commands = def.plan.delete(olds);
    else if (step.op === "create-replacement" && news) commands = def.plan.create(news);
    else if (step.op === "replace" && olds && news) commands = [...def.plan.delete(olds), ...def.plan.create(news)];
    else continue;
    planned.push({ op: step.op, resource: step.urn.split("::").pop() ?? step.urn, kind, commands });
  }
  return planned;
}

function strip(props: Record<string, unknown>): Record<string, unknown> {
  const { __provider: _ignored, ...rest } = props;
  return rest;
}

export function formatPlan(planned: PlannedStep[]): string {
  if (planned.length === 0) return "No Exchange changes: `pulumi up` would run no write cmdlet.";
  const lines: string[] = [];
  const count = planned.reduce((n, p) => n + p.commands.length, 0);
  lines.push(`${count} write cmdlet${count === 1 ? "" : "s"} in ${planned.length} step${planned.length === 1 ? "" : "s"}:`);
  for (const p of planned) {
    lines.push(`  ${p.op} ${p.resource}`);
    for (const c of p.commands) lines.push(`    ${formatCommand(c)}`);
  }
  return lines.join("\n");
}
