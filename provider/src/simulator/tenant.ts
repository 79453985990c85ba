import { z } from "zod";
import * as c from "../exchange/cmdlets";
import { AcceptedDomainObject, DistributionGroupObject, OutboundConnectorObject, RecipientObject, TenantRecipientObject, TransportRuleObject } from "../exchange/cmdlets";
import { bare, domainOf, sameAddress } from "../exchange/addresses";
import { ambiguous, fail, invalid, notFound, objectExists, proxyInUse, unresolvedRecipient } from "./errors";
import { blankRule, Group, OutboundConnector, TransportRule, World } from "./model";
import { simGuid } from "./scenario";

/** Exchange Online, as far as coexist drives it: each cmdlet's checks, effects and output. */
type P<B extends { spec: { parameters: z.ZodObject } }> = z.output<B["spec"]["parameters"]>;
export type Handler = (world: World, parameters: never) => object[];

const MAX_RULES = 300;
const nextGuid = (w: World) => simGuid(w.nextGuid++);
const eq = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();

function findOne<T>(items: T[], identity: string, keys: (t: T) => string[]): T | undefined {
  const hits = items.filter((t) => keys(t).some((k) => sameAddress(k, identity)));
  if (hits.length > 1) ambiguous(identity);
  return hits[0];
}
const groupKeys = (g: Group) => [g.Guid, g.Name, g.Alias, g.DisplayName, g.PrimarySmtpAddress, ...g.EmailAddresses];
const findGroup = (w: World, id: string) => findOne(w.tenant.groups, id, groupKeys);
const getGroup = (w: World, id: string) => findGroup(w, id) ?? notFound(id);
const findMailbox = (w: World, id: string) =>
  findOne(w.tenant.mailboxes, id, (m) => [m.Guid, m.Name, m.Alias, m.PrimarySmtpAddress, ...m.EmailAddresses]);
const findConnector = (w: World, id: string) => findOne(w.tenant.outboundConnectors, id, (o) => [o.Guid, o.Name]);
const getConnector = (w: World, id: string) => findConnector(w, id) ?? notFound(id);
const findRule = (w: World, id: string) => findOne(w.tenant.transportRules, id, (r) => [r.Guid, r.Name]);
const getRule = (w: World, id: string) => findRule(w, id) ?? notFound(id);

/** Every proxy address in the tenant and who holds it: addresses are unique across recipients. */
function addressOwner(w: World, address: string): string | undefined {
  for (const m of w.tenant.mailboxes) if (m.EmailAddresses.some((a) => sameAddress(a, address))) return m.Name;
  for (const g of w.tenant.groups) if (g.EmailAddresses.some((a) => sameAddress(a, address))) return g.Name;
  return undefined;
}

// ---- accepted domains ---------------------------------------------------------------------------
const domainOut = (d: World["tenant"]["acceptedDomains"][number]): AcceptedDomainObject => ({
  Identity: d.Name,
  Name: d.Name,
  DomainName: d.DomainName,
  DomainType: d.DomainType,
  MatchSubDomains: d.MatchSubDomains,
  Default: d.Default,
  InitialDomain: d.InitialDomain,
});
const getDomain = (w: World, id: string) =>
  findOne(w.tenant.acceptedDomains, id, (d) => [d.Name, d.DomainName]) ?? notFound(id);

// ---- groups ---------------------------------------------------------------------------------------
const groupOut = (g: Group): DistributionGroupObject => ({
  Identity: g.Name,
  Guid: g.Guid,
  Name: g.Name,
  Alias: g.Alias,
  DisplayName: g.DisplayName,
  PrimarySmtpAddress: g.PrimarySmtpAddress,
  EmailAddresses: g.EmailAddresses,
  GroupType: g.Type === "Security" ? "Universal, SecurityEnabled" : "Universal",
  RecipientTypeDetails: g.Type === "Security" ? "MailUniversalSecurityGroup" : "MailUniversalDistributionGroup",
  ManagedBy: g.ManagedBy,
  MemberJoinRestriction: g.MemberJoinRestriction,
  MemberDepartRestriction: g.MemberDepartRestriction,
  RequireSenderAuthenticationEnabled: g.RequireSenderAuthenticationEnabled,
  HiddenFromAddressListsEnabled: g.HiddenFromAddressListsEnabled,
});

/** The app is never a group owner under app-only auth: changes need the bypass switch. */
function requireManagerBypass(bypass: boolean | undefined): void {
  if (!bypass) {
    fail(
      "auth",
      "ManagementObjectAccessDeniedException",
      "You don't have sufficient permissions. This operation can only be performed by a manager of the group.",
    );
  }
}

function resolveOwners(w: World, owners: string[]): string[] {
  return owners.map((o) => (findMailbox(w, o) ?? unresolvedRecipient(o)).Name);
}

function checkMembershipRestrictions(g: Pick<Group, "Type" | "MemberJoinRestriction" | "MemberDepartRestriction">): void {
  if (g.Type === "Security" && g.MemberDepartRestriction !== "Closed") {
    invalid("RecipientTaskException", "Members can't remove themselves from security groups. Please set the group to Closed for requests to leave.");
  }
  if (g.Type === "Security" && g.MemberJoinRestriction === "Open") {
    invalid("RecipientTaskException", "Members can't add themselves to security groups. Please set the group to Closed or ApprovalRequired for requests to join.");
  }
}

// ---- connectors -------------------------------------------------------------------------------------
const connectorOut = (o: OutboundConnector): OutboundConnectorObject => ({
  Identity: o.Name,
  Guid: o.Guid,
  Name: o.Name,
  Enabled: o.Enabled,
  ConnectorType: o.ConnectorType,
  Comment: o.Comment,
  RecipientDomains: o.RecipientDomains,
  SmartHosts: o.SmartHosts,
  UseMXRecord: o.UseMXRecord,
  TlsSettings: o.TlsSettings,
  TlsDomain: o.TlsDomain,
  IsTransportRuleScoped: o.IsTransportRuleScoped,
  AllAcceptedDomains: o.AllAcceptedDomains,
  CloudServicesMailEnabled: o.CloudServicesMailEnabled,
  RouteAllMessagesViaOnPremises: o.RouteAllMessagesViaOnPremises,
  SenderRewritingEnabled: o.SenderRewritingEnabled,
  TestMode: o.TestMode,
});

const RESERVED = [/^10\./, /^127\./, /^0\./, /^169\.254\./, /^192\.168\./, /^172\.(1[6-9]|2\d|3[01])\./, /^2(2[4-9]|[3-5]\d)\./];

/** TenantOutboundConnector.ValidateWrite, as far as the reference records it. */
function validateConnector(o: OutboundConnector): void {
  const v = (m: string) => invalid("DataValidationException", m);
  const scoped = o.RecipientDomains.length === 0 && !o.AllAcceptedDomains;
  if (o.IsTransportRuleScoped !== scoped) {
    v("RecipientDomains must be specified for a Non-TransportRuleScoped connector, RecipientDomains should not be specified otherwise.");
  }
  if (!o.UseMXRecord && o.SmartHosts.length === 0) v("Smart hosts must be specified if UseMXRecord is false.");
  if (o.UseMXRecord && o.SmartHosts.length > 0) v("UseMXRecord should be false if smart hosts are specified.");
  if (o.TlsDomain && o.TlsSettings !== "DomainValidation") v("Tls Settings should be set to DomainValidation if TlsDomain is specified.");
  if (!o.TlsDomain && o.TlsSettings === "DomainValidation") v("Tls Settings should not be set to DomainValidation if TlsDomain is not specified.");
  if (o.ConnectorType === "OnPremises" && o.UseMXRecord) v("'OnPremises' type of outbound connector cannot have UseMXRecord set to true.");
  if (o.ConnectorType !== "OnPremises") {
    for (const k of ["AllAcceptedDomains", "CloudServicesMailEnabled", "RouteAllMessagesViaOnPremises"] as const) {
      if (o[k]) v(`${k} cannot be set to true if Connector type is not OnPremises.`);
    }
  }
  for (const h of o.SmartHosts) {
    if (h.includes(":")) v(`SmartHost IPAddress '${h}' should be only IPV4 address.`);
    if (RESERVED.some((r) => r.test(h))) v(`IP range '${h}' contains reserved IP addresses.`);
  }
}

const referencingRules = (w: World, o: OutboundConnector) =>
  w.tenant.transportRules.filter((r) => r.RouteMessageOutboundConnector !== null && eq(r.RouteMessageOutboundConnector, o.Name));
const stillReferenced = (): never =>
  fail("other", "InvalidOperationException", "One or more transport rules are still referencing the specified connector.");

// ---- transport rules ---------------------------------------------------------------------------------
const ruleOut = (r: TransportRule): TransportRuleObject => ({
  Identity: r.Name,
  Name: r.Name,
  Guid: r.Guid,
  Priority: r.Priority,
  State: r.State,
  Mode: r.Mode,
  Comments: r.Comments,
  SentToScope: r.SentToScope,
  RouteMessageOutboundConnector: r.RouteMessageOutboundConnector,
  ExceptIfSentToMemberOf: r.ExceptIfSentToMemberOf,
  SenderIpRanges: r.SenderIpRanges,
  SetSCL: r.SetSCL,
  StopRuleProcessing: r.StopRuleProcessing,
  RuleErrorAction: r.RuleErrorAction,
  SenderAddressLocation: r.SenderAddressLocation,
});

/** Utils.ValidateEnabledConnectorById: a rule routes only to an enabled, rule-scoped connector. */
function ruleConnector(w: World, id: string): string {
  const o = findConnector(w, id) ?? invalid("ArgumentException", `Unable to find outbound connector with the following identity: '${id}'.`);
  if (!o.Enabled) invalid("ArgumentException", `The connector "${o.Name}" is not enabled. Please enable the connector or specify a different connector.`);
  if (!o.IsTransportRuleScoped) {
    invalid("ArgumentException", `The connector "${o.Name}" is not scoped to any transport rules. Please modify the connector or specify a different connector.`);
  }
  return o.Name;
}

/** MemberOf values are stored as SMTP addresses; an unresolvable valid SMTP address is kept as is. */
function memberOfAddresses(w: World, ids: string[]): string[] {
  return ids.map((id) => {
    const g = findGroup(w, id);
    if (g) return g.PrimarySmtpAddress;
    if (/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(id)) return id;
    return unresolvedRecipient(id);
  });
}

function applyRuleParameters(w: World, r: TransportRule, p: Partial<P<typeof c.SetTransportRule>>): void {
  if (p.SentToScope !== undefined) r.SentToScope = p.SentToScope;
  if (p.RouteMessageOutboundConnector !== undefined) {
    r.RouteMessageOutboundConnector = p.RouteMessageOutboundConnector === null ? null : ruleConnector(w, p.RouteMessageOutboundConnector);
  }
  if (p.ExceptIfSentToMemberOf !== undefined) r.ExceptIfSentToMemberOf = memberOfAddresses(w, p.ExceptIfSentToMemberOf ?? []);
  if (p.SenderIpRanges !== undefined) r.SenderIpRanges = p.SenderIpRanges ?? [];
  if (p.SetSCL !== undefined) r.SetSCL = p.SetSCL;
  if (p.StopRuleProcessing !== undefined) r.StopRuleProcessing = p.StopRuleProcessing;
  if (p.Mode !== undefined) r.Mode = p.Mode;
  if (p.RuleErrorAction !== undefined) r.RuleErrorAction = p.RuleErrorAction;
  if (p.SenderAddressLocation !== undefined) r.SenderAddressLocation = p.SenderAddressLocation;
  if (p.Comments !== undefined) r.Comments = p.Comments;
  if (p.Name !== undefined && !eq(p.Name, r.Name)) {
    if (findRule(w, p.Name)) invalid("ArgumentException", "A rule with this name already exists.");
    r.Name = p.Name;
  }
  const size = JSON.stringify(r).length;
  if (size > 8192) {
    invalid("ArgumentException", `The rule can't be created because it is too large. It has ${size} characters, and the maximum number of characters is 8192.`);
  }
}

function placeRule(w: World, r: TransportRule, priority: number | undefined): void {
  const others = w.tenant.transportRules.filter((x) => x !== r).sort((a, b) => a.Priority - b.Priority);
  if (priority !== undefined && priority > others.length) {
    invalid("ArgumentOutOfRangeException", "The specified rule priority is invalid. The rule priority can't exceed the number of rules you currently have.");
  }
  others.splice(priority ?? others.length, 0, r);
  others.forEach((x, i) => (x.Priority = i));
  w.tenant.transportRules = others;
}

// ---- the cmdlets ----------------------------------------------------------------------------------------
export const tenantCmdlets: Record<string, Handler> = {
  // Without -Identity every Get-* lists all objects (each cmdlet's reference: "The value $null
  // or a non-existent value for the Identity parameter returns all objects").
  "Get-AcceptedDomain": (w, p: P<typeof c.GetAcceptedDomain>) =>
    p.Identity === undefined ? w.tenant.acceptedDomains.map(domainOut) : [domainOut(getDomain(w, p.Identity))],

  "Set-AcceptedDomain": (w, p: P<typeof c.SetAcceptedDomain>) => {
    const d = getDomain(w, p.Identity);
    if (p.DomainType === "ExternalRelay") fail("invalid-parameter", "InvalidOperationException", "External relay domains aren't allowed in your organization.");
    const type = p.DomainType ?? d.DomainType;
    const match = p.MatchSubDomains ?? d.MatchSubDomains;
    if (match && type !== "InternalRelay") {
      invalid("MatchSubDomainsIsInternalRelayOnlyException", "MatchSubDomains can only be enabled on an InternalRelay domain.");
    }
    d.DomainType = type;
    d.MatchSubDomains = match;
    return [];
  },

  "Get-DistributionGroup": (w, p: P<typeof c.GetDistributionGroup>) => [groupOut(getGroup(w, p.Identity))],

  "New-DistributionGroup": (w, p: P<typeof c.NewDistributionGroup>) => {
    if (findOne(w.tenant.groups, p.Name, (g) => [g.Name])) objectExists(`CN=${p.Name},OU=${w.tenant.organization},OU=Microsoft Exchange Hosted Organizations,DC=EURPR06A001,DC=prod,DC=outlook,DC=com`);
    if (!p.ManagedBy) {
      fail("other", "RecipientTaskException", "The group can't be created because the owner couldn't be auto-assigned. Run the command again, and this time use the ManagedBy parameter.");
    }
    const alias = p.Alias ?? p.Name.replace(/[^A-Za-z0-9]/g, "");
    const defaultDomain = w.tenant.acceptedDomains.find((d) => d.Default)?.DomainName ?? w.tenant.organization;
    const primary = (p.PrimarySmtpAddress ?? `${alias}@${defaultDomain}`).toLowerCase();
    if (!w.tenant.acceptedDomains.some((d) => eq(d.DomainName, domainOf(primary)))) {
      invalid("RecipientTaskException", `You can't use the domain ${domainOf(primary)} because it's not an accepted domain for your organization.`);
    }
    const owner = addressOwner(w, primary);
    if (owner) proxyInUse(`SMTP:${primary}`, owner);
    const g: Group = {
      Guid: nextGuid(w),
      Name: p.Name,
      Alias: alias,
      DisplayName: p.DisplayName ?? p.Name,
      PrimarySmtpAddress: primary,
      EmailAddresses: [`SMTP:${primary}`, `smtp:${alias.toLowerCase()}@${w.tenant.organization}`],
      Type: p.Type ?? "Distribution",
      ManagedBy: resolveOwners(w, p.ManagedBy),
      MemberJoinRestriction: p.MemberJoinRestriction ?? "Closed",
      MemberDepartRestriction: p.MemberDepartRestriction ?? (p.Type === "Security" ? "Closed" : "Open"),
      RequireSenderAuthenticationEnabled: p.RequireSenderAuthenticationEnabled ?? true,
      HiddenFromAddressListsEnabled: false,
      Members: [],
    };
    checkMembershipRestrictions(g);
    w.tenant.groups.push(g);
    return [groupOut(g)];
  },

  "Set-DistributionGroup": (w, p: P<typeof c.SetDistributionGroup>) => {
    requireManagerBypass(p.BypassSecurityGroupManagerCheck);
    const g = getGroup(w, p.Identity);
    if (p.PrimarySmtpAddress && !sameAddress(p.PrimarySmtpAddress, g.PrimarySmtpAddress)) {
      const primary = p.PrimarySmtpAddress.toLowerCase();
      const owner = addressOwner(w, primary);
      if (owner && owner !== g.Name) proxyInUse(`SMTP:${primary}`, owner);
      g.EmailAddresses = [`SMTP:${primary}`, ...g.EmailAddresses.map((a) => (a.startsWith("SMTP:") ? `smtp:${bare(a)}` : a)).filter((a) => !sameAddress(a, primary))];
      g.PrimarySmtpAddress = primary;
    }
    if (p.Name !== undefined && !eq(p.Name, g.Name)) {
      if (findOne(w.tenant.groups, p.Name, (x) => [x.Name])) objectExists(`CN=${p.Name},OU=${w.tenant.organization}`);
      g.Name = p.Name;
    }
    if (p.DisplayName !== undefined) g.DisplayName = p.DisplayName;
    if (p.ManagedBy !== undefined) g.ManagedBy = resolveOwners(w, p.ManagedBy);
    if (p.HiddenFromAddressListsEnabled !== undefined) g.HiddenFromAddressListsEnabled = p.HiddenFromAddressListsEnabled;
    if (p.MemberJoinRestriction !== undefined) g.MemberJoinRestriction = p.MemberJoinRestriction;
    if (p.MemberDepartRestriction !== undefined) g.MemberDepartRestriction = p.MemberDepartRestriction;
    if (p.RequireSenderAuthenticationEnabled !== undefined) g.RequireSenderAuthenticationEnabled = p.RequireSenderAuthenticationEnabled;
    checkMembershipRestrictions(g);
    return [];
  },

  "Remove-DistributionGroup": (w, p: P<typeof c.RemoveDistributionGroup>) => {
    requireManagerBypass(p.BypassSecurityGroupManagerCheck);
    const g = getGroup(w, p.Identity);
    w.tenant.groups = w.tenant.groups.filter((x) => x !== g);
    return [];
  },

  "Get-DistributionGroupMember": (w, p: P<typeof c.GetDistributionGroupMember>) => {
    const g = getGroup(w, p.Identity);
    const limit = p.ResultSize === "Unlimited" ? Infinity : (p.ResultSize ?? 1000); // the default truncates at 1000
    return g.Members.slice(0, limit).map((address): RecipientObject => {
      const m = findMailbox(w, address);
      return { Identity: m?.Name ?? address, Name: m?.Name ?? address, PrimarySmtpAddress: m?.PrimarySmtpAddress ?? address, RecipientType: "UserMailbox" };
    });
  },

  "Get-Recipient": (w, p: P<typeof c.GetRecipient>) => {
    const all: TenantRecipientObject[] = [
      ...w.tenant.mailboxes.map((m) => ({
        Identity: m.Name, Name: m.Name, Alias: m.Alias, Guid: m.Guid, PrimarySmtpAddress: m.PrimarySmtpAddress,
        EmailAddresses: m.EmailAddresses, RecipientType: "UserMailbox", RecipientTypeDetails: "UserMailbox", ExternalEmailAddress: null,
      })),
      ...w.tenant.groups.map((g) => ({
        Identity: g.Name, Name: g.Name, Alias: g.Alias, Guid: g.Guid, PrimarySmtpAddress: g.PrimarySmtpAddress, EmailAddresses: g.EmailAddresses,
        RecipientType: g.Type === "Security" ? "MailUniversalSecurityGroup" : "MailUniversalDistributionGroup",
        RecipientTypeDetails: g.Type === "Security" ? "MailUniversalSecurityGroup" : "MailUniversalDistributionGroup", ExternalEmailAddress: null,
      })),
    ];
    if (p.Identity !== undefined) {
      const id = p.Identity;
      const hits = all.filter((r) => [r.Guid ?? "", r.Name, r.Alias ?? "", r.PrimarySmtpAddress, ...r.EmailAddresses].some((k) => sameAddress(k, id)));
      if (hits.length > 1) ambiguous(id);
      return hits.length ? hits : notFound(id);
    }
    const limit = p.ResultSize === "Unlimited" ? Infinity : (p.ResultSize ?? 1000); // the default truncates at 1000
    return all.slice(0, limit);
  },

  "Add-DistributionGroupMember": (w, p: P<typeof c.AddDistributionGroupMember>) => {
    requireManagerBypass(p.BypassSecurityGroupManagerCheck);
    const g = getGroup(w, p.Identity);
    const m = findMailbox(w, p.Member) ?? unresolvedRecipient(p.Member);
    const address = m.PrimarySmtpAddress.toLowerCase();
    if (g.Members.includes(address)) {
      fail("already-exists", "MemberAlreadyExistsException", `The recipient "${m.PrimarySmtpAddress}" is already a member of the group "${g.Name}".`);
    }
    g.Members.push(address);
    return [];
  },

  "Remove-DistributionGroupMember": (w, p: P<typeof c.RemoveDistributionGroupMember>) => {
    requireManagerBypass(p.BypassSecurityGroupManagerCheck);
    const g = getGroup(w, p.Identity);
    const m = findMailbox(w, p.Member) ?? unresolvedRecipient(p.Member);
    const address = m.PrimarySmtpAddress.toLowerCase();
    if (!g.Members.includes(address)) {
      fail("not-found", "MemberNotFoundException", `The recipient "${m.PrimarySmtpAddress}" isn't a member of the group "${g.Name}".`);
    }
    g.Members = g.Members.filter((x) => x !== address);
    return [];
  },

  "Get-OutboundConnector": (w, p: P<typeof c.GetOutboundConnector>) =>
    p.Identity === undefined ? w.tenant.outboundConnectors.map(connectorOut) : [connectorOut(getConnector(w, p.Identity))],

  "New-OutboundConnector": (w, p: P<typeof c.NewOutboundConnector>) => {
    if (findConnector(w, p.Name)) fail("already-exists", "DataValidationException", `Outbound connector '${p.Name}' already exists.`);
    const o: OutboundConnector = {
      Guid: nextGuid(w),
      Name: p.Name,
      Enabled: p.Enabled ?? true,
      ConnectorType: p.ConnectorType ?? "Partner",
      Comment: p.Comment ?? null,
      RecipientDomains: p.RecipientDomains ?? [],
      SmartHosts: p.SmartHosts ?? [],
      UseMXRecord: p.UseMXRecord ?? true,
      TlsSettings: p.TlsSettings ?? null,
      TlsDomain: p.TlsDomain ?? null,
      IsTransportRuleScoped: p.IsTransportRuleScoped ?? false,
      AllAcceptedDomains: p.AllAcceptedDomains ?? false,
      CloudServicesMailEnabled: p.CloudServicesMailEnabled ?? false,
      RouteAllMessagesViaOnPremises: p.RouteAllMessagesViaOnPremises ?? false,
      SenderRewritingEnabled: p.SenderRewritingEnabled ?? false,
      TestMode: p.TestMode ?? false,
    };
    validateConnector(o);
    w.tenant.outboundConnectors.push(o);
    return [connectorOut(o)];
  },

  "Set-OutboundConnector": (w, p: P<typeof c.SetOutboundConnector>) => {
    const o = getConnector(w, p.Identity);
    const next: OutboundConnector = { ...o };
    for (const [k, v] of Object.entries(p)) {
      if (k === "Identity" || v === undefined) continue;
      (next as Record<string, unknown>)[k] = Array.isArray(v) || v !== null ? v : k === "SmartHosts" || k === "RecipientDomains" ? [] : null;
    }
    if (p.Name !== undefined && !eq(p.Name, o.Name) && findConnector(w, p.Name)) {
      fail("already-exists", "DataValidationException", `Outbound connector '${p.Name}' already exists.`);
    }
    const renamed = !eq(next.Name, o.Name);
    if (referencingRules(w, o).length > 0 && (!next.Enabled || !next.IsTransportRuleScoped || renamed)) stillReferenced();
    validateConnector(next);
    Object.assign(o, next);
    return [];
  },

  "Remove-OutboundConnector": (w, p: P<typeof c.RemoveOutboundConnector>) => {
    const o = getConnector(w, p.Identity);
    if (referencingRules(w, o).length > 0) stillReferenced();
    w.tenant.outboundConnectors = w.tenant.outboundConnectors.filter((x) => x !== o);
    return [];
  },

  "Get-TransportRule": (w, p: P<typeof c.GetTransportRule>) =>
    p.Identity === undefined ? w.tenant.transportRules.map(ruleOut) : [ruleOut(getRule(w, p.Identity))],

  "New-TransportRule": (w, p: P<typeof c.NewTransportRule>) => {
    if (findRule(w, p.Name)) invalid("ArgumentException", "A rule with this name already exists.");
    if (w.tenant.transportRules.length >= MAX_RULES) {
      invalid("InvalidOperationException", `The rule can't be created because the maximum number of transport rules already exists. The maximum number is ${MAX_RULES}.`);
    }
    const r: TransportRule = { ...blankRule(nextGuid(w), p.Name, 0), State: p.Enabled === false ? "Disabled" : "Enabled" };
    const { Name: _name, Enabled: _enabled, Priority, ...rest } = p;
    applyRuleParameters(w, r, rest);
    placeRule(w, r, Priority);
    return [ruleOut(r)];
  },

  "Set-TransportRule": (w, p: P<typeof c.SetTransportRule>) => {
    const r = getRule(w, p.Identity);
    const next = structuredClone(r);
    const { Identity: _id, Priority, ...rest } = p;
    applyRuleParameters(w, next, rest);
    Object.assign(r, next);
    if (Priority !== undefined) placeRule(w, r, Priority);
    return [];
  },

  "Enable-TransportRule": (w, p: P<typeof c.EnableTransportRule>) => {
    const r = getRule(w, p.Identity);
    if (r.RouteMessageOutboundConnector) ruleConnector(w, r.RouteMessageOutboundConnector);
    r.State = "Enabled";
    if (p.Mode) r.Mode = p.Mode;
    return [];
  },

  "Disable-TransportRule": (w, p: P<typeof c.DisableTransportRule>) => {
    getRule(w, p.Identity).State = "Disabled";
    return [];
  },

  "Remove-TransportRule": (w, p: P<typeof c.RemoveTransportRule>) => {
    const r = getRule(w, p.Identity);
    w.tenant.transportRules = w.tenant.transportRules.filter((x) => x !== r);
    w.tenant.transportRules.sort((a, b) => a.Priority - b.Priority).forEach((x, i) => (x.Priority = i));
    return [];
  },
};
