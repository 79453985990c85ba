import { z } from "zod";
import { AcceptedDomainObject, DomainType, GetAcceptedDomain, SetAcceptedDomain } from "../../exchange/cmdlets";
import { caseless } from "../compare";
import { Context } from "../context";
import { Definition } from "../definition";
import { getOne } from "../operations";

/**
 * The shared domain set to InternalRelay for the coexistence period. The accepted domain always
 * exists, so create adopts it and records what it was; delete (the post-MX cleanup) makes it
 * Authoritative again, unless restoreDomainType says otherwise.
 */
export const AcceptedDomainRelayInputs = z.object({
  domain: z.string().toLowerCase().regex(/^(?:[a-z0-9-]+\.)+[a-z]{2,63}$/, "must be a domain name such as contoso.com"),
  /** Accept mail for every subdomain too (seed 1's catch-all routing subdomain); needs InternalRelay. */
  matchSubDomains: z.boolean().default(false),
  /** What delete (the cleanup) sets; default Authoritative. The type found before is kept in outputs for the record. */
  restoreDomainType: z.enum(["Authoritative", "InternalRelay"]).optional(),
});
export type AcceptedDomainRelayInputs = z.output<typeof AcceptedDomainRelayInputs>;

export type AcceptedDomainRelayOutputs = AcceptedDomainRelayInputs & {
  domainType: DomainType;
  liveMatchSubDomains: boolean;
  originalDomainType: DomainType;
  originalMatchSubDomains: boolean;
};

async function live(ctx: Context, domain: string): Promise<AcceptedDomainObject | undefined> {
  return getOne<AcceptedDomainObject>(ctx.exchange, GetAcceptedDomain({ Identity: domain }));
}

const relayCommand = (i: AcceptedDomainRelayInputs) =>
  SetAcceptedDomain({ Identity: i.domain, DomainType: "InternalRelay", MatchSubDomains: i.matchSubDomains });

/**
 * What cleanup restores. A domain that was InternalRelay before coexist is still restored to
 * Authoritative unless declared otherwise: after MX cutover the tenant must own the domain.
 * MatchSubDomains goes off in the same call: it is only valid on InternalRelay.
 */
function restoreCommand(outs: AcceptedDomainRelayOutputs) {
  const type = outs.restoreDomainType ?? "Authoritative";
  return SetAcceptedDomain({ Identity: outs.domain, DomainType: type, MatchSubDomains: type === "InternalRelay" ? outs.originalMatchSubDomains : false });
}

async function relay(ctx: Context, inputs: AcceptedDomainRelayInputs): Promise<void> {
  await ctx.exchange.run(relayCommand(inputs));
}

export const acceptedDomainRelay: Definition<typeof AcceptedDomainRelayInputs, AcceptedDomainRelayOutputs> = {
  name: "AcceptedDomainRelay",
  resourceName: () => "accepted-domain",
  inputs: AcceptedDomainRelayInputs,
  replaceOn: ["domain"],
  deleteBeforeReplace: true,
  compare: { domain: caseless },
  plan: {
    create: (news) => [relayCommand(news)],
    update: (_olds, news) => [relayCommand(news)],
    delete: (olds) => [restoreCommand(olds)],
  },
  drift: (outs) => [
    ...(outs.domainType !== "InternalRelay" ? ["domainType"] : []),
    ...(outs.liveMatchSubDomains !== outs.matchSubDomains ? ["matchSubDomains"] : []),
  ],

  async create(ctx, inputs) {
    const before = await live(ctx, inputs.domain);
    if (!before) throw new Error(`AcceptedDomainRelay: '${inputs.domain}' is not an accepted domain of this tenant; add and verify it in the Microsoft 365 admin center first`);
    await relay(ctx, inputs);
    return {
      id: inputs.domain,
      outs: {
        ...inputs,
        domainType: "InternalRelay",
        liveMatchSubDomains: inputs.matchSubDomains,
        originalDomainType: before.DomainType,
        originalMatchSubDomains: before.MatchSubDomains,
      },
    };
  },

  async read(ctx, id, outs) {
    const now = await live(ctx, id);
    if (!now) return undefined;
    return { ...outs, domainType: now.DomainType, liveMatchSubDomains: now.MatchSubDomains };
  },

  async update(ctx, _id, olds, news) {
    await relay(ctx, news);
    return { ...olds, ...news, domainType: "InternalRelay", liveMatchSubDomains: news.matchSubDomains };
  },

  async delete(ctx, _id, outs) {
    await ctx.exchange.run(restoreCommand(outs));
  },
};
