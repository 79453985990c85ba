import { smartHostKey } from "../exchange/addresses";
import { sclOf } from "../exchange/cmdlets/transportRule";
import { forwardingRecipient } from "../exchange/identity";
import type { AcceptedDomain, Group, OutboundConnector, SendConnector, SourceAcceptedDomain, SourceMailbox, TenantMailbox, TenantMailRecipient, TransportRule, World } from "../simulator/model";

/**
 * The mail-routing oracle: given a simulated world, where does a message to one recipient end?
 * It reproduces the model in shared/reference/mail-flow.md (internet → MX → source or Exchange
 * Online; Exchange transport rules + transport-rule-scoped connector back to the source; source
 * forwarding to the tenant routing address). Pure and deterministic: it never mutates the world.
 */

export type System = "internet" | "exchange" | "source";
/** forwarded-outside: a source mailbox's own forward took the mail out of both systems (the owner's choice). */
export type Outcome = "delivered-exchange" | "delivered-source" | "forwarded-outside" | "loop" | "bounce";

/** One readable step: where it happened, for which recipient (normalised), and what was done. */
export interface Hop {
  at: System;
  recipient: string;
  action: string;
}

export interface Trace {
  outcome: Outcome;
  hops: Hop[];
  /** The primary SMTP address of the mailbox (or group) that received the message. */
  deliveredTo?: string;
  /** Why the message bounced or looped (an NDR-like text). */
  reason?: string;
  /**
   * Present once the message went through Exchange Online transport: true when the last
   * Exchange pass applied a rule setting SCL -1 (spam filtering bypassed).
   */
  spamBypassed?: boolean;
  /**
   * True when a SentToScope condition met on the way would have gone the other way under the
   * other reading of InOrganization (see InOrganizationReading): the message may take another
   * path there, so a checker that must hold under both readings traces it again under the other.
   */
  inOrganizationReadingsDiffer?: boolean;
}

/**
 * The two readings of SentToScope InOrganization the documentation gives. They differ for a
 * recipient of the organisation reached over an unauthenticated connection (internet mail by MX,
 * the source's forwarded copies): only "conditions" matches it.
 *
 * - "conditions": the mail flow rule conditions page (Exchange/ExchangeOnline/security-and-
 *   compliance/mail-flow-rules/conditions-and-exceptions.md, property type UserScopeTo): "A
 *   recipient is considered to be inside the organization if either of the following conditions
 *   is true: The recipient is a mailbox, mail user, group, or mail-enabled public folder that
 *   exists inside the organization. The recipient's email address is in an accepted domain that's
 *   configured as an authoritative domain or an internal relay domain, **and** the message was
 *   sent or received over an authenticated connection." (Older New-TransportRule pages said the
 *   same.) The default: what the oracle did before both were modelled.
 * - "cmdlet": New-TransportRule.md (exchange/exchange-ps/ExchangePowerShell/, -SentToScope):
 *   "InOrganization: The message was sent or received over an authenticated connection **AND**
 *   the recipient meets at least one of the following criteria: The recipient is a mailbox, mail
 *   user, group, or mail-enabled public folder in the organization, **OR** the recipient's email
 *   address is in an accepted domain that's configured as an authoritative domain or an internal
 *   relay domain in the organization."
 *
 * Which one Exchange Online implements is not documented; the safety gate checks both
 * (safety/gate.ts) and refuses a state unsafe under either.
 */
export type InOrganizationReading = "conditions" | "cmdlet";
export const IN_ORGANIZATION_READINGS: readonly InOrganizationReading[] = ["conditions", "cmdlet"];

export interface TraceOptions {
  /** The reading of SentToScope InOrganization to apply; default "conditions". */
  inOrganization?: InOrganizationReading;
}

export interface MailMessage {
  to: string;
  /** internet: sent by an outside sender; exchange: by an Exchange Online mailbox; source: by a source mailbox. */
  entry: System;
  from?: string;
}

/** Safety net on top of the (system, recipient) loop detection; real MTAs cap hops similarly. */
export const MAX_HOPS = 30;

// ---------------------------------------------------------------------------------------------
// Addresses, domains, IPs

/** Lower-cases and strips an `smtp:`/`SMTP:` prefix. */
export function normalizeAddress(address: string): string {
  return address.trim().replace(/^smtp:/i, "").toLowerCase();
}

/** The domain of an address (lower case), or undefined when it has none. */
export function addressDomain(address: string): string | undefined {
  const a = normalizeAddress(address);
  const at = a.lastIndexOf("@");
  return at > 0 && at < a.length - 1 ? a.slice(at + 1) : undefined;
}

/** The SMTP addresses of a recipient; non-SMTP proxies (X500:, SIP:…) are ignored. */
function smtpAddresses(r: { PrimarySmtpAddress: string; EmailAddresses: string[] }): string[] {
  const out = [normalizeAddress(r.PrimarySmtpAddress)];
  for (const e of r.EmailAddresses) {
    const prefix = /^([A-Za-z0-9]+):/.exec(e.trim());
    if (prefix && prefix[1]?.toLowerCase() !== "smtp") continue;
    out.push(normalizeAddress(e));
  }
  return out;
}

/**
 * Parsed IPs by their text: the gate traces every user's mail through the same few configured
 * ranges and hosts, and parsing them again on each hop was a tenth of its time at 10,000 users.
 */
const parsedIps = new Map<string, number | undefined>();
function ipv4ToInt(ip: string): number | undefined {
  if (parsedIps.has(ip)) return parsedIps.get(ip);
  if (parsedIps.size >= 1000) parsedIps.clear(); // config-sized; bounded all the same
  const n = parseIpv4(ip);
  parsedIps.set(ip, n);
  return n;
}

function parseIpv4(ip: string): number | undefined {
  const parts = ip.trim().split(".");
  if (parts.length !== 4) return undefined;
  let n = 0;
  for (const p of parts) {
    if (!/^\d{1,3}$/.test(p)) return undefined;
    const v = Number(p);
    if (v > 255) return undefined;
    n = n * 256 + v;
  }
  return n;
}

/** Whether an IPv4 address lies in a single address, an `a-b` range or a CIDR range. */
export function ipInRange(ip: string, range: string): boolean {
  const addr = ipv4ToInt(ip);
  if (addr === undefined) return false;
  const r = range.trim();
  if (r.includes("/")) {
    const [base, bits] = r.split("/");
    const b = ipv4ToInt(base ?? "");
    const prefix = Number(bits);
    if (b === undefined || !Number.isInteger(prefix) || prefix < 0 || prefix > 32) return false;
    const size = 2 ** (32 - prefix);
    return Math.floor(addr / size) === Math.floor(b / size);
  }
  if (r.includes("-")) {
    const [lo, hi] = r.split("-").map((x) => ipv4ToInt(x));
    return lo !== undefined && hi !== undefined && addr >= lo && addr <= hi;
  }
  return ipv4ToInt(r) === addr;
}


// ---------------------------------------------------------------------------------------------
// The directory: every lookup a trace makes, indexed once per world

/** A recipient of the tenant: a mailbox, a group, or a mail user or mail contact (`mailRecipient`). */
export type TenantRecipient = { kind: "mailbox"; mailbox: TenantMailbox } | { kind: "group"; group: Group } | { kind: "mailRecipient"; recipient: TenantMailRecipient };

/** The primary SMTP address of a tenant recipient, as written. */
export function recipientPrimary(r: TenantRecipient): string {
  return r.kind === "mailbox" ? r.mailbox.PrimarySmtpAddress : r.kind === "group" ? r.group.PrimarySmtpAddress : r.recipient.PrimarySmtpAddress;
}

/**
 * What routing reads of a world. A simulated world satisfies it; so does the routing snapshot
 * of a live tenant and source (snapshot/), which is why the oracle never reads anything else.
 */
export interface RoutingWorld {
  tenant: Pick<World["tenant"], "acceptedDomains" | "mailboxes" | "mailRecipients" | "groups" | "outboundConnectors" | "transportRules">;
  source: Pick<World["source"], "hosts" | "outboundIps" | "mailboxes" | "acceptedDomains" | "sendConnectors"> & Partial<Pick<World["source"], "kind" | "google">>;
  mx: World["mx"];
}

/** Every lookup routing makes. Built once per world (O(1) lookups), or a one-user overlay of one. */
export interface View {
  acceptedDomainFor(domain: string): AcceptedDomain | undefined;
  tenantRecipient(address: string): TenantRecipient | undefined;
  group(ref: string): Group | undefined;
  groupByPrimary(address: string): Group | undefined;
  hasDirectMember(group: Group, primary: string): boolean;
  /** The groups among a group's members (for nested membership). */
  nestedGroups(group: Group): readonly Group[];
  connector(ref: string): OutboundConnector | undefined;
  readonly liveRules: readonly TransportRule[];
  sourceMailbox(address: string): SourceMailbox | undefined;
  sourceMailboxByName(name: string): SourceMailbox | undefined;
  hostsDomain(domain: string): boolean;
  /** A source mailbox with an address in `domain` (what makes the source host it). */
  domainHolder(domain: string): SourceMailbox | undefined;
  readonly sourceHosts: ReadonlySet<string>;
  readonly senderIp: string | undefined;
  mx(domain: string): "source" | "exchange" | "outside" | undefined;
  /** The source's accepted domain covering `domain`, when the world lists the source's domains. */
  sourceAcceptedDomainFor(domain: string): SourceAcceptedDomain | undefined;
  /** The enabled send connector of the source that routes mail for `domain`, and the address space that chose it. */
  sendConnectorFor(domain: string): { connector: SendConnector; space: string } | undefined;
}

/**
 * A send connector address space: "AddressSpaceType:AddressSpace;AddressSpaceCost", the type
 * SMTP and the cost 1 when omitted (New-SendConnector.md, -AddressSpaces). Non-SMTP spaces
 * route no SMTP recipient, so they are dropped.
 */
function smtpAddressSpace(text: string): { space: string; cost: number } | undefined {
  const m = /^(?:([^:;]+):)?([^;]+)(?:;(\d+))?$/.exec(text.trim());
  if (!m || (m[1] !== undefined && m[1].toLowerCase() !== "smtp")) return undefined;
  return { space: m[2]!.trim().toLowerCase(), cost: m[3] === undefined ? 1 : Number(m[3]) };
}

/**
 * How closely an address space matches `domain`, higher is closer; undefined when it does not.
 * `contoso.com` matches that domain only; `*.contoso.com` "all recipients with e-mail addresses
 * in the Contoso.com domain or any subdomain of Contoso.com"; `*` every domain not matched more
 * closely ("The Send connector whose address space most closely matches the recipient's e-mail
 * address is selected", Exchange 2007 "Send Connectors", technet aa998662; the current
 * New-SendConnector.md lists the same forms but not the selection rule).
 */
function spaceMatch(space: string, domain: string): number | undefined {
  if (space === "*") return 0;
  if (space.startsWith("*.")) {
    const parent = space.slice(2);
    return domain === parent || domain.endsWith(`.${parent}`) ? parent.length : undefined;
  }
  // An exact match beats any wildcard of the same domain.
  return space === domain ? space.length + 1 : undefined;
}

/** Rule is live: only Enabled rules in Enforce mode act (Audit modes only log). */
const isLive = (r: TransportRule) => r.State === "Enabled" && r.Mode === "Enforce";

class Directory implements View {
  private readonly tenantByAddress = new Map<string, TenantRecipient>();
  private readonly groupsByRef = new Map<string, Group>();
  private readonly groupsByPrimary = new Map<string, Group>();
  private readonly members = new Map<Group, Set<string>>();
  private readonly connectors = new Map<string, OutboundConnector>();
  private readonly sourceByAddress = new Map<string, SourceMailbox>();
  private readonly sourceByName = new Map<string, SourceMailbox>();
  private readonly sourceDomains = new Map<string, SourceMailbox>();
  private readonly mxByDomain = new Map<string, "source" | "exchange" | "outside">();
  readonly liveRules: readonly TransportRule[];
  readonly sourceHosts: ReadonlySet<string>;
  readonly senderIp: string | undefined;

  constructor(private readonly world: RoutingWorld) {
    const t = world.tenant;
    // First holder wins, as the linear scans this replaces did (addresses are unique in Exchange).
    const claim = <V>(map: Map<string, V>, key: string, value: V) => void (map.has(key) || map.set(key, value));
    for (const mailbox of t.mailboxes) for (const a of smtpAddresses(mailbox)) claim(this.tenantByAddress, a, { kind: "mailbox", mailbox });
    for (const recipient of t.mailRecipients ?? []) for (const a of smtpAddresses(recipient)) claim(this.tenantByAddress, a, { kind: "mailRecipient", recipient });
    for (const group of t.groups) {
      for (const a of smtpAddresses(group)) {
        claim(this.tenantByAddress, a, { kind: "group", group });
        claim(this.groupsByRef, a, group);
      }
      for (const k of [group.Name, group.Alias, group.DisplayName, group.Guid]) claim(this.groupsByRef, k.toLowerCase(), group);
      claim(this.groupsByPrimary, normalizeAddress(group.PrimarySmtpAddress), group);
      this.members.set(group, new Set(group.Members.map(normalizeAddress)));
    }
    for (const c of t.outboundConnectors) for (const k of [c.Name, c.Guid]) claim(this.connectors, k.toLowerCase(), c);
    for (const m of world.source.mailboxes) {
      for (const a of smtpAddresses(m)) {
        claim(this.sourceByAddress, a, m);
        const d = addressDomain(a);
        if (d) claim(this.sourceDomains, d, m);
      }
      for (const k of [m.Name, m.Alias, m.Guid]) claim(this.sourceByName, k.toLowerCase(), m);
    }
    for (const [d, target] of Object.entries(world.mx)) claim(this.mxByDomain, d.toLowerCase(), target);
    this.liveRules = t.transportRules
      .map((rule, i) => ({ rule, i }))
      .filter(({ rule }) => isLive(rule))
      .sort((x, y) => x.rule.Priority - y.rule.Priority || x.i - y.i)
      .map(({ rule }) => rule);
    this.sourceHosts = new Set(world.source.hosts.map(smartHostKey));
    this.senderIp = world.source.outboundIps[0];
  }

  /**
   * The source's accepted domain for `domain`: an exact DomainName, else the longest parent whose
   * DomainName is `*.parent` ("to specify all subdomains", New-AcceptedDomain.md, -DomainName) or
   * which has MatchSubDomains on (as the tenant's: InternalRelay only; documented for Exchange
   * Online only, assumed for on-premises Exchange, whose Set-AcceptedDomain.md states no such rule).
   */
  sourceAcceptedDomainFor(domain: string): SourceAcceptedDomain | undefined {
    const all = this.world.source.acceptedDomains ?? [];
    const exact = all.find((a) => a.DomainName.toLowerCase() === domain);
    if (exact) return exact;
    const parentOf = (a: SourceAcceptedDomain) => {
      const n = a.DomainName.toLowerCase();
      if (n.startsWith("*.")) return n.slice(2);
      return a.MatchSubDomains && a.DomainType === "InternalRelay" ? n : undefined;
    };
    return all
      .map((a) => ({ a, parent: parentOf(a) }))
      .filter((x): x is { a: SourceAcceptedDomain; parent: string } => x.parent !== undefined && domain.endsWith(`.${x.parent}`))
      .sort((x, y) => y.parent.length - x.parent.length)[0]?.a;
  }

  /**
   * The closest-matching address space of an enabled connector wins, then the lower cost (New-
   * SendConnector.md: "A lower cost indicates a better route"), then the first listed. A disabled
   * connector routes nothing (-Enabled: "whether to enable the Send connector to process email
   * messages").
   */
  sendConnectorFor(domain: string): { connector: SendConnector; space: string } | undefined {
    let best: { connector: SendConnector; space: string; match: number; cost: number } | undefined;
    for (const connector of this.world.source.sendConnectors ?? []) {
      if (!connector.Enabled) continue;
      for (const text of connector.AddressSpaces) {
        const parsed = smtpAddressSpace(text);
        const match = parsed && spaceMatch(parsed.space, domain);
        if (parsed === undefined || match === undefined) continue;
        if (!best || match > best.match || (match === best.match && parsed.cost < best.cost)) best = { connector, space: text, match, cost: parsed.cost };
      }
    }
    return best && { connector: best.connector, space: best.space };
  }

  /**
   * The accepted domain covering `domain`: an exact DomainName match, else the longest parent
   * domain with MatchSubDomains on. MatchSubDomains is honoured only on InternalRelay domains
   * ("In order to enable match subdomains, an accepted domain must be set up as an internal relay
   * domain.", "Enable mail flow for subdomains in Exchange Online", MicrosoftDocs/OfficeDocs-Exchange
   * enable-mail-flow-for-subdomains.md; Set-AcceptedDomain.md's -MatchSubDomains does not say it),
   * so a stray flag on an Authoritative domain covers nothing.
   */
  acceptedDomainFor(domain: string): AcceptedDomain | undefined {
    const all = this.world.tenant.acceptedDomains;
    const exact = all.find((a) => a.DomainName.toLowerCase() === domain);
    if (exact) return exact;
    return all
      .filter((a) => a.MatchSubDomains && a.DomainType === "InternalRelay" && domain.endsWith(`.${a.DomainName.toLowerCase()}`))
      .sort((x, y) => y.DomainName.length - x.DomainName.length)[0];
  }
  tenantRecipient(address: string) {
    return this.tenantByAddress.get(address);
  }
  /** A group referenced by SMTP address, name, alias, display name or GUID. */
  group(ref: string) {
    return this.groupsByRef.get(normalizeAddress(ref));
  }
  groupByPrimary(address: string) {
    return this.groupsByPrimary.get(address);
  }
  hasDirectMember(group: Group, primary: string): boolean {
    return this.members.get(group)?.has(primary) ?? false;
  }
  private readonly nested = new Map<Group, Group[]>();
  nestedGroups(group: Group): readonly Group[] {
    let list = this.nested.get(group);
    if (!list) {
      list = [...(this.members.get(group) ?? [])].map((m) => this.groupsByPrimary.get(m)).filter((g): g is Group => g !== undefined);
      this.nested.set(group, list);
    }
    return list;
  }
  connector(ref: string) {
    return this.connectors.get(ref.toLowerCase());
  }
  sourceMailbox(address: string) {
    return this.sourceByAddress.get(address);
  }
  sourceMailboxByName(name: string) {
    return this.sourceByName.get(name.toLowerCase());
  }
  hostsDomain(domain: string) {
    return this.sourceDomains.has(domain);
  }
  domainHolder(domain: string) {
    return this.sourceDomains.get(domain);
  }
  mx(domain: string) {
    return this.mxByDomain.get(domain);
  }
}

/**
 * One user's state laid over a view: their source mailbox and their membership of one group
 * as they are after some of their steps, every other object as in the view. The safety gate
 * checks each user's intermediate states this way without copying a world per state.
 */
export interface UserOverride {
  /** The user's source mailbox as it is in the view (its addresses stop pointing at it)... */
  before?: SourceMailbox;
  /** ...and as it is in this state. */
  after?: SourceMailbox;
  /** The group whose membership differs, by Guid, and the user's primary address in it. */
  membership?: { groupGuid: string; primary: string; member: boolean };
}

class Overlay implements View {
  private readonly afterAddresses: Set<string>;
  private readonly beforeAddresses: Set<string>;
  constructor(
    private readonly base: View,
    private readonly o: UserOverride,
  ) {
    this.afterAddresses = new Set(o.after ? smtpAddresses(o.after) : []);
    this.beforeAddresses = new Set(o.before ? smtpAddresses(o.before) : []);
  }
  acceptedDomainFor = (d: string) => this.base.acceptedDomainFor(d);
  tenantRecipient = (a: string) => this.base.tenantRecipient(a);
  group = (r: string) => this.base.group(r);
  groupByPrimary = (a: string) => this.base.groupByPrimary(a);
  nestedGroups = (g: Group) => this.base.nestedGroups(g);
  connector = (r: string) => this.base.connector(r);
  get liveRules() {
    return this.base.liveRules;
  }
  get sourceHosts() {
    return this.base.sourceHosts;
  }
  get senderIp() {
    return this.base.senderIp;
  }
  mx = (d: string) => this.base.mx(d);
  sourceAcceptedDomainFor = (d: string) => this.base.sourceAcceptedDomainFor(d);
  sendConnectorFor = (d: string) => this.base.sendConnectorFor(d);
  hasDirectMember(group: Group, primary: string): boolean {
    const m = this.o.membership;
    if (m && group.Guid === m.groupGuid && primary === m.primary) return m.member;
    return this.base.hasDirectMember(group, primary);
  }
  sourceMailbox(address: string) {
    if (this.afterAddresses.has(address)) return this.o.after;
    if (this.beforeAddresses.has(address)) return undefined;
    return this.base.sourceMailbox(address);
  }
  sourceMailboxByName(name: string) {
    const n = name.toLowerCase();
    const mine = (m?: SourceMailbox) => m !== undefined && [m.Name, m.Alias, m.Guid].some((k) => k.toLowerCase() === n);
    if (mine(this.o.after)) return this.o.after;
    if (mine(this.o.before)) return undefined;
    return this.base.sourceMailboxByName(name);
  }
  hostsDomain(d: string) {
    return this.domainHolder(d) !== undefined;
  }
  domainHolder(d: string) {
    if ([...this.afterAddresses].some((a) => addressDomain(a) === d)) return this.o.after;
    const base = this.base.domainHolder(d);
    // The user's own mailbox no longer makes the source host d once it drops those addresses
    // (another mailbox may still; the index keeps only the first, an accepted approximation).
    return base && this.o.before && base.Guid === this.o.before.Guid ? undefined : base;
  }
}

/**
 * The indexed view of a world. Build it once and trace many messages through it; it reflects
 * the world as it was when built (a world changed later needs a new view).
 */
export function viewOf(world: RoutingWorld | View): View {
  return world instanceof Directory || world instanceof Overlay ? world : new Directory(world as RoutingWorld);
}

/** A view with one user's state replaced. */
export const overlay = (base: RoutingWorld | View, o: UserOverride): View => new Overlay(viewOf(base), o);

/** Membership by lower-case primary SMTP address; nested groups are followed (cycle-safe). */
function isMember(view: View, group: Group, primary: string, seen = new Set<string>()): boolean {
  seen.add(group.Guid);
  if (view.hasDirectMember(group, primary)) return true;
  for (const nested of view.nestedGroups(group)) {
    if (!seen.has(nested.Guid) && isMember(view, nested, primary, seen)) return true;
  }
  return false;
}

/** The first of `refs` naming an existing group that `primary` is a member of (nested included). */
function memberOfAny(view: View, refs: readonly string[], primary: string): string | undefined {
  return refs.find((g) => {
    const group = view.group(g);
    return group !== undefined && isMember(view, group, primary);
  });
}

/**
 * The forwarding target of a source mailbox. "If you configure values for both the
 * ForwardingAddress and ForwardingSmtpAddress parameters, the value of ForwardingSmtpAddress is
 * ignored" (Set-Mailbox reference), so ForwardingAddress wins. ForwardingAddress is a recipient
 * identity as Get-Mailbox prints it (a canonical name, DN, name, alias or address), resolved by
 * exchange/identity.ts forwardingRecipient; one it cannot resolve bounces here, so it is seen.
 */
function forwardingOf(view: View, m: SourceMailbox): { target: string; field: string } | { error: string } | undefined {
  if (m.ForwardingAddress) {
    const r = forwardingRecipient(m.ForwardingAddress, (key) => view.sourceMailboxByName(key));
    if (r === undefined) return { error: `forwarding target '${m.ForwardingAddress}' not found at source` };
    return { target: "address" in r ? normalizeAddress(r.address) : normalizeAddress(r.mailbox.PrimarySmtpAddress), field: "ForwardingAddress" };
  }
  if (m.ForwardingSmtpAddress) {
    const target = normalizeAddress(m.ForwardingSmtpAddress);
    // Gmail: "A verified forwarding address must be specified when auto-forwarding is enabled"
    // (users.settings.updateAutoForwarding): a forward to an address still pending verification
    // forwards nothing. Gmail would not enable it; a hand-made state could show it.
    if (m.gmail?.forwardingAddresses.some((a) => normalizeAddress(a.forwardingEmail) === target && a.verificationStatus === "pending")) return undefined;
    return { target, field: "ForwardingSmtpAddress" };
  }
  return undefined;
}

// ---------------------------------------------------------------------------------------------
// Transport

/** A message arriving at a system for one recipient. */
interface Arrival {
  system: "exchange" | "source";
  recipient: string;
  /** internet: over SMTP via MX; connector: EXO's outbound connector to the source; submission: sent by a local mailbox; local: re-submitted on the same system (forwarding). */
  via: "internet" | "connector" | "submission" | "local";
  /** The IP the message came from when it crossed the internet (the source's outbound IP, or none). */
  senderIp?: string;
}

interface Terminal {
  outcome: Outcome;
  deliveredTo?: string;
  reason?: string;
}

type Step = { arrival: Arrival } | { end: Terminal };

const bounce = (reason: string): Step => ({ end: { outcome: "bounce", reason } });

/** The message leaves `at` over the internet: the sender looks up the recipient domain's MX. */
function viaMx(world: View, at: System, recipient: string, hops: Hop[], senderIp?: string): Step {
  const d = addressDomain(recipient);
  if (!d) {
    hops.push({ at, recipient, action: "invalid recipient address" });
    return bounce(`invalid recipient address ${recipient}`);
  }
  const mx = world.mx(d);
  if (!mx) {
    hops.push({ at, recipient, action: `no MX for ${d}` });
    return bounce(`no MX for domain ${d}`);
  }
  hops.push({ at, recipient, action: `MX for ${d} → ${mx}${senderIp ? ` (sent from ${senderIp})` : ""}` });
  if (mx === "outside") return { end: { outcome: "forwarded-outside", deliveredTo: recipient } };
  return { arrival: { system: mx, recipient, via: "internet", ...(senderIp ? { senderIp } : {}) } };
}

function routeViaConnector(
  world: View,
  rule: TransportRule,
  ref: string,
  recipient: string,
  hops: Hop[],
  scl: string,
): Step | { error: string } {
  const c = world.connector(ref);
  if (!c) return { error: `connector '${ref}' does not exist` };
  if (!c.Enabled) return { error: `connector '${c.Name}' is disabled` };
  if (!c.IsTransportRuleScoped) return { error: `connector '${c.Name}' is not transport-rule scoped` };
  if (c.UseMXRecord) {
    hops.push({ at: "exchange", recipient, action: `rule '${rule.Name}' → connector '${c.Name}' → MX${scl}` });
    return viaMx(world, "exchange", recipient, hops);
  }
  const host = c.SmartHosts.find((h) => world.sourceHosts.has(smartHostKey(h)));
  if (!host) {
    hops.push({ at: "exchange", recipient, action: `rule '${rule.Name}' → connector '${c.Name}' → smart host ${c.SmartHosts.join(", ") || "(none)"}${scl}` });
    return bounce(`smart host unknown: connector '${c.Name}' points at ${c.SmartHosts.join(", ") || "no smart host"}, not the source`);
  }
  hops.push({ at: "exchange", recipient, action: `rule '${rule.Name}' → connector '${c.Name}' → smart host ${host}${scl}` });
  return { arrival: { system: "source", recipient, via: "connector" } };
}

/** One pass through Exchange Online transport. Returns the next step and the SCL set by rules. */
function exchangeTransport(world: View, a: Arrival, hops: Hop[], reading: InOrganizationReading): { step: Step; scl: number | undefined; readingsDiffer: boolean } {
  const r = a.recipient;
  const d = addressDomain(r);
  if (!d) return { step: bounce(`invalid recipient address ${r}`), scl: undefined, readingsDiffer: false };
  const accepted = world.acceptedDomainFor(d);
  // A mailbox or group address in a domain that is not accepted cannot resolve (Exchange refuses
  // such proxies), so only accepted domains are looked up for them. A mail contact's or mail
  // user's address is its ExternalEmailAddress by default ("By default, this value is used as the
  // primary email address of the mail contact or mail user", New-MailContact.md and
  // New-MailUser.md, -ExternalEmailAddress), outside the accepted domains: it resolves anywhere.
  const found = world.tenantRecipient(r);
  const resolved = accepted || found?.kind === "mailRecipient" ? found : undefined;

  if (!accepted && a.via === "internet") {
    hops.push({ at: "exchange", recipient: r, action: `rejected: ${d} is not an accepted domain` });
    return { step: bounce(`550 5.7.64 relay access denied: ${d} is not an accepted domain in Exchange Online`), scl: undefined, readingsDiffer: false };
  }
  // Authoritative: an unknown recipient is rejected at resolution (or at the edge, DBEB), before
  // transport rules run — the "bounce hazard" of mail-flow.md: Authoritative while users still
  // live only on the source NDRs mail to them even with the coexistence rule in place.
  if (accepted?.DomainType === "Authoritative" && !resolved) {
    hops.push({ at: "exchange", recipient: r, action: `recipient not found in authoritative domain ${accepted.DomainName}` });
    return { step: bounce(`550 5.1.10 RESOLVER.ADR.RecipientNotFound: ${r} not found in Exchange Online (${accepted.DomainName} is Authoritative)`), scl: undefined, readingsDiffer: false };
  }

  // SentToScope InOrganization, under the reading asked for (InOrganizationReading quotes both).
  // Only a submission by an Exchange Online mailbox counts as authenticated here: internet mail by
  // MX, the source's forwarded copies included, arrives anonymously (coexist creates no inbound
  // connector; whether a partner inbound connector would count is not documented). A mail user is
  // a recipient "in the organization" by both readings' list; a mail contact is not on it, so it
  // counts only by its address's domain (for senders the conditions page says so: "To determine
  // whether mail contacts are considered to be inside or outside the organization, the sender's
  // address is compared with the organization's accepted domains"; for recipients not documented).
  const authenticated = a.via === "submission";
  const orgRecipient = resolved !== undefined && !(resolved.kind === "mailRecipient" && resolved.recipient.RecipientType === "MailContact");
  const orgDomain = accepted !== undefined && (accepted.DomainType === "Authoritative" || accepted.DomainType === "InternalRelay");
  const byConditions = orgRecipient || (orgDomain && authenticated);
  const byCmdlet = authenticated && (orgRecipient || orgDomain);
  const inOrganization = reading === "cmdlet" ? byCmdlet : byConditions;
  let readingsDiffer = false;
  const rules = world.liveRules;

  let scl: number | undefined;
  let routed: Step | undefined;
  for (const rule of rules) {
    // Conditions (ANDed; a rule without conditions matches every message).
    if (rule.SentToScope && byConditions !== byCmdlet) readingsDiffer = true;
    if (rule.SentToScope === "InOrganization" && !inOrganization) continue;
    if (rule.SentToScope === "NotInOrganization" && inOrganization) continue;
    let ipNote = "";
    if (rule.SenderIpRanges.length > 0) {
      const ip = a.senderIp;
      const range = ip ? rule.SenderIpRanges.find((x) => ipInRange(ip, x)) : undefined;
      if (!ip || !range) continue;
      ipNote = ` (sender IP ${ip} in ${range})`;
    }
    // SentToMemberOf: "a condition that looks for messages sent to members of distribution
    // groups, dynamic distribution groups, or mail-enabled security groups" (New-TransportRule
    // reference). As for the exception below, a recipient is a member when it resolves to a
    // mailbox, mail user or mail contact in a listed group (a mail user or mail contact is a member
    // as a mailbox is: Add-DistributionGroupMember.md, -Member, lists MailUser and MailContact),
    // nested groups followed (not documented: neither the reference nor the conditions page says
    // whether nested members count; assumed); a group address (expansion is not modelled) or an
    // unknown address matches no group. "If you remove the group after you create the rule, no
    // action is taken on messages that are sent to members of the group" (same reference): a listed
    // group that no longer exists matches nobody. (A world saved before rules had the field has
    // none: no condition.)
    const sentToMemberOf = rule.SentToMemberOf ?? [];
    let memberNote = "";
    if (sentToMemberOf.length > 0) {
      const primary = resolved !== undefined && resolved.kind !== "group" ? normalizeAddress(recipientPrimary(resolved)) : undefined;
      const ref = primary === undefined ? undefined : memberOfAny(world, sentToMemberOf, primary);
      if (ref === undefined) {
        hops.push({ at: "exchange", recipient: r, action: `rule '${rule.Name}' not applied: ${primary ?? r} is no member of ${sentToMemberOf.join(", ")}` });
        continue;
      }
      memberNote = ` (${primary} is a member of ${ref})`;
    }
    // Exceptions: the recipient resolves to a mailbox, mail user or mail contact that is a member
    // of a listed group (members may be any of them, Add-DistributionGroupMember.md, -Member).
    if (rule.ExceptIfSentToMemberOf.length > 0 && resolved !== undefined && resolved.kind !== "group") {
      const primary = normalizeAddress(recipientPrimary(resolved));
      const ref = memberOfAny(world, rule.ExceptIfSentToMemberOf, primary);
      if (ref !== undefined) {
        hops.push({ at: "exchange", recipient: r, action: `rule '${rule.Name}' not applied: ${primary} is a member of ${ref}` });
        continue;
      }
    }
    // Actions. SCL: the last matching rule wins. Routing: the first successful route wins.
    // sclOf: a live rule may print its SetSCL as "-1" (cmdlets/transportRule.ts).
    const ruleScl = sclOf(rule.SetSCL);
    if (ruleScl !== null) scl = ruleScl;
    const sclNote = ruleScl !== null ? ` (SCL ${ruleScl})` : "";
    if (rule.RouteMessageOutboundConnector && !routed) {
      const res = routeViaConnector(world, rule, rule.RouteMessageOutboundConnector, r, hops, `${memberNote}${sclNote}`);
      if ("error" in res) {
        if (rule.RuleErrorAction === "Ignore") {
          hops.push({ at: "exchange", recipient: r, action: `rule '${rule.Name}' cannot route: ${res.error}; RuleErrorAction Ignore, not routed` });
        } else {
          // Defer: Exchange retries the message; a persistent error ends in an NDR.
          hops.push({ at: "exchange", recipient: r, action: `rule '${rule.Name}' cannot route: ${res.error}; RuleErrorAction Defer` });
          routed = bounce(`rule '${rule.Name}' deferred the message: ${res.error}`);
        }
      } else {
        routed = res;
      }
    } else {
      hops.push({ at: "exchange", recipient: r, action: `rule '${rule.Name}'${ipNote}${memberNote}${ruleScl !== null ? ` → SCL ${ruleScl}` : " matched"}` });
    }
    if (rule.StopRuleProcessing) break;
  }
  if (routed) return { step: routed, scl, readingsDiffer };

  if (resolved?.kind === "mailbox") {
    hops.push({ at: "exchange", recipient: r, action: `delivered to mailbox ${resolved.mailbox.PrimarySmtpAddress}` });
    return { step: { end: { outcome: "delivered-exchange", deliveredTo: resolved.mailbox.PrimarySmtpAddress } }, scl, readingsDiffer };
  }
  if (resolved?.kind === "mailRecipient") return { step: toExternalAddress(world, resolved.recipient, a, hops), scl, readingsDiffer };
  if (resolved?.kind === "group") {
    // Expansion to members is not modelled: the group address counts as delivered in Exchange.
    hops.push({ at: "exchange", recipient: r, action: `delivered to group ${resolved.group.PrimarySmtpAddress}` });
    return { step: { end: { outcome: "delivered-exchange", deliveredTo: resolved.group.PrimarySmtpAddress } }, scl, readingsDiffer };
  }
  if (!accepted) {
    // External recipient: leaves Exchange Online over the internet.
    return { step: viaMx(world, "exchange", r, hops), scl, readingsDiffer };
  }
  // InternalRelay (or ExternalRelay): unknown recipients are relayed to the domain's MX. "Manage
  // accepted domains in Exchange Online" says such mail "is relayed to your own email server if the
  // recipients aren't known to Microsoft 365 or Office 365", with "a connector for mail flow from
  // Microsoft 365 or Office 365 to your on-premises email server". Without one (coexist's connector
  // is transport-rule-scoped), where it goes is not documented: the MX is assumed, the reading that
  // reports a loop after the MX cutover rather than a delivery.
  const mx = world.mx(d);
  if (mx === "exchange") {
    hops.push({ at: "exchange", recipient: r, action: `${accepted.DomainType} ${accepted.DomainName}: recipient unknown, MX for ${d} → exchange (itself)` });
    return { step: { end: { outcome: "loop", reason: `mail loop: ${accepted.DomainType} domain ${d} relayed to itself (MX points at Exchange Online)` } }, scl, readingsDiffer };
  }
  hops.push({ at: "exchange", recipient: r, action: `${accepted.DomainType} ${accepted.DomainName}: recipient unknown, relay via MX` });
  return { step: viaMx(world, "exchange", r, hops), scl, readingsDiffer };
}

/**
 * A mail user or mail contact: "Email messages sent to mail users are delivered to the specified
 * external email address" (New-MailUser.md), the ExternalEmailAddress, "the target email address
 * of the mail contact or mail user" (New-MailContact.md, New-MailUser.md). An address in an
 * accepted domain other than the recipient's own is handed back to Exchange Online's transport
 * (another recipient, or the domain's relay); any other leaves by its domain's MX. With no
 * ExternalEmailAddress there is nowhere to deliver: not documented, taken as a bounce (the reading
 * that cannot hide lost mail).
 */
function toExternalAddress(world: View, m: TenantMailRecipient, a: Arrival, hops: Hop[]): Step {
  const what = `${m.RecipientType} ${m.PrimarySmtpAddress}`;
  if (!m.ExternalEmailAddress) {
    hops.push({ at: "exchange", recipient: a.recipient, action: `${what} has no ExternalEmailAddress` });
    return bounce(`${what} has no ExternalEmailAddress to deliver to`);
  }
  const target = normalizeAddress(m.ExternalEmailAddress);
  const d = addressDomain(target);
  if (!d) return bounce(`invalid ExternalEmailAddress ${target} of ${what}`);
  const own = smtpAddresses(m).includes(target);
  hops.push({ at: "exchange", recipient: a.recipient, action: `${what}: to its ExternalEmailAddress ${target}` });
  if (!own && world.acceptedDomainFor(d)) return { arrival: { system: "exchange", recipient: target, via: a.via === "submission" ? "submission" : "local" } };
  return viaMx(world, "exchange", target, hops);
}

/** Smart hosts of Exchange Online: the tenant's MX host, <prefix>.mail.protection.outlook.com. */
const isExchangeOnlineHost = (host: string) => /\.mail\.protection\.outlook\.com$/i.test(host.trim().replace(/^\[|\]$/g, ""));

/**
 * The source relays a recipient it does not know in an InternalRelay or ExternalRelay domain
 * (Set-AcceptedDomain.md, -DomainType: "the messages are relayed to an external email system")
 * over the send connector whose address space covers the domain: to Exchange Online when a smart
 * host is the tenant's (it arrives from the source's outbound IP, anonymously, as the source's
 * forwarded copies do), by MX when the connector routes by DNS (-DNSRoutingEnabled, default
 * $true). No covering connector: the message cannot be routed and NDRs (the "Unreachable" queue;
 * the NDR text is not documented here, assumed). Any smart host ending in
 * .mail.protection.outlook.com is taken to be this tenant's (the model knows one tenant). Only
 * relayed recipients use the send connectors; the source's other outbound mail goes by MX.
 */
function relayFromSource(world: View, accepted: SourceAcceptedDomain, r: string, hops: Hop[]): Step {
  const d = addressDomain(r)!;
  const senderIp = world.senderIp;
  const route = world.sendConnectorFor(d);
  const what = `${accepted.DomainType} ${accepted.DomainName}: recipient unknown`;
  if (!route) {
    hops.push({ at: "source", recipient: r, action: `${what}, no enabled send connector covers ${d}` });
    return bounce(`unroutable at the source: ${d} is ${accepted.DomainType} but no enabled send connector's address space covers it`);
  }
  const c = route.connector;
  const via = `send connector '${c.Name}' (${route.space})`;
  if (c.DNSRoutingEnabled) {
    hops.push({ at: "source", recipient: r, action: `${what}, relayed by ${via} via DNS` });
    return viaMx(world, "source", r, hops, senderIp);
  }
  const exo = c.SmartHosts.find(isExchangeOnlineHost);
  if (exo) {
    hops.push({ at: "source", recipient: r, action: `${what}, relayed by ${via} → smart host ${exo}${senderIp ? ` (sent from ${senderIp})` : ""}` });
    return { arrival: { system: "exchange", recipient: r, via: "internet", ...(senderIp ? { senderIp } : {}) } };
  }
  const self = c.SmartHosts.find((h) => world.sourceHosts.has(smartHostKey(h)));
  if (self) {
    // A smart host that is the source itself hands the message back to it: the loop check ends it.
    hops.push({ at: "source", recipient: r, action: `${what}, relayed by ${via} → smart host ${self} (the source itself)` });
    return { arrival: { system: "source", recipient: r, via: "internet", ...(senderIp ? { senderIp } : {}) } };
  }
  hops.push({ at: "source", recipient: r, action: `${what}, relayed by ${via} → smart host ${c.SmartHosts.join(", ") || "(none)"}` });
  return bounce(`smart host unknown: send connector '${c.Name}' points at ${c.SmartHosts.join(", ") || "no smart host"}, neither Exchange Online nor the source`);
}

/** One pass through the source's transport (on-prem Exchange: its accepted domains, its send connectors). */
function sourceTransport(world: View, a: Arrival, hops: Hop[]): Step {
  const r = a.recipient;
  const d = addressDomain(r);
  if (!d) return bounce(`invalid recipient address ${r}`);
  const senderIp = world.senderIp;
  const mailbox = world.sourceMailbox(r);
  if (mailbox?.suspended) {
    // A suspended Google user: "When a user is suspended, emails sent to the account will be
    // rejected." (Google Workspace knowledge base, "How to route emails sent to a suspended user").
    hops.push({ at: "source", recipient: r, action: `rejected: ${mailbox.PrimarySmtpAddress} is suspended` });
    return bounce(`${mailbox.PrimarySmtpAddress} is suspended at the source, which rejects its mail`);
  }
  if (mailbox) {
    const fwd = forwardingOf(world, mailbox);
    if (!fwd) {
      hops.push({ at: "source", recipient: r, action: `delivered to mailbox ${mailbox.PrimarySmtpAddress}` });
      return { end: { outcome: "delivered-source", deliveredTo: mailbox.PrimarySmtpAddress } };
    }
    if ("error" in fwd) {
      hops.push({ at: "source", recipient: r, action: fwd.error });
      return bounce(fwd.error);
    }
    // With DeliverToMailboxAndForward a copy stays here; the outcome follows the forwarded copy.
    if (mailbox.DeliverToMailboxAndForward) {
      hops.push({ at: "source", recipient: r, action: `copy kept in mailbox ${mailbox.PrimarySmtpAddress} (DeliverToMailboxAndForward)` });
    }
    hops.push({ at: "source", recipient: r, action: `forwarding to ${fwd.target} (${fwd.field} of ${mailbox.PrimarySmtpAddress})` });
    const td = addressDomain(fwd.target);
    if (!td) return bounce(`invalid forwarding address ${fwd.target}`);
    if (world.hostsDomain(td)) return { arrival: { system: "source", recipient: fwd.target, via: "local" } };
    return viaMx(world, "source", fwd.target, hops, senderIp);
  }
  const accepted = world.sourceAcceptedDomainFor(d);
  if (accepted && accepted.DomainType !== "Authoritative") return relayFromSource(world, accepted, r, hops);
  if (world.hostsDomain(d) || accepted) {
    hops.push({ at: "source", recipient: r, action: `recipient not found at source (${d} is hosted here)` });
    return bounce(`550 5.1.1 recipient ${r} not found at the source`);
  }
  if (a.via === "internet") {
    // The source relays only for its own users and for Exchange Online (its receive connector).
    hops.push({ at: "source", recipient: r, action: `rejected: ${d} is not hosted at the source` });
    return bounce(`550 5.7.1 relay denied at the source for ${d}`);
  }
  return viaMx(world, "source", r, hops, senderIp);
}

// ---------------------------------------------------------------------------------------------
// Public API

/** Traces one message to one recipient through the world until it is delivered, bounces or loops. */
export function traceMail(of: RoutingWorld | View, message: MailMessage, options: TraceOptions = {}): Trace {
  const world = viewOf(of);
  const reading = options.inOrganization ?? "conditions";
  let readingsDiffer = false;
  const hops: Hop[] = [];
  const to = normalizeAddress(message.to);
  const from = message.from ? normalizeAddress(message.from) : undefined;
  let spamBypassed: boolean | undefined;
  const finish = (t: Terminal): Trace => ({ ...t, hops, ...(spamBypassed !== undefined ? { spamBypassed } : {}), ...(readingsDiffer ? { inOrganizationReadingsDiffer: true } : {}) });

  let step: Step;
  if (message.entry === "internet") {
    step = viaMx(world, "internet", to, hops);
  } else {
    const who = from ?? (message.entry === "exchange" ? "an Exchange Online mailbox" : "a source mailbox");
    hops.push({ at: message.entry, recipient: to, action: `submitted by ${who}` });
    step = { arrival: { system: message.entry, recipient: to, via: "submission" } };
  }

  // Loop detection: a (system, recipient) state handled twice means the message goes round.
  const visited = new Set<string>();
  while ("arrival" in step) {
    const a = step.arrival;
    const key = `${a.system}|${a.recipient}`;
    if (visited.has(key)) {
      hops.push({ at: a.system, recipient: a.recipient, action: "arrived here again: loop detected" });
      return finish({ outcome: "loop", reason: `mail loop: ${a.recipient} came back to ${a.system}` });
    }
    if (hops.length >= MAX_HOPS) {
      return finish({ outcome: "loop", reason: `mail loop: hop limit of ${MAX_HOPS} exceeded` });
    }
    visited.add(key);
    if (a.system === "exchange") {
      const pass = exchangeTransport(world, a, hops, reading);
      spamBypassed = pass.scl === -1;
      if (pass.readingsDiffer) readingsDiffer = true;
      step = pass.step;
    } else {
      step = sourceTransport(world, a, hops);
    }
  }
  return finish(step.end);
}

/** One line: the systems the message went through, then the outcome. */
export function describeTrace(trace: Trace): string {
  const path: System[] = [];
  for (const h of trace.hops) if (path[path.length - 1] !== h.at) path.push(h.at);
  let outcome: string;
  switch (trace.outcome) {
    case "delivered-exchange":
      outcome = `delivered in Exchange Online (${trace.deliveredTo ?? "?"})`;
      break;
    case "delivered-source":
      outcome = `delivered at the source (${trace.deliveredTo ?? "?"})`;
      break;
    case "forwarded-outside":
      outcome = `forwarded outside (${trace.deliveredTo ?? "?"})`;
      break;
    case "loop":
      outcome = `LOOP (${trace.reason ?? "mail loop"})`;
      break;
    case "bounce":
      outcome = `BOUNCE (${trace.reason ?? "undeliverable"})`;
      break;
  }
  return `${path.join(" → ")}: ${outcome}`;
}

/** A trace for every user (every source mailbox's primary address), in source order. */
export function traceAll(
  world: RoutingWorld,
  entry: MailMessage["entry"],
  from?: string,
): { recipient: string; trace: Trace }[] {
  const view = viewOf(world);
  return world.source.mailboxes.map((m) => ({
    recipient: m.PrimarySmtpAddress,
    trace: traceMail(view, { to: m.PrimarySmtpAddress, entry, ...(from !== undefined ? { from } : {}) }),
  }));
}

/** A short label for an outcome, for tables. */
export function describeOutcome(outcome: Outcome | string): string {
  switch (outcome) {
    case "delivered-exchange":
      return "Exchange Online";
    case "delivered-source":
      return "source";
    case "forwarded-outside":
      return "outside";
    case "loop":
      return "LOOP";
    case "bounce":
      return "BOUNCE";
    default:
      return outcome;
  }
}
