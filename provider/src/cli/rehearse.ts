import * as fs from "node:fs";
import * as path from "node:path";
import { parse } from "csv-parse/sync";
import { projectRoot } from "../projectRoot";
import { bare } from "../exchange/addresses";
import { sourceKindOf } from "../exchange/targets";
import { isConfirmed, isoSeconds, readConfirmations, readWorksheet, vendorFiles, worksheetCell, type WorksheetRow } from "../resources/vendorLedger";
import { namedBy } from "../simulator/lookup";
import { World } from "../simulator/model";
import { initialWorld, Scenario, tenantSmartHost } from "../simulator/scenario";
import { WorldStore } from "../simulator/store";
import { formatProblem, InputError, Problem, quote } from "../waves/problems";
import { stackInputs, stackValues } from "./stackValues";
import { configValue } from "../config/provider";
import { stackFileOf } from "../config/locate";
import { loadInputs } from "../program/program";
import { arg } from "./args";

/**
 * `npm run rehearse -- init --stack X [--others FILE] [--source-relay] [--force]` builds the simulated world a
 * rehearsal stack points at from the stack's own config and waves: its domain and tenant, every
 * user in a wave (plus the users of FILE, who stay on the source), a source reachable at the
 * stack's smart hosts and sending from its IP ranges, the routing subdomain its template uses,
 * and the credentials its secrets hold; with --source-relay the source relays recipients it does
 * not know to Exchange Online (seed 1's send connector). The source is what coexist:source imitates:
 * an Exchange organisation, a Google Workspace account or a vendor's system. `npm run rehearse --
 * mx-cutover --stack X [--back]` moves the shared domain's MX in that world, and `npm run rehearse
 * -- vendor-apply --stack X [--only N]` plays the vendor: it applies the stack's worksheet to the
 * world and records its confirmations. No JavaScript to write.
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
  // A vendor's users cannot be read from the vendor (`coexist source-users` has nothing to ask):
  // the list is the consultant's own, and the world is built from it.
  if (unwritten && (configValue(values, "source") as { imitates?: unknown } | undefined)?.imitates === "vendor") {
    throw new Error(`stack ${stack}: coexist:sourceUsers ${list} does not exist; with a vendor source write it from the vendor's list of users (a CSV with an EmailAddress column): nothing can read the vendor's system`);
  }
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
  const kind = sourceKindOf(config.source);
  const sourceKind = kind === "exchange" ? "exchange-onprem" : kind;
  if (sourceRelay && kind === "vendor") throw new Error(`stack ${stack}: --source-relay is a source's relay of recipients it does not know; this stack's source imitates a vendor, whose relaying is not modelled`);
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
  // Only an Exchange source checks a password; a Google key is not checked, and a vendor is never connected to.
  const username = config.source.kind === "simulator" && kind === "exchange" ? config.source.username : undefined;
  const scenario: Scenario = {
    domain,
    organization: config.tenant,
    users: [...new Set(users)].sort(),
    ...(sub ? { subdomain: `${sub.toLowerCase()}.${domain}` } : {}),
    ...(sourceKind !== "exchange-onprem" ? { sourceKind } : {}),
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
    `  ${scenario.users.length} users, each with ${SOURCE_SIDE[scenario.sourceKind ?? "exchange-onprem"]} and an Exchange Online mailbox; admin@${scenario.organization} in Exchange Online`,
    ...(scenario.sourceKind === "google-workspace" ? [`  a Google Workspace account with ${scenario.domain} as its primary domain and no domain alias`] : []),
    ...(scenario.sourceKind === "vendor" ? [`  the vendor's system, which coexist never reads: npm run rehearse -- vendor-apply --stack ${stack} applies the worksheet`] : []),
    ...(scenario.cloudOnly?.length ? [`  ${scenario.cloudOnly.length} cloud-only recipient${scenario.cloudOnly.length === 1 ? "" : "s"} (coexist:cloudOnly), in Exchange Online only: ${scenario.cloudOnly.map((a) => `${a}@${scenario.domain}`).join(", ")}`] : []),
    `  the source at ${scenario.sourceHosts!.join(", ")}, sending from ${scenario.sourceOutboundIps!.join(", ")}`,
    ...(scenario.sourceRelay ? [`  the source relays recipients it does not know in ${scenario.domain} (InternalRelay there) to ${tenantSmartHost(scenario.organization)}`] : []),
    ...(scenario.credentials ? ["  connects must present the stack's secrets"] : []),
  ].join("\n");
}

const SOURCE_SIDE: Record<World["source"]["kind"], string> = {
  "exchange-onprem": "a source mailbox",
  "google-workspace": "a Google user (no forwarding address, auto-forwarding off)",
  vendor: "a mailbox at the vendor",
};

export function mxCutover(stack: string, back: boolean, cwd = projectRoot()): string {
  const { exchange, domain } = stackInputs(stack, cwd).inputs.config;
  if (exchange.kind !== "simulator") throw new Error(`stack ${stack}: coexist:exchange is not a simulator; a real MX cutover is a DNS change (docs/runbook/04-mx-cutover.md)`);
  const stateFile = path.resolve(cwd, exchange.stateFile);
  if (!fs.existsSync(stateFile)) throw new Error(`${path.relative(cwd, stateFile)} does not exist: npm run rehearse -- init --stack ${stack}`);
  const target = back ? "source" : "exchange";
  new WorldStore(stateFile).update((w) => void (w.mx[domain] = target));
  return `MX of ${domain} now points at ${back ? "the source" : "Exchange Online"} in ${path.relative(cwd, stateFile)}`;
}

// ---- the vendor's part ------------------------------------------------------------------------

const mailboxNamed = (w: World, address: string) => {
  const named = namedBy(address);
  return w.source.mailboxes.find((m) => [m.PrimarySmtpAddress, ...m.EmailAddresses].some(named));
};

export interface VendorApplyFiles {
  stateFile: string;
  worksheet: string;
  confirmed: string;
}

/**
 * The vendor at work: applies the worksheet's rows not yet confirmed, in order (the first `only`
 * of them for a vendor that did part of the list), to the world's source mailboxes (add: forward
 * to ForwardTo; remove: no forward), then appends one `Mailbox,Action,ConfirmedAt` row per row
 * applied to the confirmations file, as the consultant would from the vendor's reply. A row the
 * confirmations already cover (same mailbox and action, ConfirmedAt at or after its Time, the
 * rule coexist reads them by) was done before and is skipped.
 */
export function applyWorksheet(files: VendorApplyFiles, options: { only?: number } = {}, cwd = process.cwd(), now = new Date()): string {
  const shown = (f: string) => path.relative(cwd, f) || f;
  if (!fs.existsSync(files.worksheet)) throw new Error(`${shown(files.worksheet)} does not exist: pulumi up writes the worksheet when a wave needs the vendor`);
  const problems: Problem[] = [];
  const rows = readWorksheet(files.worksheet, shown(files.worksheet), problems);
  const confirmations = readConfirmations(files.confirmed, shown(files.confirmed), problems);
  const store = new WorldStore(files.stateFile);
  const world = store.read();
  for (const r of rows) {
    if (!mailboxNamed(world, r.row.mailbox)) problems.push({ file: shown(files.worksheet), ...r.places.mailbox, message: `Mailbox ${quote(r.row.mailbox)} is no mailbox at the vendor (${shown(files.stateFile)})` });
  }
  if (problems.length > 0) throw new InputError(problems);

  const open = rows.filter((r) => !isConfirmed(r.row, confirmations));
  const apply = options.only === undefined ? open : open.slice(0, options.only);
  if (apply.length > 0) {
    store.update((w) => {
      for (const { row } of apply) mailboxNamed(w, row.mailbox)!.ForwardingSmtpAddress = row.action === "add" ? bare(row.forwardTo) : null;
    });
    const at = isoSeconds(now);
    let text = "";
    try {
      text = fs.readFileSync(files.confirmed, "utf8");
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== "ENOENT") throw e;
    }
    const lead = text.trim() === "" ? "Mailbox,Action,ConfirmedAt\n" : text.endsWith("\n") ? "" : "\n";
    fs.mkdirSync(path.dirname(files.confirmed), { recursive: true });
    fs.appendFileSync(files.confirmed, lead + apply.map(({ row }) => `${[row.mailbox, row.action, at].map(worksheetCell).join(",")}\n`).join(""));
  }
  const describe = ({ row }: WorksheetRow) => (row.action === "add" ? `${row.mailbox}: forwarding to ${row.forwardTo}` : `${row.mailbox}: forwarding to ${row.forwardTo} removed`);
  return [
    `the vendor applied ${apply.length} of the ${open.length} unconfirmed row${open.length === 1 ? "" : "s"} of ${shown(files.worksheet)} to ${shown(files.stateFile)}`,
    ...apply.map((r) => `  ${describe(r)} (line ${r.line})`),
    ...(apply.length > 0 ? [`  confirmed in ${shown(files.confirmed)} at ${isoSeconds(now)}`] : []),
    ...open.slice(apply.length).map((r) => `  not yet (--only ${options.only}): ${describe(r)} (line ${r.line})`),
    ...(rows.length > open.length ? [`  ${rows.length - open.length} row${rows.length - open.length === 1 ? "" : "s"} already confirmed, left as ${rows.length - open.length === 1 ? "it is" : "they are"}`] : []),
  ].join("\n");
}

/** `rehearse vendor-apply`: the stack's worksheet and confirmations (coexist:vendor, or worksheets/<stack>.csv and .confirmed.csv) against its world. */
export function vendorApply(stack: string, options: { only?: number } = {}, cwd = projectRoot(), now = new Date()): string {
  const { config } = stackInputs(stack, cwd).inputs;
  if (config.source.kind !== "simulator" || sourceKindOf(config.source) !== "vendor") {
    throw new Error(`stack ${stack}: coexist:source is not a simulator imitating a vendor (kind: simulator, imitates: vendor); a real vendor applies the worksheet itself`);
  }
  const { worksheet, confirmed } = vendorFiles(config.vendor, cwd, stack);
  return applyWorksheet({ stateFile: path.resolve(cwd, config.source.stateFile), worksheet, confirmed }, options, cwd, now);
}

const USAGE = ["init --stack NAME [--others FILE] [--source-relay] [--force]", "mx-cutover --stack NAME [--back]", "vendor-apply --stack NAME [--only N]"];

/**
 * One rehearse command (`init`, `mx-cutover` or `vendor-apply` and its options): what it did, to
 * print. `invokedAs` is how the usage names it (the repository's npm script, or the package's bin).
 */
export function main(argv: string[], cwd = projectRoot(), invokedAs = "npm run rehearse --"): string {
  const [command, ...args] = argv;
  const stack = arg(args, "--stack");
  if (!stack || (command !== "init" && command !== "mx-cutover" && command !== "vendor-apply")) throw new Error(`usage: ${USAGE.map((u) => `${invokedAs} ${u}`).join("\n       ")}`);
  if (command === "mx-cutover") return mxCutover(stack, args.includes("--back"), cwd);
  if (command === "vendor-apply") {
    const only = arg(args, "--only");
    if (only !== undefined && !/^\d+$/.test(only)) throw new Error(`--only takes a number of rows, not ${quote(only)}`);
    return vendorApply(stack, only === undefined ? {} : { only: Number(only) }, cwd);
  }
  const others = arg(args, "--others");
  return init(stack, { ...(others ? { others } : {}), force: args.includes("--force"), sourceRelay: args.includes("--source-relay") }, cwd);
}

if (require.main === module) {
  try {
    console.log(main(process.argv.slice(2)));
  } catch (e) {
    console.error(e instanceof InputError ? e.problems.map(formatProblem).join("\n") : (e as Error).message);
    process.exit(1);
  }
}
