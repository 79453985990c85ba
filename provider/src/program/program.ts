import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import {
  AcceptedDomainRelay,
  CloudOnlyRecipient,
  CoexistenceRule,
  MigratedMailboxes,
  MigratedUsersGroup,
  PartnerConnector,
  SourceBypassRule,
} from "../resources/classes";
import { failureLines, preflight } from "../preflight/preflight";
import { PoolSettings } from "../config/provider";
import { projectRoot } from "../projectRoot";
import { definitions } from "../resources/handlers";
import { SharedInputs } from "../safety/desired";
import { evaluate, formatRefusal, GateInput, GateResult } from "../safety/gate";
import { liveSnapshot } from "../safety/live";
import { InputError, Problem } from "../waves/problems";
import { refuseRehearsalEnvironment } from "./environment";
import { groupAddressOf, groupNameOf, rawConfig, readStackConfig, StackConfig } from "../config/stack";
import { checkCloudOnly, MigratedUser, sourceUsersOf, splitRollback, usersFromWaves } from "./users";
import { stackFileOf } from "../config/locate";
import { sourceKindOf } from "../exchange/targets";
import { released, statesIn, vendorFiles, writeWorksheet, type VendorFiles, type VendorState } from "../resources/vendorLedger";
import { vendorSource } from "../snapshot/vendorSource";
import { tenantAddressOf, type Step, type UserRecord, type UserSettings } from "../resources/migratedMailboxes/userPlan";
import { keptForwardsPath, readKeptForwards, type KeptForward } from "../resources/migratedMailboxes/keptForwards";
import { domainOf } from "../exchange/addresses";
import { packSteps, packUsers } from "../resources/migratedMailboxes/packed";
import { usersIn } from "../resources/migratedMailboxes/migratedMailboxes";

export interface Inputs {
  config: StackConfig;
  /** Users to migrate (in a wave, not rolled back). */
  users: MigratedUser[];
  /** Users in a wave and in coexist:rollback. */
  rolledBack: MigratedUser[];
  /** pendingGroup (and a vendor source): every source user (coexist:sourceUsers), sorted. */
  sourceUsers?: string[];
  /** A vendor source: the ledger's state per user, and the rolled-back users still waiting for the vendor. */
  vendor?: { name: string; files: VendorFiles; states: ReadonlyMap<string, VendorState>; waiting: MigratedUser[] };
  /** The users' own forwards coexist replaced (resources/migratedMailboxes/keptForwards.ts), and their file relative to the project. */
  kept?: { file: string; forwards: ReadonlyMap<string, KeptForward> };
}

/** The stack a stack file is for (stacks/Pulumi.<stack>.yaml). */
const stackOfFile = (stackFile: string): string => /^Pulumi\.(.+)\.ya?ml$/.exec(path.basename(stackFile))?.[1] ?? "stack";

/** The vendor's name as `up` and `status` say it: the target's, or a rehearsal's coexist:vendor.name. */
export const vendorNameOf = (config: StackConfig): string => (config.source.kind === "vendor" ? config.source.name : (config.vendor?.name ?? "the vendor"));

/**
 * A vendor source: the ledger and the vendor's confirmations (problems name file and line). A
 * rolled-back user whose removal is not confirmed is still waiting: declared with
 * vendorRemoval "requested", so the membership stays until the vendor confirms.
 */
function vendorInputs(config: StackConfig, projectDir: string, stackFile: string, rolledBack: MigratedUser[], problems: Problem[]): Inputs["vendor"] {
  if (sourceKindOf(config.source) !== "vendor") return undefined;
  const files = vendorFiles(config.vendor, projectDir, stackOfFile(stackFile));
  const states = statesIn(files, problems, path.relative(projectDir, files.confirmed) || files.confirmed);
  return { name: vendorNameOf(config), files, states, waiting: rolledBack.filter((u) => !released(states.get(u.emailAddress))) };
}

/** Reads and checks the whole input (config and every wave) before anything is declared. */
export function loadInputs(get: (key: string) => string | undefined, projectDir: string, stackFile: string): Inputs {
  const problems: Problem[] = [];
  const shown = path.relative(projectDir, stackFile) || stackFile;
  const config = readStackConfig(rawConfig(get), stackFile, problems, shown);
  const all = config ? usersFromWaves(config, projectDir, stackFile, problems, shown) : [];
  const sourceUsers = config ? sourceUsersOf(config, projectDir, stackFile, problems, shown).sort() : [];
  if (config) checkCloudOnly(config, all, sourceUsers, stackFile, problems, shown);
  if (problems.length > 0 || !config) throw new InputError(problems);
  const split = splitRollback(config, all);
  const vendor = vendorInputs(config, projectDir, stackFile, split.rolledBack, problems);
  if (problems.length > 0) throw new InputError(problems);
  const keptFile = keptForwardsPath(projectDir, stackOfFile(stackFile));
  const kept = { file: path.relative(projectDir, keptFile), forwards: readKeptForwards(keptFile) };
  return { config, ...split, sourceUsers, ...(vendor ? { vendor } : {}), kept };
}

export { groupAddressOf };

const pendingModel = (config: StackConfig) => config.routing === "pendingGroup";

/** `{ tenantAddress }` when the user's routing address is in a subdomain of the shared domain (the plan's own rule, userPlan.ts). */
const withTenantAddress = (config: StackConfig, u: MigratedUser): { tenantAddress?: string } => {
  const a = tenantAddressOf({ domain: config.domain }, u);
  return a ? { tenantAddress: a } : {};
};

/** The shared objects' inputs: what the program declares and what the safety gate models. */
export function sharedInputs(config: StackConfig, sourceUsers: string[] = [], owner?: string): SharedInputs {
  const groupAddress = groupAddressOf(config);
  const pending = pendingModel(config);
  // Each object this stack creates carries its owner's marker (resources/ownership.ts).
  const o = owner ? { owner } : {};
  return {
    relay: { domain: config.domain, matchSubDomains: config.matchSubDomains },
    group: { name: groupNameOf(config), primarySmtpAddress: groupAddress, managedBy: config.groupOwners, ...(pending ? { pending: sourceUsers } : {}), ...o },
    connector: { name: config.names.connector, smartHosts: config.smartHosts, comment: `TransportRule Scoped Connector for shared namespace ${config.domain}`, ...o },
    coexistenceRule: pending
      ? { name: config.names.coexistenceRule, connector: config.names.connector, sentToMemberOf: groupAddress, comments: "Redirect in-org mail for members of a specific group (users still at the source) to the Foreign Server", ...o }
      : { name: config.names.coexistenceRule, connector: config.names.connector, exceptMembersOf: groupAddress, ...o },
    bypassRule: { name: config.names.bypassRule, senderIpRanges: config.sourceIpRanges, ...o },
  };
}

/** The owner marker's text for this stack: `<project>/<stack>` (resources/ownership.ts). */
export const stackOwner = (): string => `${pulumi.getProject()}/${pulumi.getStack()}`;

/** What this run changes, for the safety gate. */
export function gateInput(inputs: Inputs): GateInput {
  const { config } = inputs;
  const kind = sourceKindOf(config.source);
  const waiting = new Set(inputs.vendor?.waiting.map((u) => u.emailAddress));
  const common = (u: MigratedUser) => ({
    email: u.emailAddress,
    ...(kind !== "exchange" ? { source: kind } : {}),
    ...(inputs.vendor ? { vendor: inputs.vendor.name } : {}),
    ...(u.sourceIdentity ? { sourceIdentity: u.sourceIdentity } : {}),
    ...(u.proxyAddress ? { proxyAddress: u.proxyAddress } : {}),
    deliverToMailboxAndForward: config.deliverToMailboxAndForward,
    clearForwardingAddress: config.clearForwardingAddress,
    ...withTenantAddress(config, u),
    wave: u.wave,
  });
  return {
    domain: config.domain,
    groupAddress: groupAddressOf(config),
    shared: sharedInputs(config, inputs.sourceUsers),
    users: [
      ...inputs.users.map((u) => ({ ...common(u), action: "migrate" as const, forwardTo: u.forwardTo })),
      ...inputs.rolledBack.map((u) => {
        const kept = inputs.kept?.forwards.get(u.emailAddress.toLowerCase());
        return { ...common(u), action: waiting.has(u.emailAddress) ? ("wait" as const) : ("rollback" as const), forwardTo: u.forwardTo, ...(kept ? { kept } : {}) };
      }),
    ],
    acknowledged: config.acknowledge,
    routing: config.routing,
    cloudOnly: config.cloudOnly,
    userSettings: userSettingsOf(config),
    ...(inputs.kept ? { keptFile: inputs.kept.file } : {}),
  };
}

/** What holds for every user: the gate's plan and the MigratedMailboxes resource take the same. */
export function userSettingsOf(config: StackConfig): UserSettings {
  const kind = sourceKindOf(config.source);
  return {
    domain: config.domain,
    group: groupAddressOf(config),
    ...(pendingModel(config) ? { routing: "pendingGroup" as const } : {}),
    deliverToMailboxAndForward: config.deliverToMailboxAndForward,
    clearForwardingAddress: config.clearForwardingAddress,
    ...(kind === "google-workspace"
      ? { source: kind, disposition: config.deliverToMailboxAndForward ? ("leaveInInbox" as const) : config.google.disposition, ...(config.google.removeForwardingAddress ? {} : { keepForwardingAddress: true as const }) }
      : kind === "vendor"
        ? { source: kind }
        : {}),
  };
}

/** Domains whose MX routing depends on: the shared one and each routing address's. */
export const routingDomains = (inputs: Inputs): string[] => [
  ...new Set([inputs.config.domain, inputs.config.tenant, ...inputs.users.map((u) => u.forwardTo.slice(u.forwardTo.lastIndexOf("@") + 1))]),
];

/** The live snapshot and the gate's verdict on this run. */
/**
 * The live snapshot the gate and `status` read. A vendor's side is the stack's own: its users
 * (coexist:sourceUsers and everyone in a wave) with the ledger's forwarding.
 */
export function snapshotOf(inputs: Inputs) {
  const { config } = inputs;
  const vendor = inputs.vendor && vendorSource(config.domain, inputs.vendor.name, [...(inputs.sourceUsers ?? []), ...inputs.users.map((u) => u.emailAddress), ...inputs.rolledBack.map((u) => u.emailAddress)], inputs.vendor.states);
  // Where kept forwards go back to: their MX says whether the mail leaves both systems.
  const outside = [...(inputs.kept?.forwards.values() ?? [])].flatMap((k) => [k.kind === "gmail" ? k.emailAddress : k.forwardingSmtpAddress].filter((a): a is string => Boolean(a)).map(domainOf));
  return liveSnapshot(config, routingDomains(inputs), [groupAddressOf(config)], vendor, [...new Set(outside)]);
}

export async function checkMailFlow(inputs: Inputs): Promise<{ result: GateResult; reads: { count: number; ms: number }; checkMs: number }> {
  const snapshot = await snapshotOf(inputs);
  const t0 = Date.now();
  const result = evaluate(snapshot, gateInput(inputs));
  return { result, reads: snapshot.reads, checkMs: Date.now() - t0 };
}

/**
 * The coexist program: the shared objects of seed 2's recipe, then one MigratedMailbox per
 * user in the waves. Names are plain values from config, so dependencies are explicit.
 */
export function coexistence(): Promise<Record<string, unknown>> {
  const projectDir = projectRoot();
  const stackFile = stackFileOf(projectDir, pulumi.getStack());
  const cfg = new pulumi.Config("coexist");
  refuseRehearsalEnvironment(pulumi.getStack(), (k) => cfg.get(k), projectDir);
  let inputs: ReturnType<typeof loadInputs>;
  try {
    inputs = loadInputs((k) => cfg.get(k), projectDir, stackFile);
  } catch (e) {
    // A RunError prints just the message: the list of file:line:column problems.
    if (e instanceof InputError) throw new pulumi.RunError(e.message);
    throw e;
  }
  return ready(inputs)
    .then(() => gate(inputs))
    .then((result) => {
      // The worksheet drops the rows confirmed since the last up: a request the provider repeats
      // adds no row and redraws nothing (vendorLedger.ts request). Not at preview: it writes nothing.
      if (inputs.vendor && !pulumi.runtime.isDryRun()) writeWorksheet(inputs.vendor.files);
      return declare(inputs, result);
    });
}

/**
 * Preflight (preflight/preflight.ts) at `pulumi preview`, and so at the start of `pulumi up`,
 * when a target is real: a missing pwsh, module, permission or a wrong certificate password is
 * named with its fix before anything else runs. A rehearsal on the simulators skips it.
 */
async function ready(inputs: Inputs): Promise<void> {
  const { exchange, source } = inputs.config;
  if (!pulumi.runtime.isDryRun() || (exchange.kind === "simulator" && source.kind === "simulator")) return;
  const checks = await preflight({ exchange, source, mail: { domain: inputs.config.domain, smartHosts: inputs.config.smartHosts } }, { connectTimeoutMs: PoolSettings.parse(inputs.config.pool ?? {}).connectTimeoutSeconds * 1000 });
  const failures = failureLines(checks);
  if (failures.length > 0) {
    const stack = pulumi.getStack();
    throw new pulumi.RunError([`coexist: stack ${stack} is not ready for a real run (npm run preflight -- --stack ${stack} shows every check):`, ...failures.map((f) => `  ${f}`)].join("\n"));
  }
}

/**
 * The mail-flow safety gate, before anything is declared: at `pulumi preview` (so before any
 * write) and again at the start of `pulumi up`. A refusal is a RunError: the CLI prints its
 * lines once, and the engine runs no resource operation.
 */
async function gate(inputs: Inputs): Promise<GateResult> {
  const { result, reads, checkMs } = await checkMailFlow(inputs);
  for (const w of result.warnings) pulumi.log.warn(w.message);
  for (const n of result.notices) pulumi.log.info(n);
  for (const u of inputs.vendor?.waiting ?? []) {
    const s = inputs.vendor!.states.get(u.emailAddress);
    const asked = s?.latest.action === "remove" ? ` (requested ${s.latest.time})` : " (requested in this run)";
    pulumi.log.warn(
      `${u.emailAddress}: rolled back, waiting for ${inputs.vendor!.name} to remove the forward to ${u.forwardTo}${asked} in the worksheet; ${u.emailAddress} stays out of the coexistence rule's reach (${groupAddressOf(inputs.config)}) until the confirmations file (coexist:vendor.confirmed) lists the removal`,
    );
  }
  if (result.refusals.length > 0) throw new pulumi.RunError(formatRefusal(result, pulumi.getStack()));
  const checked = `coexist: mail flow checked for ${result.homes.size} users (${reads.count} reads in ${reads.ms} ms, checked in ${checkMs} ms)`;
  // The clean line only when it is true of every user: a live problem the run leaves alone (an
  // acknowledged user, a forward the owner set) is not "no loop in any state".
  pulumi.log.info(
    result.warnings.length === 0
      ? `${checked}: no loop, bounce or misdelivery in any state this run can reach`
      : `${checked}: nothing this run does makes a user's mail loop, bounce or land where the user does not live; ${result.warnings.length} live problem${result.warnings.length === 1 ? "" : "s"} it leaves alone ${result.warnings.length === 1 ? "is" : "are"} shown above`,
  );
  return result;
}

/** The name a resource gets: its definition's (definitions in resources/handlers.ts). */
const nameOf = (kind: keyof typeof definitions, inputs: Record<string, unknown>): string => (definitions[kind].resourceName as (i: Record<string, unknown>) => string)(inputs);

async function declare({ config, users, rolledBack, sourceUsers = [], vendor, kept }: Inputs, { steps, kept: keptNow }: Pick<GateResult, "steps" | "kept">): Promise<Record<string, unknown>> {
  // Declared after an await: each resource's stack trace (kept in state) is then this
  // function's frames only, which keeps every state entry small.
  await Promise.resolve();

  const shared = sharedInputs(config, sourceUsers, stackOwner());
  const pending = pendingModel(config);
  const groupAddress = groupAddressOf(config);
  // Dependencies give seed 2's cleanup order on destroy (dependents go first): rules, then
  // the connector, then the group, then the domain back to Authoritative. Creation runs the
  // other way round. Per-user resources depend on the group.
  const relay = new AcceptedDomainRelay(nameOf("acceptedDomainRelay", shared.relay), shared.relay);
  const group = new MigratedUsersGroup(nameOf("migratedUsersGroup", shared.group), shared.group, { dependsOn: [relay] });
  const connector = new PartnerConnector(nameOf("partnerConnector", shared.connector), shared.connector, { dependsOn: [group] });
  // migratedGroup: the cloud-only recipients are members before the rule can route their mail
  // out (and, on destroy, stay members until it has gone). pendingGroup needs nothing: they are
  // never in the group.
  const cloudOnly = pending
    ? []
    : config.cloudOnly.map((a) => new CloudOnlyRecipient(nameOf("cloudOnlyRecipient", { emailAddress: a }), { emailAddress: a, group: groupAddress }, { dependsOn: [group] }));
  new CoexistenceRule(nameOf("coexistenceRule", shared.coexistenceRule), shared.coexistenceRule, { dependsOn: [connector, ...cloudOnly] });
  new SourceBypassRule(nameOf("sourceBypassRule", shared.bypassRule), shared.bypassRule, { dependsOn: [connector] });

  // Every user in one resource, with this run's plan (the steps the gate checked), dependent on
  // the group: on destroy the users' forwards go before the group does.
  const waiting = new Set(vendor?.waiting.map((u) => u.emailAddress));
  const record = (u: MigratedUser, action: UserRecord["action"]): UserRecord => ({
    forwardTo: u.forwardTo,
    ...(u.sourceIdentity ? { sourceIdentity: u.sourceIdentity } : {}),
    ...(u.proxyAddress ? { proxyAddress: u.proxyAddress } : {}),
    action,
  });
  const declared: Record<string, UserRecord> = {};
  for (const u of users) declared[u.emailAddress] = record(u, "migrate");
  for (const u of rolledBack) declared[u.emailAddress] = record(u, waiting.has(u.emailAddress) ? "wait" : "rollback");
  // The kept forwards of the users with steps: what the gate proved this run keeps or puts back.
  const keeps = Object.fromEntries([...keptNow].filter(([u]) => (steps.get(u) ?? []).length > 0).sort(([a], [b]) => a.localeCompare(b)));
  // Passed packed (packed.ts): a 10,000-entry map took the SDK seconds to serialize, and the engine and the provider as long again.
  const all = new MigratedMailboxes(
    nameOf("migratedMailboxes", {}),
    { ...userSettingsOf(config), users: packUsers(declared), steps: packSteps(Object.fromEntries(steps)), kept: keeps, ...(kept ? { keptFile: kept.file } : {}) },
    { dependsOn: [group] },
  );
  // Counted from the resource's own outputs, which resolve only once it is applied: the outputs of
  // a failed up are never recorded (the last completed up's stay), so they never report a
  // declared user as migrated.
  const waveOf = new Map(users.map((u) => [u.emailAddress.toLowerCase(), u.wave]));
  const applied = all.users.apply((m) => Object.entries(usersIn({ users: m })).filter(([, r]) => r.action === "migrate").map(([a]) => a));
  const migrated = applied.apply((a) => a.length);
  const waves = applied.apply((a) => {
    const perWave: Record<string, number> = {};
    for (const e of a) {
      const w = waveOf.get(e.toLowerCase()) ?? "?";
      perWave[w] = (perWave[w] ?? 0) + 1;
    }
    return perWave;
  });
  return { domain: config.domain, migratedUsers: migrated, rolledBackUsers: rolledBack.length, waves };
}
