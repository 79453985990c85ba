import { z } from "zod";
import {
  GetOutboundConnector,
  NewOutboundConnector,
  OutboundConnectorObject,
  RemoveOutboundConnector,
  SetOutboundConnector,
  SmartHost,
  TlsSettings,
} from "../../exchange/cmdlets";
import { Name64 } from "../../exchange/command";
import { caseless, exact, smartHostSet } from "../compare";
import { Definition } from "../definition";
import { conflict, createOnce, getOne, removeIfPresent } from "../operations";
import { Claimed, mayAdopt, marked, mayDelete, Owner, ownerOf, unmarked } from "../ownership";

/**
 * The transport-rule-scoped Partner outbound connector whose smart hosts are the source's MX:
 * the only way the coexistence rule reaches the source. Everything but the name updates in
 * place. Exchange refuses to rename a connector a rule uses, so a new name creates a new
 * connector first; the rule (which depends on it) moves over; the old one is removed last.
 */
export const PartnerConnectorInputs = z.object({
  name: Name64.default("Shared Name Space with External Entity TRSC"),
  smartHosts: z.array(SmartHost).min(1, "needs at least one smart host (the source's MX host or IP)"),
  tlsSettings: TlsSettings.nullable().default(null),
  tlsDomain: z.string().nullable().default(null),
  comment: z.string().max(1024).default(""),
  /** The stack that owns it, `<project>/<stack>`: its marker ends the Comment (ownership.ts). */
  owner: Owner.optional(),
});
export type PartnerConnectorInputs = z.output<typeof PartnerConnectorInputs>;
export type PartnerConnectorOutputs = PartnerConnectorInputs & {
  enabled: boolean;
  isTransportRuleScoped: boolean;
  connectorType: string;
};

/** What seed 2 sets and coexist never varies. */
const fixed = {
  ConnectorType: "Partner",
  IsTransportRuleScoped: true,
  UseMXRecord: false,
  RecipientDomains: null,
  AllAcceptedDomains: false,
  CloudServicesMailEnabled: false,
} as const;

const settable = (i: PartnerConnectorInputs) => ({
  SmartHosts: i.smartHosts,
  TlsSettings: i.tlsSettings,
  TlsDomain: i.tlsDomain,
  Comment: marked(i.comment, i.owner),
  Enabled: true,
});

const newConnector = (i: PartnerConnectorInputs) => NewOutboundConnector({ Name: i.name, ...fixed, ...settable(i) });
// Re-asserting the fixed settings too repairs a connector someone unscoped or retyped.
const setConnector = (identity: string, i: PartnerConnectorInputs) => SetOutboundConnector({ Identity: identity, ...fixed, ...settable(i) });
const removeConnector = (identity: string) => RemoveOutboundConnector({ Identity: identity, Confirm: false });

const outputs = (i: PartnerConnectorInputs, o: OutboundConnectorObject): PartnerConnectorOutputs => ({
  ...i,
  name: o.Name,
  smartHosts: o.SmartHosts,
  tlsSettings: o.TlsSettings,
  tlsDomain: o.TlsDomain,
  comment: unmarked(o.Comment),
  enabled: o.Enabled,
  isTransportRuleScoped: o.IsTransportRuleScoped,
  connectorType: o.ConnectorType,
});

function differences(i: PartnerConnectorInputs, o: OutboundConnectorObject): string[] {
  const d: string[] = [];
  if (o.ConnectorType !== "Partner") d.push(`type is ${o.ConnectorType}`);
  if (!o.IsTransportRuleScoped) d.push("it is not transport-rule scoped");
  if (!smartHostSet(o.SmartHosts, i.smartHosts)) d.push(`smart hosts are ${o.SmartHosts.join(", ") || "none"}`);
  if (o.RecipientDomains.length > 0) d.push(`it has recipient domains ${o.RecipientDomains.join(", ")}`);
  return d;
}

const claimed = (name: string): Claimed => ({ kind: "Outbound connector", name, field: "Comment", rename: "coexist:names.connector" });

export const partnerConnector: Definition<typeof PartnerConnectorInputs, PartnerConnectorOutputs> = {
  name: "PartnerConnector",
  resourceName: () => "partner-connector",
  inputs: PartnerConnectorInputs,
  replaceOn: ["name"],
  deleteBeforeReplace: false,
  compare: { name: caseless, smartHosts: smartHostSet, tlsSettings: exact, tlsDomain: caseless, comment: exact, owner: exact },
  plan: {
    create: (news) => [newConnector(news)],
    update: (olds, news) => [setConnector(olds.name, news)],
    delete: (olds) => [removeConnector(olds.name)],
  },
  drift: (outs) => [
    ...(!outs.enabled ? ["enabled"] : []),
    ...(!outs.isTransportRuleScoped ? ["isTransportRuleScoped"] : []),
    ...(outs.connectorType !== "Partner" ? ["connectorType"] : []),
  ],

  async claim(ctx, inputs) {
    const existing = await getOne<OutboundConnectorObject>(ctx.exchange, GetOutboundConnector({ Identity: inputs.name }));
    if (existing) mayAdopt(claimed(inputs.name), existing.Comment, inputs.owner, ctx.config.adopt);
  },

  async create(ctx, inputs) {
    const existing = await getOne<OutboundConnectorObject>(ctx.exchange, GetOutboundConnector({ Identity: inputs.name }));
    if (existing) {
      // Another stack's, or unmarked and not in coexist:adopt: refused before anything is written.
      mayAdopt(claimed(inputs.name), existing.Comment, inputs.owner, ctx.config.adopt);
      const d = differences(inputs, existing);
      if (d.length > 0) throw conflict("Outbound connector", inputs.name, d);
      await ctx.exchange.run(SetOutboundConnector({ Identity: existing.Guid, ...settable(inputs) }));
      return { id: existing.Guid, outs: outputs(inputs, { ...existing, ...settable(inputs) }) };
    }
    // Read back after an unknown outcome, it is this call's only when it carries this stack's marker.
    const readBack = async () => {
      const o = await getOne<OutboundConnectorObject>(ctx.exchange, GetOutboundConnector({ Identity: inputs.name }));
      return o && ownerOf(o.Comment) === inputs.owner ? o : undefined;
    };
    const created = await createOnce(ctx.exchange, newConnector(inputs), readBack);
    return { id: created.Guid, outs: outputs(inputs, created) };
  },

  async read(ctx, id, outs) {
    const o = await getOne<OutboundConnectorObject>(ctx.exchange, GetOutboundConnector({ Identity: id }));
    return o ? outputs(outs, o) : undefined;
  },

  async update(ctx, id, _olds, news) {
    await ctx.exchange.run(setConnector(id, news));
    const o = await getOne<OutboundConnectorObject>(ctx.exchange, GetOutboundConnector({ Identity: id }));
    if (!o) throw new Error(`PartnerConnector: connector ${id} disappeared during the update`);
    return outputs(news, o);
  },

  async delete(ctx, id, outs) {
    const live = await getOne<OutboundConnectorObject>(ctx.exchange, GetOutboundConnector({ Identity: id }));
    if (!live) return;
    mayDelete(claimed(live.Name), live.Comment, outs.owner);
    await removeIfPresent(ctx.exchange, removeConnector(id));
  },
};
