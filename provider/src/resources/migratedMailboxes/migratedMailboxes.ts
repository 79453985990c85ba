import * as path from "node:path";
import { z } from "zod";
import { Command, SmtpAddress } from "../../exchange/command";
import { formatCommand } from "../../exchange/format";
import { logToResource, rootResourceUrn } from "../../host/engine";
import { urnOf } from "../previewCommands";
import { isNotFound } from "../../exchange/errors";
import { UserError } from "../../host/quietErrors";
import { Context } from "../context";
import { Definition } from "../definition";
import { join, leave } from "../groupMembers";
import * as vendor from "../migratedMailbox/vendorSteps";
import { programRan } from "../cleanupGuard";
import { released } from "../vendorLedger";
import { askOf, commandsOf, PlannedUser, Step, tenantAddressOf, UserRecord, UserSettings } from "./userPlan";
import { projectRoot } from "../../projectRoot";
import { clearedForward, KeptForward, KeptForwards } from "./keptForwards";
import { sourceOf, type Memory } from "./sources";
import { removalRow } from "./sources/vendor";
import { packSteps, packUsers, unpackSteps, unpackUsers } from "./packed";

/**
 * Every user of the stack in one resource (issue 24): the number of Pulumi resources does not
 * grow with the number of users, and each run does exactly the steps the program worked out
 * from the live tenant and source and the safety gate checked (userPlan.ts), handed over as
 * `steps`. Nothing here decides from Pulumi's saved state what a user needs; the state keeps
 * only what the config declared. The users' own forwards coexist replaced, which the live world
 * cannot tell later, are kept in a file the gate reads (keptForwards.ts, `keptFile`).
 */
const key = SmtpAddress.transform((s) => s.toLowerCase());
export const MigratedMailboxesInputs = UserSettings.extend({
  /** Every declared user (in a wave, rolled back or not), by primary address; packed (packed.ts) or a map. */
  users: z.preprocess(unpackUsers, z.record(key, UserRecord)),
  /** This run's plan: the users with something to do, each with their steps in order; packed or a map. */
  steps: z.preprocess(unpackSteps, z.record(key, z.array(Step))).default({}),
  /** This run's kept forwards, as the gate proved them: a migrating user's own (kept before the forward replaces it), a rollback's (put back). */
  kept: z.record(key, KeptForward).default({}),
  /** The stack's file of kept forwards, relative to the project (forwards/<stack>.json). Absent in a state from before it. */
  keptFile: z.string().min(1).optional(),
});
export type MigratedMailboxesInputs = z.output<typeof MigratedMailboxesInputs>;
/** State: the settings and the users, packed (a map in a state written before packed.ts). */
export type MigratedMailboxesOutputs = Omit<MigratedMailboxesInputs, "steps" | "kept" | "users"> & {
  users: string | Record<string, UserRecord>;
  /** A state from before keptFile: ForwardingAddress values coexist cleared, by user (moved into the file by the next run). */
  saved?: Record<string, string>;
  /** ForwardingAddress values that could not be put back (their recipient is gone), by user: shown by status. */
  notRestored?: Record<string, string>;
};

const userOf = (i: Pick<MigratedMailboxesInputs, "users">, email: string, kept?: KeptForward): PlannedUser => ({ emailAddress: email, ...i.users[email]!, ...(kept ? { kept } : {}) });

/** The users' map of inputs or state, packed or not (packed.ts). */
export const usersIn = (o: { users: unknown }): Record<string, UserRecord> => (unpackUsers(o.users) ?? {}) as Record<string, UserRecord>;

/** Inputs as they travel and as state keeps them: the users and the plan packed (packed.ts). */
export const wireOf = (i: MigratedMailboxesInputs): Record<string, unknown> => ({ ...i, users: packUsers(i.users), steps: packSteps(i.steps) });

/** Every user's commands in order, for the change review (`npm run plan`) and preview. */
export function plannedCommands(i: MigratedMailboxesInputs): { user: string; steps: Step[]; commands: Command[]; asks: string[] }[] {
  return Object.keys(i.steps)
    .filter((u) => i.users[u] && i.steps[u]!.length > 0)
    .sort()
    .map((u) => {
      const user = userOf(i, u, i.kept[u]);
      const steps = i.steps[u]!;
      return {
        user: u,
        steps,
        commands: steps.flatMap((s) => commandsOf(i, user, s)),
        asks: steps.map((st) => askOf(i, user, st)).filter((a): a is string => a !== undefined),
      };
    });
}

/**
 * A partial run: the engine records `properties` as the resource's state and prints `reasons`
 * (pulumi's dynamic provider grpcResponseFromError: ErrorResourceInitFailed), so what finished is
 * kept and what did not is said.
 */
class PartialFailure extends UserError {
  readonly reasons: string[];
  constructor(
    message: string,
    readonly id: string,
    readonly properties: Record<string, unknown>,
  ) {
    super(message);
    this.reasons = [message];
  }
}

async function tenantAddress(ctx: Context, s: UserSettings, u: PlannedUser, add: boolean): Promise<void> {
  const [c] = commandsOf(s, u, add ? "addAddress" : "dropAddress");
  if (!c) return;
  try {
    await ctx.exchange.run(c);
  } catch (e) {
    if (add || !isNotFound(e)) throw e; // removing from a mailbox that is gone: nothing to undo
  }
}

/** Runs one user's steps in order; the first failure stops the user (the next run re-plans from live). */
async function runUser(ctx: Context, s: UserSettings, u: PlannedUser, steps: readonly Step[], memory: Memory): Promise<void> {
  const membership = { group: s.group, emailAddress: u.emailAddress };
  const pending = s.routing === "pendingGroup";
  for (const step of steps) {
    switch (step) {
      case "takeOver":
        await (pending ? leave(ctx.exchange, membership) : join(ctx.exchange, membership));
        break;
      case "handBack":
        if (s.source === "vendor" && !released(await vendor.stateOf(ctx.config.vendor, u.emailAddress))) {
          // Defence in depth: the plan never hands a vendor user back before the removal is confirmed.
          throw new UserError(`MigratedMailboxes ${u.emailAddress}: the vendor has not confirmed removing the forward to ${u.forwardTo}; back in the coexistence rule's reach while maybe still forwarded the user's mail would loop`);
        }
        await (pending ? join(ctx.exchange, membership) : leave(ctx.exchange, membership));
        break;
      case "addAddress":
      case "dropAddress":
        await tenantAddress(ctx, s, u, step === "addAddress");
        break;
      default:
        await sourceOf(s).run(ctx, s, u, step, memory);
    }
  }
}

const NAMED = 10;
/** Users `pulumi preview` shows one by one; `npm run plan` lists every one. */
const SHOWN = 50;

/**
 * The preview's lines: the totals by change kind first, then each user with their steps'
 * cmdlets, grouped by change kind and sorted, at most SHOWN users.
 */
function reviewLines(i: MigratedMailboxesInputs): string[] {
  const actionOf = (u: string) => i.users[u]!.action;
  const planned = plannedCommands(i).sort((a, b) => actionOf(a.user).localeCompare(actionOf(b.user)) || a.user.localeCompare(b.user));
  const kinds = new Map<string, number>();
  for (const p of planned) kinds.set(actionOf(p.user), (kinds.get(actionOf(p.user)) ?? 0) + 1);
  const lines = planned.slice(0, SHOWN).flatMap((p) => [`  ${p.user} (${actionOf(p.user)}):`, ...p.commands.map((c) => `    ${formatCommand(c)}`), ...p.asks.map((a) => `    # ${a}`)]);
  if (planned.length > SHOWN) lines.push(`  and ${planned.length - SHOWN} more users: \`npx coexist plan\` (in the coexist checkout \`npm run plan\`) lists every cmdlet`);
  const totals = [...kinds].map(([k, n]) => `${k} ${n}`).join(" · ");
  return [`  ${planned.length} user${planned.length === 1 ? "" : "s"} to change: ${totals}`, ...lines];
}

/** How often a long run says how far it is, on its line in Pulumi's display. */
const PROGRESS_MS = 5000;

/**
 * Users done / to do, every PROGRESS_MS on the resource's line in Pulumi's display (an ephemeral
 * status, not a diagnostic): a wave of thousands is minutes of work, never a silent spinner.
 */
function progress(total: number): { done(): void; stop(): void } {
  let done = 0;
  let urn: Promise<string | undefined> | undefined;
  const say = async () => {
    urn ??= rootResourceUrn().then((root) => (root ? urnOf(root, "MigratedMailboxes", "users") : undefined));
    const u = await urn;
    if (u) await logToResource(u, `coexist: ${done.toLocaleString("en-US")} of ${total.toLocaleString("en-US")} users done`, "info", 5000, true);
  };
  const timer = total > 0 ? setInterval(() => void say(), PROGRESS_MS) : undefined;
  timer?.unref();
  return { done: () => void done++, stop: () => clearInterval(timer) };
}

/** Runs every planned user side by side over the pools; a failure of some leaves the others done and says which. */
async function runPlan(ctx: Context, i: MigratedMailboxesInputs, memory: Memory): Promise<MigratedMailboxesOutputs> {
  const users = Object.keys(i.steps).filter((u) => i.users[u] && i.steps[u]!.length > 0).sort();
  const shown = progress(users.length);
  const results = await Promise.allSettled(users.map((u) => runUser(ctx, i, userOf(i, u, i.kept[u]), i.steps[u]!, memory).finally(shown.done))).finally(shown.stop);
  const { steps: _done, kept: _kept, ...declared } = i;
  const outs: MigratedMailboxesOutputs = {
    ...declared,
    users: packUsers(i.users),
    ...(Object.keys(memory.notRestored).length > 0 ? { notRestored: memory.notRestored } : {}),
  };
  const failed = results.flatMap((r, n) => (r.status === "rejected" ? [{ user: users[n]!, reason: r.reason as unknown }] : []));
  if (failed.length === 0) return outs;
  const text = (e: unknown) => (e instanceof Error ? e.message : String(e));
  const lines = failed.slice(0, NAMED).map((f) => `  ${f.user}: ${text(f.reason)}`);
  throw new PartialFailure(
    [
      `coexist: ${failed.length} of ${users.length} users did not finish (${users.length - failed.length} did); \`pulumi up\` again re-plans each from the live tenant and source:`,
      ...lines,
      ...(failed.length > NAMED ? [`  and ${failed.length - NAMED} more`] : []),
    ].join("\n"),
    "users",
    outs,
  );
}

/** The file of kept forwards, absolute: the project's (`keptFile`), none in a state from before it. */
const keptFileOf = (o: Pick<MigratedMailboxesOutputs, "keptFile">): string | undefined => (o.keptFile ? path.resolve(projectRoot(), o.keptFile) : undefined);

/**
 * What the run remembers. A state from before the file kept cleared ForwardingAddress values in
 * `saved`: they move into the file, so the next run's gate sees them (and puts them back then,
 * once proved: the unforward step also restores a kept forward not back yet).
 */
function memoryOf(at: Pick<MigratedMailboxesOutputs, "keptFile">, olds?: Partial<MigratedMailboxesOutputs>): Memory {
  const file = keptFileOf(at);
  const kept = file ? KeptForwards.of(file) : KeptForwards.inMemory([]);
  for (const [u, fa] of Object.entries(olds?.saved ?? {})) {
    if (!kept.get(u)) kept.keep(u, clearedForward(fa));
  }
  return { kept, notRestored: { ...(olds?.notRestored ?? {}) } };
}

export const migratedMailboxes: Definition<typeof MigratedMailboxesInputs, MigratedMailboxesOutputs> = {
  name: "MigratedMailboxes",
  resourceName: () => "users",
  inputs: MigratedMailboxesInputs,
  replaceOn: [],
  deleteBeforeReplace: false,
  wire: (i) => wireOf(i),
  compare: {
    // The same users packed or not (a state written before packed.ts holds a map).
    users: (a, b) => a === b || packUsers(usersIn({ users: a })) === packUsers(usersIn({ users: b })),
    // This run's plan: any step is a change; none (or absent in state) is none.
    steps: (a, b) => Object.keys(unpackSteps(a) ?? {}).length === 0 && Object.keys(unpackSteps(b) ?? {}).length === 0,
    // The kept forwards travel with the steps that use them: alone they change nothing.
    kept: () => true,
  },
  plan: {
    create: (news) => plannedCommands(news).flatMap((p) => p.commands),
    update: (_olds, news) => plannedCommands(news).flatMap((p) => p.commands),
    delete: (olds) => cleanupPlan(olds).flatMap((p) => p.commands),
  },
  asks: {
    create: (news) => plannedCommands(news).flatMap((p) => p.asks),
    update: (_olds, news) => plannedCommands(news).flatMap((p) => p.asks),
    delete: (olds) => cleanupPlan(olds).flatMap((p) => p.asks),
  },

  review: (news) => reviewLines(news),

  async create(ctx, inputs) {
    return { id: "users", outs: await runPlan(ctx, inputs, memoryOf(inputs)) };
  },

  // Nothing to refresh: every run plans from the live tenant and source, not from this state.
  async read(_ctx, _id, outs) {
    return outs;
  },

  async update(ctx, _id, olds, news) {
    return runPlan(ctx, news, memoryOf(news, olds));
  },

  /**
   * `pulumi destroy` (the post-MX cleanup, guarded by cleanupGuard.ts): every migrated user's
   * source forward goes (with a cleared ForwardingAddress put back), then the routing subdomain
   * address. The memberships stay: in migratedGroup a user stays a member until the group goes,
   * after the rules; in pendingGroup migrated users never rejoin. A vendor's users get a removal
   * row; their addresses stay while the vendor may still forward (docs/runbook/vendor.md).
   */
  async delete(ctx, _id, outs) {
    if (programRan()) return; // an up never drops this resource; nothing to undo from a rename
    const memory = memoryOf(outs, outs);
    const users = { users: usersIn(outs) };
    const migrated = Object.entries(users.users).filter(([, r]) => r.action === "migrate").map(([u]) => userOf(users, u));
    const kind = sourceOf(outs);
    const results = await Promise.allSettled(
      migrated.map(async (u) => {
        await kind.cleanup(ctx, outs, u, memory);
        // A vendor may still forward to the routing address until it confirms: the address stays (docs/runbook/vendor.md).
        if (outs.source !== "vendor" && tenantAddressOf(outs, u)) await tenantAddress(ctx, outs, u, false);
      }),
    );
    const failed = results.filter((r): r is PromiseRejectedResult => r.status === "rejected");
    if (failed.length > 0) throw failed[0]!.reason;
  },
};

/** The cleanup's commands per user, for the change review of `pulumi destroy`. */
export function cleanupPlan(o: MigratedMailboxesOutputs): { user: string; commands: Command[]; asks: string[] }[] {
  const kind = sourceOf(o);
  const memory = memoryOf(o, { ...o, saved: {} });
  const keptOf = (u: string) => memory.kept.get(u) ?? (o.saved?.[u] ? clearedForward(o.saved[u]!) : undefined);
  const users = { users: usersIn(o) };
  return Object.entries(users.users)
    .filter(([, r]) => r.action === "migrate")
    .map(([u]) => {
      const user = userOf(users, u, keptOf(u));
      if (o.source === "vendor") return { user: u, commands: [], asks: [removalRow(user)] };
      return { user: u, commands: [...kind.cleanupCommands(o, user), ...commandsOf(o, user, "dropAddress")], asks: [] };
    })
    .sort((a, b) => a.user.localeCompare(b.user));
}
