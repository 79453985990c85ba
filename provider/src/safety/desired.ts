import { z } from "zod";
import { bare, sameAddress } from "../exchange/addresses";
import { Command } from "../exchange/command";
import type { RoutingWorld } from "../oracle";
import { AcceptedDomainRelayInputs, acceptedDomainRelay } from "../resources/acceptedDomainRelay/acceptedDomainRelay";
import { MigratedUsersGroupInputs, migratedUsersGroup } from "../resources/migratedUsersGroup/migratedUsersGroup";
import { PartnerConnectorInputs, partnerConnector } from "../resources/partnerConnector/partnerConnector";
import { CoexistenceRuleInputs, coexistenceRule } from "../resources/transportRule/coexistenceRule";
import { SourceBypassRuleInputs, sourceBypassRule } from "../resources/transportRule/sourceBypassRule";
import { blankRule, type Group, type OutboundConnector } from "../simulator/model";

/**
 * The shared objects' desired state, worked out from the very commands their resources run
 * (each definition's plan.create), so the safety gate models what `up` does and nothing else.
 * An existing object of the same name is taken over with those settings, as the resources
 * adopt or update it.
 */
export interface SharedInputs {
  relay: z.input<typeof AcceptedDomainRelayInputs>;
  group: z.input<typeof MigratedUsersGroupInputs>;
  connector: z.input<typeof PartnerConnectorInputs>;
  coexistenceRule: z.input<typeof CoexistenceRuleInputs>;
  bypassRule: z.input<typeof SourceBypassRuleInputs>;
}

export type SharedStep = keyof SharedInputs;
/** The order `up` creates them in (the program's dependencies): each later one needs the earlier. */
export const SHARED_ORDER: SharedStep[] = ["relay", "group", "connector", "coexistenceRule", "bypassRule"];
export const SHARED_LABEL: Record<SharedStep, string> = {
  relay: "shared domain is made InternalRelay",
  group: "group is created",
  connector: "partner connector is created",
  coexistenceRule: "coexistence rule is created",
  bypassRule: "source-bypass rule is created",
};

export function sharedCommands(i: SharedInputs): Record<SharedStep, Command[]> {
  return {
    relay: acceptedDomainRelay.plan.create(AcceptedDomainRelayInputs.parse(i.relay)),
    group: migratedUsersGroup.plan.create(MigratedUsersGroupInputs.parse(i.group)),
    connector: partnerConnector.plan.create(PartnerConnectorInputs.parse(i.connector)),
    coexistenceRule: coexistenceRule.plan.create(CoexistenceRuleInputs.parse(i.coexistenceRule)),
    bypassRule: sourceBypassRule.plan.create(SourceBypassRuleInputs.parse(i.bypassRule)),
  };
}

/** A deep copy: states are built from a snapshot without changing it. */
export const copyWorld = <W extends RoutingWorld>(w: W): W => structuredClone(w);

type P = Record<string, unknown>;
const str = (v: unknown) => (typeof v === "string" ? v : undefined);
const list = (v: unknown) => (Array.isArray(v) ? (v as string[]) : undefined);

/**
 * Applies one create-or-adopt command to a world, as far as routing reads the object. Only
 * the cmdlets the shared resources' plans use are understood; any other is a programming error.
 */
export function applyShared(w: RoutingWorld, c: Command): void {
  const p = c.parameters as P;
  const t = w.tenant;
  switch (c.cmdlet) {
    case "Set-AcceptedDomain": {
      const d = t.acceptedDomains.find((a) => sameAddress(a.DomainName, String(p.Identity)) || sameAddress(a.Name, String(p.Identity)));
      if (!d) return; // the resource fails on a domain the tenant does not have; nothing routes
      if (p.DomainType !== undefined) d.DomainType = p.DomainType as typeof d.DomainType;
      if (p.MatchSubDomains !== undefined) d.MatchSubDomains = p.MatchSubDomains as boolean;
      return;
    }
    case "New-DistributionGroup": {
      const address = bare(str(p.PrimarySmtpAddress) ?? "");
      const existing = t.groups.find((g) => sameAddress(g.Name, String(p.Name)) || sameAddress(g.PrimarySmtpAddress, address));
      if (existing) return; // adopted as it is: its members are what they are
      const group: Group = {
        Guid: `planned-group:${String(p.Name)}`,
        Name: String(p.Name),
        Alias: String(p.Alias ?? p.Name),
        DisplayName: String(p.DisplayName ?? p.Name),
        PrimarySmtpAddress: address,
        EmailAddresses: [`SMTP:${address}`],
        Type: (p.Type as Group["Type"]) ?? "Distribution",
        ManagedBy: [],
        MemberJoinRestriction: "Closed",
        MemberDepartRestriction: "Closed",
        RequireSenderAuthenticationEnabled: true,
        HiddenFromAddressListsEnabled: false,
        Members: [],
        Notes: str(p.Notes) ?? null,
      };
      t.groups.push(group);
      return;
    }
    case "Set-DistributionGroup":
      return; // address-list visibility: no bearing on routing
    case "Update-DistributionGroupMember": {
      // The whole membership replaced (pendingGroup's fill).
      const g = t.groups.find((x) => sameAddress(x.PrimarySmtpAddress, String(p.Identity)) || sameAddress(x.Name, String(p.Identity)));
      if (g) g.Members = [...new Set((list(p.Members) ?? []).map(bare))];
      return;
    }
    case "Add-DistributionGroupMember": {
      // A cloud-only recipient joining Migrated Users with the group.
      const g = t.groups.find((x) => sameAddress(x.PrimarySmtpAddress, String(p.Identity)) || sameAddress(x.Name, String(p.Identity)));
      const m = bare(String(p.Member));
      if (g && !g.Members.map(bare).includes(m)) g.Members = [...g.Members, m];
      return;
    }
    case "New-OutboundConnector": {
      const name = String(p.Name);
      let c2 = t.outboundConnectors.find((x) => sameAddress(x.Name, name));
      if (!c2) {
        c2 = {
          Guid: `planned-connector:${name}`,
          Name: name,
          Enabled: true,
          ConnectorType: "Partner",
          Comment: null,
          RecipientDomains: [],
          SmartHosts: [],
          UseMXRecord: false,
          TlsSettings: null,
          TlsDomain: null,
          IsTransportRuleScoped: false,
          AllAcceptedDomains: false,
          CloudServicesMailEnabled: false,
          RouteAllMessagesViaOnPremises: false,
          SenderRewritingEnabled: false,
          TestMode: false,
        } satisfies OutboundConnector;
        t.outboundConnectors.push(c2);
      }
      for (const [k, v] of Object.entries(p)) if (k !== "Name" && k in c2) (c2 as Record<string, unknown>)[k] = v;
      return;
    }
    case "New-TransportRule": {
      const name = String(p.Name);
      let r = t.transportRules.find((x) => sameAddress(x.Name, name));
      if (!r) {
        // A new rule gets the lowest precedence: "The default value for a new rule (the 9th
        // rule) is 8" (the rule cmdlets' -Priority reference).
        r = blankRule(`planned-rule:${name}`, name, t.transportRules.length);
        t.transportRules.push(r);
      }
      r.State = p.Enabled === false ? "Disabled" : "Enabled";
      for (const [k, v] of Object.entries(p)) {
        if (k === "Name" || k === "Enabled" || k === "Priority" || !(k in r)) continue;
        (r as Record<string, unknown>)[k] = k === "SentToMemberOf" || k === "ExceptIfSentToMemberOf" || k === "SenderIpRanges" ? (list(v) ?? []) : v;
      }
      return;
    }
    default:
      throw new Error(`coexist: the safety model does not know how ${c.cmdlet} changes routing`);
  }
}
