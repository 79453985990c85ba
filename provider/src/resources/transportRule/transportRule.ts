import { z } from "zod";
import {
  DisableTransportRule,
  EnableTransportRule,
  GetTransportRule,
  NewTransportRule,
  RemoveTransportRule,
  SetTransportRule,
  TransportRuleObject,
} from "../../exchange/cmdlets";
import { Context } from "../context";
import { Comparer, exact, scl } from "../compare";
import { Definition } from "../definition";
import { conflict, createOnce, getOne, removeIfPresent } from "../operations";
import { Claimed, mayAdopt, marked, mayDelete, ownerOf } from "../ownership";

type RuleParameters = Omit<Parameters<typeof NewTransportRule>[0], "Name" | "Enabled" | "Priority">;

/**
 * The shared lifecycle of coexist's transport rules. Each rule declares its inputs, how they map
 * to rule parameters, and how it reads back; enabled state goes through Enable-/Disable-
 * TransportRule (Set-TransportRule has no -Enabled). Priority is not managed: other rules in the
 * tenant own their order, and coexist's rules only set SCL or route.
 */
export interface RuleSpec<S extends z.ZodObject> {
  name: string;
  resourceName(inputs: z.output<S>): string;
  inputs: S;
  parameters(i: z.output<S>): RuleParameters;
  /** The declared inputs as Exchange reports them now. */
  observed(r: TransportRuleObject): Partial<z.output<S>>;
  compare: Partial<Record<keyof z.output<S> & string, Comparer>>;
  /** The stack config key that renames the rule, for ownership messages (ownership.ts). */
  rename: string;
}

/** `enabled` is what Exchange reports, so a rule disabled by hand shows as a change to repair. */
export type RuleOutputs<I> = I & { mode: string };

/** `owner`: the stack that owns the rule, `<project>/<stack>`; its marker ends the Comments (ownership.ts). */
type Base = { name: string; enabled: boolean; owner?: string };

function differs<I extends Record<string, unknown>>(spec: RuleSpec<z.ZodObject>, want: I, have: Partial<I>): string[] {
  return Object.keys(have)
    .filter((k) => k !== "enabled" && !((spec.compare as Record<string, Comparer>)[k] ?? exact)(have[k], want[k]))
    .map((k) => `${k} is ${JSON.stringify(have[k])}`);
}

export function transportRule<S extends z.ZodObject>(spec: RuleSpec<S>): Definition<S, RuleOutputs<z.output<S> & Base>> {
  type I = z.output<S> & Base;
  const outputs = (i: I, r: TransportRuleObject): RuleOutputs<I> => ({
    ...i,
    ...spec.observed(r),
    name: r.Name,
    enabled: r.State === "Enabled",
    mode: r.Mode,
  });
  const get = (ctx: Context, id: string) => getOne<TransportRuleObject>(ctx.exchange, GetTransportRule({ Identity: id }));
  const stateCommand = (identity: string, enabled: boolean) =>
    enabled ? EnableTransportRule({ Identity: identity, Mode: "Enforce" }) : DisableTransportRule({ Identity: identity, Confirm: false });
  const setState = async (ctx: Context, id: string, enabled: boolean) => ctx.exchange.run(stateCommand(id, enabled));
  // The rule's own Comments, with the owner's marker appended.
  const parameters = (i: I): RuleParameters => {
    const p = spec.parameters(i);
    return { ...p, Comments: marked(p.Comments, i.owner) };
  };
  const newRule = (i: I) => NewTransportRule({ Name: i.name, Enabled: i.enabled, ...parameters(i) });
  const setRule = (identity: string, i: I) => SetTransportRule({ Identity: identity, Name: i.name, ...parameters(i) });
  const claimed = (name: string): Claimed => ({ kind: "Transport rule", name, field: "Comments", rename: spec.rename });
  const removeRule = (identity: string) => RemoveTransportRule({ Identity: identity, Confirm: false });

  return {
    name: spec.name,
    resourceName: spec.resourceName,
    inputs: spec.inputs,
    replaceOn: [],
    deleteBeforeReplace: false,
    compare: { ...spec.compare, owner: exact } as RuleSpec<S>["compare"],
    plan: {
      create: (news) => [newRule(news as I)],
      update: (olds, news) => [
        setRule(olds.name, news as I),
        ...(olds.enabled !== (news as I).enabled || olds.mode !== "Enforce" ? [stateCommand(olds.name, (news as I).enabled)] : []),
      ],
      delete: (olds) => [removeRule(olds.name)],
    },
    drift: (outs) => (outs.mode !== "Enforce" ? ["mode"] : []),

    async claim(ctx, raw) {
      const inputs = raw as I;
      const existing = await get(ctx, inputs.name);
      if (existing) mayAdopt(claimed(inputs.name), existing.Comments, inputs.owner, ctx.config.adopt);
    },

    async create(ctx, raw) {
      const inputs = raw as I;
      const existing = await get(ctx, inputs.name);
      if (existing) {
        // Another stack's, or unmarked and not in coexist:adopt: refused before anything is written.
        const how = mayAdopt(claimed(inputs.name), existing.Comments, inputs.owner, ctx.config.adopt);
        const d = differs(spec as unknown as RuleSpec<z.ZodObject>, inputs, spec.observed(existing) as Partial<I>);
        // The SCL is no input but the rule's point: a same-named rule that sets another is not coexist's.
        const wantScl = spec.parameters(inputs).SetSCL;
        if (wantScl !== undefined && !scl(existing.SetSCL, wantScl)) d.push(`SetSCL is ${JSON.stringify(existing.SetSCL)}`);
        if (d.length > 0) throw conflict("Transport rule", inputs.name, d);
        if (how === "adopt") await ctx.exchange.run(SetTransportRule({ Identity: existing.Guid, Comments: marked(existing.Comments, inputs.owner) }));
        if ((existing.State === "Enabled") !== inputs.enabled) await setState(ctx, existing.Guid, inputs.enabled);
        return { id: existing.Guid, outs: outputs(inputs, { ...existing, State: inputs.enabled ? "Enabled" : "Disabled" }) };
      }
      // Read back after an unknown outcome, it is this call's only when it carries this stack's marker.
      const readBack = async () => {
        const r = await get(ctx, inputs.name);
        return r && ownerOf(r.Comments) === inputs.owner ? r : undefined;
      };
      const created = await createOnce<TransportRuleObject>(ctx.exchange, newRule(inputs), readBack);
      return { id: created.Guid, outs: outputs(inputs, created) };
    },

    async read(ctx, id, outs) {
      const r = await get(ctx, id);
      return r ? outputs(outs as I, r) : undefined;
    },

    async update(ctx, id, olds, raw) {
      const news = raw as I;
      await ctx.exchange.run(setRule(id, news));
      if (olds.enabled !== news.enabled || olds.mode !== "Enforce") await setState(ctx, id, news.enabled);
      const r = await get(ctx, id);
      if (!r) throw new Error(`${spec.name}: rule ${id} disappeared during the update`);
      return outputs(news, r);
    },

    async delete(ctx, id, outs) {
      const live = await get(ctx, id);
      if (!live) return;
      mayDelete(claimed(live.Name), live.Comments, outs.owner);
      await removeIfPresent(ctx.exchange, removeRule(id));
    },
  };
}
