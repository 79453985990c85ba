import { Command } from "../exchange/command";
import { formatCommand } from "../exchange/format";

export { formatCommand };
import { AnyDefinition } from "../resources/definition";
import { definitions, ResourceKind } from "../resources/handlers";
import { cleanupPlan, MigratedMailboxesInputs, MigratedMailboxesOutputs, plannedCommands } from "../resources/migratedMailboxes/migratedMailboxes";

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
  /** What the step asks of a person (a vendor's worksheet rows), beside its cmdlets. */
  asks?: string[];
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
    if (kind === "migratedMailboxes") {
      planned.push(...perUser(step.op, news, olds));
      continue;
    }
    let commands: Command[] = [];
    let asks: string[] = [];
    const a = def.asks;
    if (step.op === "create" && news) [commands, asks] = [def.plan.create(news), a?.create(news) ?? []];
    else if (step.op === "update" && olds && news) [commands, asks] = [def.plan.update(olds, news), a?.update(olds, news) ?? []];
    else if ((step.op === "delete" || step.op === "delete-replaced") && olds) [commands, asks] = [def.plan.delete(olds), a?.delete(olds) ?? []];
    else if (step.op === "create-replacement" && news) [commands, asks] = [def.plan.create(news), a?.create(news) ?? []];
    else if (step.op === "replace" && olds && news) [commands, asks] = [[...def.plan.delete(olds), ...def.plan.create(news)], [...(a?.delete(olds) ?? []), ...(a?.create(news) ?? [])]];
    else continue;
    planned.push({ op: step.op, resource: step.urn.split("::").pop() ?? step.urn, kind, commands, ...(asks.length > 0 ? { asks } : {}) });
  }
  return planned;
}

/**
 * The one resource holding every user, as one step per user: a first migration ("migrate"), a
 * repair of a user already migrated (drift, a half-done run), a rollback, a vendor rollback
 * waiting for its confirmation ("wait"), or a cleanup (`pulumi destroy`).
 */
function perUser(op: string, news: Record<string, unknown> | undefined, olds: Record<string, unknown> | undefined): PlannedStep[] {
  if ((op === "create" || op === "update") && news) {
    const parsed = MigratedMailboxesInputs.safeParse(news);
    if (!parsed.success) return [];
    return plannedCommands(parsed.data).map((p) => {
      const action = parsed.data.users[p.user]!.action;
      const first = p.steps.includes("takeOver") && p.steps.some((s) => s === "forward" || s === "gmailOn" || s === "vendorAdd");
      return { op: action === "migrate" ? (first ? "migrate" : "repair") : action, resource: p.user, kind: "migratedMailboxes" as const, commands: p.commands, ...(p.asks.length > 0 ? { asks: p.asks } : {}) };
    });
  }
  if (op === "delete" && olds) {
    const o = olds as unknown as MigratedMailboxesOutputs;
    return cleanupPlan(o).map((p) => ({ op: "cleanup", resource: p.user, kind: "migratedMailboxes" as const, commands: p.commands, ...(p.asks.length > 0 ? { asks: p.asks } : {}) }));
  }
  return [];
}

function strip(props: Record<string, unknown>): Record<string, unknown> {
  const { __provider: _ignored, ...rest } = props;
  return rest;
}

/** Where a step belongs in the review: the shared objects, a wave (by name), or a user leaving. */
export type Section = { kind: "shared" } | { kind: "cloudOnly" } | { kind: "wave"; wave: string } | { kind: "rollback" } | { kind: "removed" } | { kind: "users" };
/** For each user address, the wave that lists it (and whether it is rolled back): from the stack's own inputs. */
export interface WaveIndex {
  waves: string[];
  waveOf: Map<string, string>;
  rolledBack: Set<string>;
}

/** Shared objects in the registry's order (resources/handlers.ts), which is the order up creates them in. */
const KIND_ORDER = Object.keys(definitions) as ResourceKind[];
const sectionKey = (s: Section) => (s.kind === "wave" ? `wave:${s.wave}` : s.kind);

function sectionOf(step: PlannedStep, index: WaveIndex | undefined): Section {
  if (step.kind === "cloudOnlyRecipient") return { kind: "cloudOnly" };
  if (step.kind !== "migratedMailbox" && step.kind !== "migratedMailboxes") return { kind: "shared" };
  const user = step.resource.toLowerCase();
  if (index?.rolledBack.has(user)) return { kind: "rollback" };
  const wave = index?.waveOf.get(user);
  if (wave) return { kind: "wave", wave };
  return index ? { kind: "removed" } : { kind: "users" };
}

/**
 * Within a section, users doing the same kind of change stand together (a wave's few repairs are
 * not scattered among 500 migrations), in this order, each sorted by user. The shared objects'
 * ops (create, update, delete) rank first, by name, as the totals' "by action" line lists them.
 */
const OP_ORDER = ["migrate", "repair", "wait", "rollback", "cleanup"];
const opRank = (op: string) => OP_ORDER.indexOf(op);
const byOp = (a: string, b: string) => opRank(a) - opRank(b) || a.localeCompare(b);
const byOpThenUser = (a: PlannedStep, b: PlannedStep) => byOp(a.op, b.op) || a.resource.localeCompare(b.resource);

const users = (n: number) => `${n} user${n === 1 ? "" : "s"}`;

function sectionTitle(s: Section, n: number): string {
  switch (s.kind) {
    case "shared":
      return "Shared objects";
    case "cloudOnly":
      return `Cloud-only recipients (${n}): into the group, no source step`;
    case "wave":
      return `Wave ${s.wave} (${users(n)})`;
    case "users":
      return `Users (${n})`;
    case "rollback":
      return `Rolled back (${users(n)}): mail flows to the source again`;
    case "removed":
      return `In no wave any more (${users(n)})`;
  }
}

/** Shared objects first, then cloud-only recipients, then the waves in coexist:waves order, then users leaving. */
function rank(s: Section, index: WaveIndex | undefined): number {
  switch (s.kind) {
    case "shared":
      return -2;
    case "cloudOnly":
      return -1;
    case "wave":
      return index?.waves.indexOf(s.wave) ?? 0;
    case "users":
      return 0;
    case "rollback":
      return Number.MAX_SAFE_INTEGER - 1;
    case "removed":
      return Number.MAX_SAFE_INTEGER;
  }
}

export interface Review {
  steps: number;
  cmdlets: number;
  byAction: Record<string, number>;
  byKind: Record<string, { steps: number; cmdlets: number }>;
  sections: Array<{ section: Section; title: string; steps: PlannedStep[] }>;
}

/** The plan for sign-off: totals first, then the shared objects, then each wave's users grouped by change and sorted, then users leaving. */
export function review(planned: PlannedStep[], index?: WaveIndex): Review {
  const byAction: Record<string, number> = {};
  const byKind: Record<string, { steps: number; cmdlets: number }> = {};
  const groups = new Map<string, { section: Section; steps: PlannedStep[] }>();
  for (const p of planned) {
    byAction[p.op] = (byAction[p.op] ?? 0) + 1;
    const k = (byKind[definitions[p.kind].name] ??= { steps: 0, cmdlets: 0 });
    k.steps++;
    k.cmdlets += p.commands.length;
    const section = sectionOf(p, index);
    const g = groups.get(sectionKey(section)) ?? { section, steps: [] };
    g.steps.push(p);
    groups.set(sectionKey(section), g);
  }
  const sections = [...groups.values()]
    .sort((a, b) => rank(a.section, index) - rank(b.section, index))
    .map(({ section, steps }) => {
      const sorted =
        section.kind === "shared"
          ? [...steps].sort((a, b) => KIND_ORDER.indexOf(a.kind) - KIND_ORDER.indexOf(b.kind))
          : [...steps].sort(byOpThenUser);
      return { section, title: sectionTitle(section, section.kind === "shared" ? 0 : steps.length), steps: sorted };
    });
  const actions = Object.fromEntries(Object.entries(byAction).sort(([a], [b]) => byOp(a, b)));
  return { steps: planned.length, cmdlets: planned.reduce((n, p) => n + p.commands.length, 0), byAction: actions, byKind, sections };
}

const plural = (n: number, word: string) => `${n.toLocaleString("en-US")} ${word}${n === 1 ? "" : "s"}`;

function totals(r: Review): string[] {
  const list = (o: Record<string, number>) => Object.entries(o).map(([k, n]) => `${k} ${n.toLocaleString("en-US")}`).join(" · ");
  return [
    `${plural(r.cmdlets, "write cmdlet")} in ${plural(r.steps, "step")}`,
    `  by action: ${list(r.byAction)}`,
    `  by kind:   ${Object.entries(r.byKind).map(([k, v]) => `${k} ${v.steps.toLocaleString("en-US")} (${plural(v.cmdlets, "cmdlet")})`).join(" · ")}`,
    `  by wave:   ${r.sections.map((s) => (s.section.kind === "shared" ? `shared ${s.steps.length}` : `${s.section.kind === "cloudOnly" ? "cloud-only" : sectionKey(s.section).replace(/^wave:/, "")} ${s.steps.length}`)).join(" · ")}`,
  ];
}

export function formatPlan(planned: PlannedStep[], index?: WaveIndex): string {
  if (planned.length === 0) return "No Exchange changes: `pulumi up` would run no write cmdlet.";
  const r = review(planned, index);
  const lines = [...totals(r), ""];
  for (const s of r.sections) {
    lines.push(`${s.title}:`);
    for (const p of s.steps) {
      lines.push(`  ${p.op} ${p.resource}`);
      for (const c of p.commands) lines.push(`    ${formatCommand(c)}`);
      for (const a of p.asks ?? []) lines.push(`    # ${a}`);
    }
  }
  return lines.join("\n");
}

/** One row per cmdlet, in review order: for a spreadsheet the customer signs. */
export function planCsv(planned: PlannedStep[], index?: WaveIndex): string {
  // RFC 4180: quote every field, double inner quotes; a leading =+-@ would be a formula in a spreadsheet.
  const field = (v: string | number) => {
    const text = String(v);
    return `"${(/^[=+\-@\t\r]/.test(text) ? `'${text}` : text).replace(/"/g, '""')}"`;
  };
  const rows = [["section", "resource", "kind", "action", "order", "cmdlet", "command"].map(field).join(",")];
  for (const s of review(planned, index).sections) {
    const section = s.section.kind === "wave" ? s.section.wave : s.section.kind;
    for (const p of s.steps) {
      p.commands.forEach((c, i) => rows.push([section, p.resource, definitions[p.kind].name, p.op, i + 1, c.cmdlet, formatCommand(c)].map(field).join(",")));
      (p.asks ?? []).forEach((a, i) => rows.push([section, p.resource, definitions[p.kind].name, p.op, p.commands.length + i + 1, "(worksheet)", a].map(field).join(",")));
    }
  }
  return rows.join("\r\n") + "\r\n";
}

/** The same review as Markdown: totals as a table, each section's commands in a code block. */
export function planMarkdown(planned: PlannedStep[], index?: WaveIndex, title = "Exchange change plan"): string {
  if (planned.length === 0) return `# ${title}\n\nNo Exchange changes: \`pulumi up\` would run no write cmdlet.\n`;
  const r = review(planned, index);
  const lines = [`# ${title}`, "", `${plural(r.cmdlets, "write cmdlet")} in ${plural(r.steps, "step")}.`, "", "| Kind | Steps | Cmdlets |", "| --- | ---: | ---: |"];
  for (const [k, v] of Object.entries(r.byKind)) lines.push(`| ${k} | ${v.steps} | ${v.cmdlets} |`);
  lines.push("", "| Action | Steps |", "| --- | ---: |");
  for (const [a, n] of Object.entries(r.byAction)) lines.push(`| ${a} | ${n} |`);
  for (const s of r.sections) {
    lines.push("", `## ${s.title}`, "", "```powershell");
    for (const p of s.steps) {
      lines.push(`# ${p.op} ${p.resource}`);
      for (const c of p.commands) lines.push(formatCommand(c));
      for (const a of p.asks ?? []) lines.push(`# ${a}`);
    }
    lines.push("```");
  }
  return lines.join("\n") + "\n";
}
