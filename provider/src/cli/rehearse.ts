import * as fs from "node:fs";
import * as path from "node:path";
import { parse } from "csv-parse/sync";
import { projectRoot } from "../projectRoot";
import { initialWorld, Scenario, tenantSmartHost } from "../simulator/scenario";
import { WorldStore } from "../simulator/store";
import { formatProblem, InputError } from "../waves/problems";
import { stackInputs, stackValues } from "./stackValues";
import { configValue } from "../config/provider";
import { stackFileOf } from "../config/locate";
import { loadInputs } from "../program/program";

/**
 * `npm run rehearse -- init --stack X [--others FILE] [--source-relay] [--force]` builds the simulated world a
 * rehearsal stack points at from the stack's own config and waves: its domain and tenant, every
 * user in a wave (plus the users of FILE, who stay on the source), a source reachable at the
 * stack's smart hosts and sending from its IP ranges, the routing subdomain its template uses,
 * and the credentials its secrets hold; with --source-relay the source relays recipients it does
 * not know to Exchange Online (seed 1's send connector). `npm run rehearse -- mx-cutover --stack X [--back]` moves
 * the shared domain's MX in that world. No JavaScript to write.
 */
export interface RehearsalWorld {
  stateFile: string;
  scenario: Scenario;
}

/** The world a stack's config and waves describe, and where it goes. */
export function worldFor(stack: string, cwd: string, others: string[] = [], sourceRelay = false): RehearsalWorld {
  const values = stackValues(stack, cwd);
  // coexist:sourceUsers is written from the source (`coexist source-users`), which needs this
  // world first: a list not written yet is no error here, the world holds the waves and --others.
  const list = configValue(values, "sourceUsers");
  const unwritten = typeof list === "string" && !fs.existsSync(path.resolve(cwd, list));
  const get = unwritten ? (k: string) => (k === "sourceUsers" || k === "routing" ? undefined : values(k)) : values;
  const inputs = loadInputs(get, cwd, stackFileOf(cwd, stack));
  const { config } = inputs;
  if (config.exchange.kind !== "simulator" || config.source.kind !== "simulator") {
    throw new Error(`stack ${stack}: coexist:exchange and coexist:source must both be kind simulator to rehearse (one world holds the tenant, the source and DNS)`);
  }
  if (path.resolve(cwd, config.exchange.stateFile) !== path.resolve(cwd, config.source.stateFile)) {
    throw new Error(`stack ${stack}: coexist:exchange.stateFile and coexist:source.stateFile must be the same file (one world holds the tenant, the source and DNS)`);
  }
  const domain = config.domain;
  const alias = (address: string) => address.slice(0, address.lastIndexOf("@")).toLowerCase();
  const inDomain = (address: string) => address.toLowerCase().endsWith(`@${domain}`);
  // Everyone in a wave, and (pendingGroup) every listed source user; cloud-only recipients get
  // an Exchange Online mailbox only.
  const users = [...inputs.users, ...inputs.rolledBack].map((u) => alias(u.emailAddress)).concat((inputs.sourceUsers ?? []).map(alias));
  for (const o of others) {
    if (!inDomain(o)) throw new Error(`--others: ${o} is not in ${domain}`);
    users.push(alias(o));
  }
  // The routing template's own subdomain, e.g. {alias}@route.{domain}: seed 1's catch-all.
  const sub = /^\{alias\}@([a-z0-9.-]+)\.\{domain\}$/i.exec(config.routingTemplate)?.[1];
  const certificatePassword = get("certificatePassword");
  const sourcePassword = get("sourcePassword");
  const username = config.source.kind === "simulator" ? config.source.username : undefined;
  const scenario: Scenario = {
    domain,
    organization: config.tenant,
    users: [...new Set(users)].sort(),
    ...(sub ? { subdomain: `${sub.toLowerCase()}.${domain}` } : {}),
    sourceHosts: config.smartHosts.map((h) => h.replace(/\/\d+$/, "")),
    sourceOutboundIps: config.sourceIpRanges.map(firstAddress),
    ...(sourceRelay ? { sourceRelay } : {}),
    ...(config.cloudOnly.length > 0 ? { cloudOnly: config.cloudOnly.map(alias).sort() } : {}),
    ...(certificatePassword !== undefined || (sourcePassword !== undefined && username)
      ? {
          credentials: {
            ...(certificatePassword !== undefined ? { certificatePassword } : {}),
            ...(sourcePassword !== undefined && username ? { source: { username, password: sourcePassword } } : {}),
          },
        }
      : {}),
  };
  return { stateFile: path.resolve(cwd, config.exchange.stateFile), scenario };
}

/** An address the source sends from, inside an IP range of coexist:sourceIpRanges. */
export function firstAddress(range: string): string {
  const [start] = range.split("-");
  const [ip, bits] = start!.split("/");
  if (bits === undefined || Number(bits) >= 31) return ip!;
  const n = ip!.split(".").reduce((a, o) => a * 256 + Number(o), 0);
  const host = (n & (~0 << (32 - Number(bits)))) + 1;
  return [24, 16, 8, 0].map((s) => (host >>> s) & 255).join(".");
}

/** Addresses from a file: a CSV with an EmailAddress column, or one address per line. */
export function readOthers(file: string): string[] {
  const text = fs.readFileSync(file, "utf8").replace(/^\uFEFF/, "");
  const first = text.split(/\r?\n/, 1)[0] ?? "";
  if (/emailaddress/i.test(first)) {
    const rows = parse(text, { columns: true, skip_empty_lines: true, trim: true }) as Record<string, string>[];
    return rows.map((r) => Object.entries(r).find(([k]) => k.toLowerCase() === "emailaddress")?.[1] ?? "").filter((a) => a !== "");
  }
  return text.split(/\r?\n/).map((l) => l.trim()).filter((l) => l !== "" && !l.startsWith("#"));
}

export function init(stack: string, options: { others?: string; force?: boolean; sourceRelay?: boolean }, cwd = projectRoot()): string {
  const { stateFile, scenario } = worldFor(stack, cwd, options.others ? readOthers(path.resolve(cwd, options.others)) : [], options.sourceRelay);
  if (fs.existsSync(stateFile) && !options.force) {
    throw new Error(
      `${path.relative(cwd, stateFile)} exists. A new world under a stack that has applied changes leaves Pulumi's state describing objects the world does not have: ` +
        `add --force, then start a fresh stack (pulumi stack rm; pulumi stack init) or run pulumi refresh.`,
    );
  }
  fs.mkdirSync(path.dirname(stateFile), { recursive: true });
  fs.rmSync(`${stateFile}.log`, { force: true });
  WorldStore.create(stateFile, initialWorld(scenario));
  return [
    `rehearsal world for stack ${stack}: ${path.relative(cwd, stateFile)}`,
    `  ${scenario.domain} (MX at the source) in tenant ${scenario.organization}${scenario.subdomain ? `, routing subdomain ${scenario.subdomain} (MX at Exchange Online)` : ""}`,
    `  ${scenario.users.length} users, each with a source mailbox and an Exchange Online mailbox; admin@${scenario.organization} in Exchange Online`,
    ...(scenario.cloudOnly?.length ? [`  ${scenario.cloudOnly.length} cloud-only recipient${scenario.cloudOnly.length === 1 ? "" : "s"} (coexist:cloudOnly), in Exchange Online only: ${scenario.cloudOnly.map((a) => `${a}@${scenario.domain}`).join(", ")}`] : []),
    `  the source at ${scenario.sourceHosts!.join(", ")}, sending from ${scenario.sourceOutboundIps!.join(", ")}`,
    ...(scenario.sourceRelay ? [`  the source relays recipients it does not know in ${scenario.domain} (InternalRelay there) to ${tenantSmartHost(scenario.organization)}`] : []),
    ...(scenario.credentials ? ["  connects must present the stack's secrets"] : []),
  ].join("\n");
}

export function mxCutover(stack: string, back: boolean, cwd = projectRoot()): string {
  const { exchange, domain } = stackInputs(stack, cwd).inputs.config;
  if (exchange.kind !== "simulator") throw new Error(`stack ${stack}: coexist:exchange is not a simulator; a real MX cutover is a DNS change (docs/runbook/04-mx-cutover.md)`);
  const stateFile = path.resolve(cwd, exchange.stateFile);
  if (!fs.existsSync(stateFile)) throw new Error(`${path.relative(cwd, stateFile)} does not exist: npm run rehearse -- init --stack ${stack}`);
  const target = back ? "source" : "exchange";
  new WorldStore(stateFile).update((w) => void (w.mx[domain] = target));
  return `MX of ${domain} now points at ${back ? "the source" : "Exchange Online"} in ${path.relative(cwd, stateFile)}`;
}

function arg(args: string[], name: string): string | undefined {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
}

if (require.main === module) {
  const [command, ...args] = process.argv.slice(2);
  const stack = arg(args, "--stack");
  try {
    if (!stack || (command !== "init" && command !== "mx-cutover")) {
      throw new Error("usage: npm run rehearse -- init --stack NAME [--others FILE] [--source-relay] [--force]\n       npm run rehearse -- mx-cutover --stack NAME [--back]");
    }
    const others = arg(args, "--others");
    const options = { ...(others ? { others } : {}), force: args.includes("--force"), sourceRelay: args.includes("--source-relay") };
    console.log(command === "init" ? init(stack, options) : mxCutover(stack, args.includes("--back")));
  } catch (e) {
    console.error(e instanceof InputError ? e.problems.map(formatProblem).join("\n") : (e as Error).message);
    process.exit(1);
  }
}
