import type * as dynamic from "@pulumi/pulumi/dynamic";
import { z } from "zod";
import { Command } from "../exchange/command";
import { ExchangeError } from "../exchange/errors";
import { quiet, UserError } from "../host/quietErrors";
import { cleanupAllowed, noteProgramRan, programRan, refusalFor } from "./cleanupGuard";
import { Context, context } from "./context";
import { Comparer, exact } from "./compare";
import { announce } from "./previewCommands";
import { unknownValue } from "@pulumi/pulumi/runtime/rpc";


/**
 * One coexistence object's whole lifecycle. Every resource has this same shape, so learning
 * one teaches the rest: zod inputs, which properties force a replacement, how each property
 * compares, and the Exchange commands for create/read/update/delete.
 */
export interface Definition<S extends z.ZodObject, O extends Record<string, unknown>> {
  /** Shown in messages, and the resource's type: pulumi-nodejs:dynamic:<name>, e.g. "PartnerConnector". */
  name: string;
  /** The name the program gives the resource (its URN's last part): fixed for a shared object, the user's address for a mailbox. */
  resourceName(inputs: z.output<S>): string;
  inputs: S;
  /** Properties Exchange cannot change in place: a change replaces the object. */
  replaceOn: ReadonlyArray<keyof z.output<S> & string>;
  /**
   * Whether the old object must go before its replacement comes: true when both would claim
   * the same unique thing (the same user's forwarding); false when a replacement has a new
   * name, so it can exist first and dependents move over before the old one is removed.
   */
  deleteBeforeReplace: boolean;
  /**
   * The inputs as the provider hands them back to the engine from check (and so as state keeps
   * them), when that differs from the parsed form: the users' map packed (migratedMailboxes/packed.ts).
   */
  wire?(inputs: z.output<S>): Record<string, unknown>;
  /** Comparison per property; the default is exact. */
  compare?: Partial<Record<keyof z.output<S> & string, Comparer>>;
  /**
   * The write cmdlets each operation runs, for change review (`npm run plan`). Creates read
   * first and adopt an identical object instead of creating it.
   */
  plan: {
    create(news: z.output<S>): Command[];
    update(olds: O, news: z.output<S>): Command[];
    delete(olds: O): Command[];
  };
  /**
   * What an operation asks of a person rather than a cmdlet (a vendor's worksheet rows), shown in
   * the change review beside the cmdlets.
   */
  asks?: {
    create(news: z.output<S>): string[];
    update(olds: O, news: z.output<S>): string[];
    delete(olds: O): string[];
  };
  /**
   * The lines `pulumi preview` shows for a create or update, when the flat list of cmdlets would
   * not read (one resource for many users: grouped per user, the count capped).
   */
  review?(news: z.output<S>, olds?: O): string[];
  /**
   * Before a create, at preview and at up alike: refuses (a UserError) when a same-named object
   * exists that this stack may not adopt (ownership.ts claim: another stack's, or unmarked and not
   * in coexist:adopt). Shared objects only; create checks the same again.
   */
  claim?(ctx: Context, inputs: z.output<S>): Promise<void>;
  /** Live properties (from read) that differ from what this resource always sets. */
  drift?(outs: O): string[];
  create(ctx: Context, inputs: z.output<S>): Promise<{ id: string; outs: O }>;
  /** What Exchange has now, or undefined when (and only when) Exchange says it is not found. */
  read(ctx: Context, id: string, outs: O): Promise<O | undefined>;
  update(ctx: Context, id: string, olds: O, news: z.output<S>): Promise<O>;
  delete(ctx: Context, id: string, outs: O): Promise<void>;
}

export type AnyDefinition = Definition<z.ZodObject, Record<string, unknown>>;

/** Whether a value holds the engine's placeholder for a value not known until apply (during preview). */
const hasUnknown = (v: unknown): boolean =>
  v === unknownValue || (Array.isArray(v) && v.some(hasUnknown)) || (typeof v === "object" && v !== null && Object.values(v).some(hasUnknown));

function withoutProvider(props: Record<string, unknown>): Record<string, unknown> {
  const { __provider: _ignored, ...rest } = props;
  return rest;
}

/** check: validate with zod, reporting every problem by property; unknowns pass until apply. */
export function check(def: AnyDefinition, news: Record<string, unknown>): dynamic.CheckResult {
  const given = withoutProvider(news);
  const parsed = def.inputs.safeParse(given);
  if (parsed.success) return { inputs: def.wire ? def.wire(parsed.data) : parsed.data };
  const failures = parsed.error.issues
    .filter((i) => !hasUnknown(given[String(i.path[0])]))
    .map((i) => ({ property: i.path.join(".") || "(inputs)", reason: `${def.name}: ${i.message}` }));
  return failures.length > 0 ? { inputs: given, failures } : { inputs: given };
}

/** diff: compare only declared properties, the way Exchange compares them. */
export function diff(def: AnyDefinition, olds: Record<string, unknown>, news: Record<string, unknown>): dynamic.DiffResult {
  const changed = Object.keys(def.inputs.shape).filter((key) => {
    const n = news[key];
    if (hasUnknown(n)) return true;
    const same = def.compare?.[key] ?? exact;
    return !same(olds[key], n);
  });
  const drifted = def.drift?.(olds) ?? [];
  const all = [...new Set([...changed, ...drifted])];
  const replaces = changed.filter((k) => def.replaceOn.includes(k));
  return {
    changes: all.length > 0,
    replaces,
    deleteBeforeReplace: replaces.length > 0 && def.deleteBeforeReplace,
  };
}

/** Rethrows an error; one meant for the user (Exchange's answer, a refusal, a conflict) without its stack trace. */
const reported = (e: unknown): never => {
  throw e instanceof ExchangeError || e instanceof UserError ? quiet(e) : e;
};

/** Why the engine may not create this object (definition.claim), or undefined. Other errors propagate. */
async function refusal(def: AnyDefinition, inputs: Record<string, unknown>): Promise<string | undefined> {
  if (!def.claim) return undefined;
  try {
    await def.claim(context(), inputs);
    return undefined;
  } catch (e) {
    if (e instanceof UserError) return e.message;
    return reported(e);
  }
}

/** The dynamic ResourceProvider for a definition: what the tiny serialized closure delegates to. */
export function handlerFor(def: AnyDefinition): Required<Omit<dynamic.ResourceProvider, "configure">> {
  const show = () => context().config.previewCommands;
  return {
    check: async (olds, news) => {
      noteProgramRan();
      const result = check(def, news);
      // No old inputs: the engine will create it. Refuse another stack's object, then say what that runs.
      if (Object.keys(withoutProvider(olds)).length === 0 && !result.failures && !hasUnknown(result.inputs)) {
        // Parsed again when check handed back the wire form (def.wire): plan and review read the parsed one.
        const inputs = (def.wire ? def.inputs.parse(result.inputs) : result.inputs) as Record<string, unknown>;
        const refused = await refusal(def, inputs);
        if (refused) return { inputs: result.inputs, failures: [{ property: "name", reason: refused }] };
        if (show()) await announce(def, inputs, "create", def.plan.create(inputs), def.asks?.create(inputs), def.review?.(inputs));
      }
      return result;
    },
    diff: async (_id, olds, news) => {
      const result = diff(def, olds, news);
      const n = withoutProvider(news);
      if (result.changes && !hasUnknown(n) && show()) {
        const o = withoutProvider(olds);
        const parsed = def.inputs.parse(n);
        if (result.replaces && result.replaces.length > 0) await announce(def, parsed, "replace", [...def.plan.delete(o), ...def.plan.create(parsed)], [...(def.asks?.delete(o) ?? []), ...(def.asks?.create(parsed) ?? [])]);
        else await announce(def, parsed, "update", def.plan.update(o, parsed), def.asks?.update(o, parsed), def.review?.(parsed, o));
      }
      return result;
    },
    create: async (inputs) => def.create(context(), def.inputs.parse(withoutProvider(inputs))).catch(reported),
    read: async (id, props) => {
      const outs = await def.read(context(), id, withoutProvider(props ?? {})).catch(reported);
      // A blank id tells refresh the object is gone; only a not-found answer gets here.
      return outs ? { id, props: outs } : { id: "" };
    },
    update: async (id, olds, news) => ({ outs: await def.update(context(), id, withoutProvider(olds), def.inputs.parse(withoutProvider(news))).catch(reported) }),
    delete: async (id, props) => {
      const ctx = context();
      // A delete with no program run is `pulumi destroy`: the post-MX cleanup, guarded.
      if (!programRan()) await cleanupAllowed(ctx).catch((e: unknown) => reported(refusalFor(e)));
      return def.delete(ctx, id, withoutProvider(props)).catch(reported);
    },
  };
}
