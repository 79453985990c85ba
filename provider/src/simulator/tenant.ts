import { z } from "zod";
import * as c from "../exchange/cmdlets";
import { AcceptedDomainObject, DistributionGroupObject, GroupObject, MailboxObject, OutboundConnectorObject, RecipientObject, TenantRecipientObject, TransportRuleObject } from "../exchange/cmdlets";
import { bare, domainOf, sameAddress } from "../exchange/addresses";
import { namedBy } from "./lookup";
import { EXO_SERVER, raise } from "./errors";
import { ipv4Range, looksLikeIpv4, overlapsReserved } from "./ip";
import { blankRule, Group, OutboundConnector, TenantMailbox, TransportRule, World } from "./model";
import { simGuid } from "./scenario";

/** Exchange Online, as far as coexist drives it: each cmdlet's checks, effects and output. */
type P<B extends { spec: { parameters: z.ZodObject } }> = z.output<B["spec"]["parameters"]>;
export type Handler = (world: World, parameters: never) => object[];

// Exchange Online limits (exchange-online-limits, "Journal, transport, and inbox rule limits"):
// 300 transport rules, 8 KB per rule (counted here as the rule's JSON length: an approximation).
const MAX_RULES = 300;
const MAX_RULE_SIZE = 8192;
const nextGuid = (w: World) => simGuid(w.nextGuid++);
const eq = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();

function findOne<T>(items: T[], identity: string, keys: (t: T) => string[]): T | undefined {
  const named = namedBy(identity);
  const hits = items.filter((t) => keys(t).some(named));
  if (hits.length > 1) raise("ambiguous", identity);
  return hits[0];
}
const notFound = (identity: string): never => raise("notFound", identity, EXO_SERVER);
const unresolvedRecipient = (identity: string): never => raise("unresolvedRecipient", identity);
const groupKeys = (g: Group) => [g.Guid, g.Name, g.Alias, g.DisplayName, g.PrimarySmtpAddress, ...g.EmailAddresses];
const findGroup = (w: World, id: string) => findOne(w.tenant.groups, id, groupKeys);
const getGroup = (w: World, id: string) => findGroup(w, id) ?? notFound(id);
/** Get-Group and Set-Group take "Name, Distinguished name (DN), Canonical DN, GUID" (Get-Group.md, Set-Group.md, -Identity): no address. */
const getGroupObject = (w: World, id: string) => findOne(w.tenant.groups, id, (g) => [g.Guid, g.Name]) ?? notFound(id);
const findConnector = (w: World, id: string) => findOne(w.tenant.outboundConnectors, id, (o) => [o.Guid, o.Name]);
const getConnector = (w: World, id: string) => findConnector(w, id) ?? notFound(id);
const findRule = (w: World, id: string) => findOne(w.tenant.transportRules, id, (r) => [r.Guid, r.Name]);
const getRule = (w: World, id: string) => findRule(w, id) ?? notFound(id);

const groupType = (g: Group) => (g.Type === "Security" ? "MailUniversalSecurityGroup" : "MailUniversalDistributionGroup");

/** Every mail-enabled recipient of the tenant, as Get-Recipient reports it. */
const mailboxRecipient = (m: World["tenant"]["mailboxes"][number]): TenantRecipientObject => ({
  Identity: m.Name, Name: m.Name, Alias: m.Alias, Guid: m.Guid, PrimarySmtpAddress: m.PrimarySmtpAddress,
  EmailAddresses: m.EmailAddresses, RecipientType: "UserMailbox", RecipientTypeDetails: "UserMailbox", ExternalEmailAddress: null,
});
const mailRecipient = (m: NonNullable<World["tenant"]["mailRecipients"]>[number]): TenantRecipientObject => ({
  Identity: m.Name, Name: m.Name, Alias: m.Alias, Guid: m.Guid, PrimarySmtpAddress: m.PrimarySmtpAddress, EmailAddresses: m.EmailAddresses,
  RecipientType: m.RecipientType, RecipientTypeDetails: m.RecipientTypeDetails ?? m.RecipientType, ExternalEmailAddress: m.ExternalEmailAddress === null ? null : `SMTP:${m.ExternalEmailAddress}`,
});
const groupRecipient = (g: Group): TenantRecipientObject => ({
  Identity: g.Name, Name: g.Name, Alias: g.Alias, Guid: g.Guid, PrimarySmtpAddress: g.PrimarySmtpAddress, EmailAddresses: g.EmailAddresses,
  RecipientType: groupType(g), RecipientTypeDetails: groupType(g), ExternalEmailAddress: null,
});
function allRecipients(w: World): TenantRecipientObject[] {
  return [...w.tenant.mailboxes.map(mailboxRecipient), ...(w.tenant.mailRecipients ?? []).map(mailRecipient), ...w.tenant.groups.map(groupRecipient)];
}
const recipientKeys = (r: TenantRecipientObject) => [r.Guid ?? "", r.Name, r.Alias ?? "", r.PrimarySmtpAddress, ...r.EmailAddresses];

/**
 * Members: any mail-enabled recipient, "UserMailbox, SharedMailbox, RoomMailbox,
 * EquipmentMailbox, MailUser, MailContact, MailUniversalDistributionGroup,
 * MailUniversalSecurityGroup" (Add-DistributionGroupMember.md, -Member). Owners: "a mailbox, mail
 * user or mail-enabled security group" (New-DistributionGroup.md, -ManagedBy).
 */
const MEMBER_TYPES = new Set(["UserMailbox", "MailUser", "MailContact", "MailUniversalDistributionGroup", "MailUniversalSecurityGroup"]);
const OWNER_TYPES = new Set(["UserMailbox", "MailUser", "MailUniversalSecurityGroup"]);

/**
 * A resolver of recipients of one of `types`, indexed once: a command naming many recipients
 * (Update-DistributionGroupMember's -Members) resolves each in O(1), exactly as one naming one.
 * One of another type does not resolve: what Exchange says then is not documented, so the
 * unresolved-recipient text stands in (an assumption).
 */
function recipientResolver(w: World, types: Set<string>): (id: string) => TenantRecipientObject {
  const byKey = new Map<string, TenantRecipientObject[]>();
  for (const r of allRecipients(w)) {
    if (!types.has(r.RecipientType)) continue;
    for (const k of new Set(recipientKeys(r).map(bare))) {
      const list = byKey.get(k);
      if (list) list.push(r);
      else byKey.set(k, [r]);
    }
  }
  return (id) => {
    const hits = byKey.get(bare(id)) ?? [];
    if (hits.length > 1) raise("ambiguous", id);
    return hits[0] ?? unresolvedRecipient(id);
  };
}
/**
 * One recipient, as the resolver finds it, by one scan of the raw lists: a recipient object is
 * made only for a hit (building all 10,000, and an index of them, cost ~80 ms a call).
 */
function resolveRecipient(w: World, id: string, types: Set<string>): TenantRecipientObject {
  const named = namedBy(id);
  let hit: TenantRecipientObject | undefined;
  const take = (r: TenantRecipientObject) => {
    if (!types.has(r.RecipientType)) return;
    if (hit) raise("ambiguous", id);
    hit = r;
  };
  for (const m of w.tenant.mailboxes) if ([m.Guid, m.Name, m.Alias, m.PrimarySmtpAddress, ...m.EmailAddresses].some(named)) take(mailboxRecipient(m));
  for (const m of w.tenant.mailRecipients ?? []) if ([m.Guid, m.Name, m.Alias, m.PrimarySmtpAddress, ...m.EmailAddresses].some(named)) take(mailRecipient(m));
  for (const g of w.tenant.groups) if ([g.Guid, g.Name, g.Alias, g.PrimarySmtpAddress, ...g.EmailAddresses].some(named)) take(groupRecipient(g));
  return hit ?? unresolvedRecipient(id);
}

/** Every proxy address in the tenant and who holds it: addresses are unique across recipients. */
function addressOwner(w: World, address: string): string | undefined {
  const named = namedBy(address);
  return [...w.tenant.mailboxes, ...(w.tenant.mailRecipients ?? []), ...w.tenant.groups].find((r) => r.EmailAddresses.some(named))?.Name;
}

/** The domain of a primary address must be accepted (reference §5 [X]; New- and Set-DistributionGroup alike). */
function requireAcceptedDomain(w: World, address: string): void {
  if (!w.tenant.acceptedDomains.some((d) => eq(d.DomainName, domainOf(address)))) raise("domainNotAccepted", domainOf(address));
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
  RecipientTypeDetails: groupType(g),
  ManagedBy: g.ManagedBy,
  MemberJoinRestriction: g.MemberJoinRestriction,
  MemberDepartRestriction: g.MemberDepartRestriction,
  RequireSenderAuthenticationEnabled: g.RequireSenderAuthenticationEnabled,
  HiddenFromAddressListsEnabled: g.HiddenFromAddressListsEnabled,
});

/**
 * The app is never a group owner under app-only auth: "If you aren't defined in the ManagedBy
 * property of the group, you need to use this switch in commands that modify or delete the
 * group" (Add-DistributionGroupMember.md, -BypassSecurityGroupManagerCheck; the same on Set-,
 * Remove-DistributionGroup and Remove-DistributionGroupMember).
 */
function requireManagerBypass(bypass: boolean | undefined): void {
  if (!bypass) raise("notGroupManager");
}

function resolveOwners(w: World, owners: string[]): string[] {
  return owners.map((o) => resolveRecipient(w, o, OWNER_TYPES).Name);
}

/**
 * "You can't use this value [Open] on universal security groups", for both restrictions
 * (New-DistributionGroup.md, -MemberDepartRestriction and -MemberJoinRestriction); texts [X].
 */
function checkMembershipRestrictions(g: Pick<Group, "Type" | "MemberJoinRestriction" | "MemberDepartRestriction">): void {
  if (g.Type === "Security" && g.MemberDepartRestriction !== "Closed") raise("securityGroupDepartOpen");
  if (g.Type === "Security" && g.MemberJoinRestriction === "Open") raise("securityGroupJoinOpen");
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
  // An IP smart host comes back as an address literal, "[198.51.100.25]", as SMTP writes one (RFC
  // 5321 §4.1.3); the reference shows only the input form. Not documented: the form a reader must
  // take either way (smartHostKey), so the simulator prints the one that tests it.
  SmartHosts: o.SmartHosts.map((h) => (/^\d+(?:\.\d+){3}$/.test(h) ? `[${h}]` : h)),
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

/**
 * TenantOutboundConnector.ValidateWrite, as far as the reference records it (texts [X]); each
 * rule names its documentation, or says it has none.
 */
function validateConnector(o: OutboundConnector): void {
  // Not documented (the references say only what IsTransportRuleScoped does); assumed from [X].
  const scoped = o.RecipientDomains.length === 0 && !o.AllAcceptedDomains;
  if (o.IsTransportRuleScoped !== scoped) raise("connectorScope");
  // "This parameter is required if you use the value $false for the UseMxRecord parameter"
  // (New-OutboundConnector.md, -SmartHosts).
  if (!o.UseMXRecord && o.SmartHosts.length === 0) raise("smartHostsRequired");
  // The converse is not documented; assumed from [X].
  if (o.UseMXRecord && o.SmartHosts.length > 0) raise("mxWithSmartHosts");
  // DomainValidation "verifies that the FQDN of the target certificate matches the domain
  // specified in the TlsDomain parameter" (-TlsSettings), so it needs one. The converse, a
  // TlsDomain without DomainValidation, is accepted: the docs call it only "meaningful only when
  // the TlsSettings value is DomainValidation" (-TlsDomain). (Exchange may warn; the protocol
  // carries no warnings.)
  if (!o.TlsDomain && o.TlsSettings === "DomainValidation") raise("domainValidationWithoutTlsDomain");
  // Not documented; assumed from [X] (an OnPremises connector delivers to smart hosts).
  if (o.ConnectorType === "OnPremises" && o.UseMXRecord) raise("onPremisesWithMx");
  // "This setting requires OnPremises for the ConnectorType value" (New-OutboundConnector.md:
  // -AllAcceptedDomains, -RouteAllMessagesViaOnPremises, -SenderRewritingEnabled). The docs set
  // no such condition on -CloudServicesMailEnabled, so it is not checked.
  if (o.ConnectorType !== "OnPremises") {
    for (const k of ["AllAcceptedDomains", "RouteAllMessagesViaOnPremises", "SenderRewritingEnabled"] as const) {
      if (o[k]) raise("onPremisesOnly", k);
    }
  }
  // SmartHosts: "FQDN ..., Single IP address: For example, 10.10.1.1. Classless InterDomain
  // Routing (CIDR) IP address range: For example, 192.168.0.1/25" (-SmartHosts). IPv6 and
  // reserved ranges: [X] (see ip.ts for which ranges).
  for (const h of o.SmartHosts) {
    if (h.includes(":")) raise("smartHostIpv6", h);
    if (looksLikeIpv4(h)) {
      const range = h.includes("-") ? undefined : ipv4Range(h);
      if (!range) raise("invalidIpValue", "SmartHosts", h, "Microsoft.Exchange.Data.SmartHost");
      if (overlapsReserved(range!)) raise("smartHostReserved", h);
    }
  }
}

const referencingRules = (w: World, o: OutboundConnector) =>
  w.tenant.transportRules.filter((r) => r.RouteMessageOutboundConnector !== null && eq(r.RouteMessageOutboundConnector, o.Name));
// Not documented; assumed from [X] (reference §3, rule 9).
const stillReferenced = (): never => raise("stillReferenced");

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
  // A world saved before rules had the field has none: no condition, as Exchange prints it.
  SentToMemberOf: r.SentToMemberOf ?? [],
  ExceptIfSentToMemberOf: r.ExceptIfSentToMemberOf,
  SenderIpRanges: r.SenderIpRanges,
  SetSCL: r.SetSCL,
  StopRuleProcessing: r.StopRuleProcessing,
  RuleErrorAction: r.RuleErrorAction,
  SenderAddressLocation: r.SenderAddressLocation,
});

/** Utils.ValidateEnabledConnectorById: a rule routes only to an enabled, rule-scoped connector. */
function ruleConnector(w: World, id: string): string {
  const o = findConnector(w, id) ?? raise("ruleConnectorMissing", id);
  if (!o.Enabled) raise("ruleConnectorDisabled", o.Name);
  if (!o.IsTransportRuleScoped) raise("ruleConnectorNotScoped", o.Name);
  return o.Name;
}

/** SenderIpRanges: "a single IP address, an IP address range or a CIDR range" (New-TransportRule.md). */
function ipRanges(values: string[]): string[] {
  for (const v of values) if (!ipv4Range(v)) raise("invalidIpValue", "SenderIpRanges", v, "Microsoft.Exchange.Data.IPRange");
  return values;
}

/**
 * MemberOf values (SentToMemberOf, ExceptIfSentToMemberOf) are stored as SMTP addresses; an
 * unresolvable valid SMTP address is kept as is.
 */
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
  if (p.SentToMemberOf !== undefined) r.SentToMemberOf = memberOfAddresses(w, p.SentToMemberOf ?? []);
  if (p.ExceptIfSentToMemberOf !== undefined) r.ExceptIfSentToMemberOf = memberOfAddresses(w, p.ExceptIfSentToMemberOf ?? []);
  if (p.SenderIpRanges !== undefined) r.SenderIpRanges = ipRanges(p.SenderIpRanges ?? []);
  if (p.SetSCL !== undefined) r.SetSCL = p.SetSCL;
  if (p.StopRuleProcessing !== undefined) r.StopRuleProcessing = p.StopRuleProcessing;
  if (p.Mode !== undefined) r.Mode = p.Mode;
  if (p.RuleErrorAction !== undefined) r.RuleErrorAction = p.RuleErrorAction;
  if (p.SenderAddressLocation !== undefined) r.SenderAddressLocation = p.SenderAddressLocation;
  if (p.Comments !== undefined) r.Comments = p.Comments;
  if (p.Name !== undefined && !eq(p.Name, r.Name)) {
    if (findRule(w, p.Name)) raise("ruleExists");
    r.Name = p.Name;
  }
  const size = JSON.stringify(r).length;
  if (size > MAX_RULE_SIZE) raise("ruleTooLarge", size, MAX_RULE_SIZE);
}

function placeRule(w: World, r: TransportRule, priority: number | undefined): void {
  const others = w.tenant.transportRules.filter((x) => x !== r).sort((a, b) => a.Priority - b.Priority);
  if (priority !== undefined && priority > others.length) raise("priorityTooHigh");
  others.splice(priority ?? others.length, 0, r);
  others.forEach((x, i) => (x.Priority = i));
  w.tenant.transportRules = others;
}

// ---- mailboxes ---------------------------------------------------------------------------------------------
// Exchange Online's own mailboxes (the world's tenant.mailboxes). The tenant keeps no forwarding
// of its own, so Get-Mailbox prints none.
const tenantMailboxOut = (m: TenantMailbox): MailboxObject => ({
  Identity: m.Name,
  Name: m.Name,
  Alias: m.Alias,
  PrimarySmtpAddress: m.PrimarySmtpAddress,
  EmailAddresses: m.EmailAddresses,
  ForwardingSmtpAddress: null,
  ForwardingAddress: null,
  DeliverToMailboxAndForward: false,
});
const getTenantMailbox = (w: World, id: string) =>
  findOne(w.tenant.mailboxes, id, (m) => [m.Guid, m.Name, m.Alias, m.PrimarySmtpAddress, ...m.EmailAddresses]) ?? notFound(id);

// ---- the cmdlets ----------------------------------------------------------------------------------------
export const tenantCmdlets: Record<string, Handler> = {
  // Without -Identity every Get-* lists all objects (each cmdlet's reference: "The value $null
  // or a non-existent value for the Identity parameter returns all objects").
  "Get-AcceptedDomain": (w, p: P<typeof c.GetAcceptedDomain>) =>
    p.Identity === undefined ? w.tenant.acceptedDomains.map(domainOut) : [domainOut(getDomain(w, p.Identity))],

  "Set-AcceptedDomain": (w, p: P<typeof c.SetAcceptedDomain>) => {
    const d = getDomain(w, p.Identity);
    // ExternalRelay is on-premises only (Set-AcceptedDomain.md, -DomainType); text [X].
    if (p.DomainType === "ExternalRelay") raise("externalRelay");
    const type = p.DomainType ?? d.DomainType;
    const match = p.MatchSubDomains ?? d.MatchSubDomains;
    // "an accepted domain must be set up as an internal relay domain" (Enable mail flow for
    // subdomains in Exchange Online); text [X].
    if (match && type !== "InternalRelay") raise("matchSubDomainsNeedsInternalRelay");
    d.DomainType = type;
    d.MatchSubDomains = match;
    return [];
  },

  "Get-DistributionGroup": (w, p: P<typeof c.GetDistributionGroup>) => [groupOut(getGroup(w, p.Identity))],

  "New-DistributionGroup": (w, p: P<typeof c.NewDistributionGroup>) => {
    if (findOne(w.tenant.groups, p.Name, (g) => [g.Name])) {
      raise("objectExists", EXO_SERVER, `CN=${p.Name},OU=${w.tenant.organization},OU=Microsoft Exchange Hosted Organizations,DC=EURPR06A001,DC=prod,DC=outlook,DC=com`);
    }
    // "If you don't use this parameter ..., the user account that created the group is the
    // owner" (New-DistributionGroup.md, -ManagedBy): under app-only auth there is no such user.
    // That Exchange then refuses is not documented; assumed from the [X] text.
    if (!p.ManagedBy) raise("ownerNotAutoAssigned");
    const alias = p.Alias ?? p.Name.replace(/[^A-Za-z0-9]/g, "");
    const defaultDomain = w.tenant.acceptedDomains.find((d) => d.Default)?.DomainName ?? w.tenant.organization;
    const primary = (p.PrimarySmtpAddress ?? `${alias}@${defaultDomain}`).toLowerCase();
    requireAcceptedDomain(w, primary);
    const owner = addressOwner(w, primary);
    if (owner) raise("proxyInUse", `SMTP:${primary}`, owner);
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
      Notes: p.Notes ?? null,
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
      requireAcceptedDomain(w, primary);
      const owner = addressOwner(w, primary);
      if (owner && owner !== g.Name) raise("proxyInUse", `SMTP:${primary}`, owner);
      g.EmailAddresses = [`SMTP:${primary}`, ...g.EmailAddresses.map((a) => (a.startsWith("SMTP:") ? `smtp:${bare(a)}` : a)).filter((a) => !sameAddress(a, primary))];
      g.PrimarySmtpAddress = primary;
    }
    if (p.Name !== undefined && !eq(p.Name, g.Name)) {
      if (findOne(w.tenant.groups, p.Name, (x) => [x.Name])) raise("objectExists", EXO_SERVER, `CN=${p.Name},OU=${w.tenant.organization}`);
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

  "Get-Group": (w, p: P<typeof c.GetGroup>): GroupObject[] => {
    const g = getGroupObject(w, p.Identity);
    return [{ Identity: g.Name, Guid: g.Guid, Name: g.Name, Notes: g.Notes ?? null }];
  },

  // "If you aren't defined in the ManagedBy property of the group, you need to use this switch in
  // commands that modify or delete the group" (Set-Group.md, -BypassSecurityGroupManagerCheck).
  "Set-Group": (w, p: P<typeof c.SetGroup>) => {
    requireManagerBypass(p.BypassSecurityGroupManagerCheck);
    const g = getGroupObject(w, p.Identity);
    if (p.Notes !== undefined) g.Notes = p.Notes;
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
    // Indexed once by bare primary address (the first recipient wins, as a scan would find it):
    // a scan per member made reading a 10,000-member group 7 s of CPU.
    const everyone = new Map<string, TenantRecipientObject>();
    for (const r of allRecipients(w)) if (!everyone.has(bare(r.PrimarySmtpAddress))) everyone.set(bare(r.PrimarySmtpAddress), r);
    return g.Members.slice(0, limit).map((address): RecipientObject => {
      const m = everyone.get(bare(address));
      return { Identity: m?.Name ?? address, Name: m?.Name ?? address, PrimarySmtpAddress: m?.PrimarySmtpAddress ?? address, RecipientType: m?.RecipientType ?? "UserMailbox" };
    });
  },

  "Get-Recipient": (w, p: P<typeof c.GetRecipient>) => {
    const all = allRecipients(w);
    if (p.Identity !== undefined) {
      const id = p.Identity;
      const hits = all.filter((r) => recipientKeys(r).some((k) => sameAddress(k, id)));
      if (hits.length > 1) raise("ambiguous", id);
      return hits.length ? hits : notFound(id);
    }
    const limit = p.ResultSize === "Unlimited" ? Infinity : (p.ResultSize ?? 1000); // the default truncates at 1000
    return all.slice(0, limit);
  },

  "Add-DistributionGroupMember": (w, p: P<typeof c.AddDistributionGroupMember>) => {
    requireManagerBypass(p.BypassSecurityGroupManagerCheck);
    const g = getGroup(w, p.Identity);
    const m = resolveRecipient(w, p.Member, MEMBER_TYPES);
    const address = m.PrimarySmtpAddress.toLowerCase();
    if (g.Members.includes(address)) raise("alreadyMember", m.PrimarySmtpAddress, g.Name);
    g.Members.push(address);
    return [];
  },

  // The whole membership replaced by -Members (Update-DistributionGroupMember.md). Each member
  // resolves as Add-DistributionGroupMember's -Member does, with the same errors; one that does
  // not resolve fails the whole command and changes nothing (not documented; assumed from
  // Exchange validating a command's parameters before it writes). A recipient named twice is a
  // member once (not documented; assumed from a membership being a set).
  "Update-DistributionGroupMember": (w, p: P<typeof c.UpdateDistributionGroupMember>) => {
    requireManagerBypass(p.BypassSecurityGroupManagerCheck);
    const g = getGroup(w, p.Identity);
    const resolve = recipientResolver(w, MEMBER_TYPES);
    g.Members = [...new Set(p.Members.map((id) => resolve(id).PrimarySmtpAddress.toLowerCase()))];
    return [];
  },

  "Remove-DistributionGroupMember": (w, p: P<typeof c.RemoveDistributionGroupMember>) => {
    requireManagerBypass(p.BypassSecurityGroupManagerCheck);
    const g = getGroup(w, p.Identity);
    const m = resolveRecipient(w, p.Member, MEMBER_TYPES);
    const address = m.PrimarySmtpAddress.toLowerCase();
    if (!g.Members.includes(address)) raise("notMember", m.PrimarySmtpAddress, g.Name);
    g.Members = g.Members.filter((x) => x !== address);
    return [];
  },

  // Without -Identity: the first ResultSize mailboxes, 1000 by default (Get-Mailbox.md, -ResultSize).
  "Get-Mailbox": (w, p: P<typeof c.GetTenantMailbox>) =>
    p.Identity === undefined
      ? w.tenant.mailboxes.slice(0, p.ResultSize === "Unlimited" ? Infinity : (p.ResultSize ?? 1000)).map(tenantMailboxOut)
      : [tenantMailboxOut(getTenantMailbox(w, p.Identity))],

  // -EmailAddresses @{Add;Remove} "without affecting other existing values" (Set-Mailbox.md).
  // An added address must be no other recipient's: proxy addresses are unique across the tenant
  // (the proxyInUse text, as New-DistributionGroup's). Its domain must be an accepted domain, as
  // a group's primary address must (reference §5 [X]); for a proxy address on Set-Mailbox that
  // is not documented (assumed from the primary-address check), nor is whether a MatchSubDomains
  // parent covers a subdomain's address: the simulator takes the stricter reading and wants the
  // domain itself accepted. The primary address cannot be removed (as at the source). Adding an
  // address the mailbox holds, or removing one it does not hold, changes nothing.
  "Set-Mailbox": (w, p: P<typeof c.SetTenantMailbox>) => {
    const m = getTenantMailbox(w, p.Identity);
    const next = [...m.EmailAddresses];
    for (const address of p.EmailAddresses.Add ?? []) {
      if (next.some((a) => sameAddress(a, address))) continue;
      requireAcceptedDomain(w, address);
      const owner = addressOwner(w, address);
      if (owner) raise("proxyInUse", `smtp:${bare(address)}`, owner);
      next.push(`smtp:${bare(address)}`);
    }
    for (const address of p.EmailAddresses.Remove ?? []) {
      if (sameAddress(address, m.PrimarySmtpAddress)) raise("primaryNotRemovable", bare(address));
    }
    const removed = p.EmailAddresses.Remove ?? [];
    m.EmailAddresses = next.filter((a) => !removed.some((r) => sameAddress(a, r)));
    return [];
  },

  "Get-OutboundConnector": (w, p: P<typeof c.GetOutboundConnector>) =>
    p.Identity === undefined ? w.tenant.outboundConnectors.map(connectorOut) : [connectorOut(getConnector(w, p.Identity))],

  "New-OutboundConnector": (w, p: P<typeof c.NewOutboundConnector>) => {
    if (findConnector(w, p.Name)) raise("connectorExists", p.Name);
    const o: OutboundConnector = {
      Guid: nextGuid(w),
      Name: p.Name,
      Enabled: p.Enabled ?? true,
      // The docs give no default ConnectorType; Partner is the schema default [X] (reference §3).
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
    if (p.Name !== undefined && !eq(p.Name, o.Name) && findConnector(w, p.Name)) raise("connectorExists", p.Name);
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
    if (findRule(w, p.Name)) raise("ruleExists");
    if (w.tenant.transportRules.length >= MAX_RULES) raise("tooManyRules", MAX_RULES);
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
