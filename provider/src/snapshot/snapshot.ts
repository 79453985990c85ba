import {
  AcceptedDomainObject,
  GetAcceptedDomain,
  GetDistributionGroupMember,
  GetMailbox,
  GetOutboundConnector,
  GetRecipient,
  GetSendConnector,
  GetSourceAcceptedDomain,
  GetTransportRule,
  MailboxObject,
  OutboundConnectorObject,
  RecipientObject,
  SendConnectorObject,
  TenantRecipientObject,
  TransportRuleObject,
} from "../exchange/cmdlets";
import { bare, domainOf } from "../exchange/addresses";
import { Command } from "../exchange/command";
import { isNotFound } from "../exchange/errors";
import type { RoutingWorld } from "../oracle";
import { SessionPool } from "../pool/sessionPool";
import type { Group, SourceMailbox, TenantMailbox, TenantMailRecipient } from "../simulator/model";
import { Network } from "./network";
import { readGoogleSource, SourceSide } from "./googleSource";

/**
 * The live routing snapshot: everything mail routing depends on, read (never written) from the
 * tenant and the source in a fixed number of list reads, whatever the number of users:
 *   tenant: Get-AcceptedDomain, Get-OutboundConnector, Get-TransportRule, Get-Recipient
 *           -ResultSize Unlimited (mailboxes, groups, and mail users and mail contacts with their
 *           ExternalEmailAddress: "Every mail-enabled object", Get-Recipient.md), and Get-DistributionGroupMember -ResultSize Unlimited for the
 *           coexist group and each group a rule's SentToMemberOf or ExceptIfSentToMemberOf
 *           names (and groups nested in those);
 *   source: Get-Mailbox -ResultSize Unlimited, Get-AcceptedDomain and Get-SendConnector (whether
 *           it relays recipients it does not know, and where to);
 *   DNS:    the MX of each domain asked about, and of the ExternalEmailAddress domain of each
 *           mail user or contact holding an address in one of them (where its mail goes).
 * So 7 + g reads for N users (g = groups whose membership matters, usually 1). The result has
 * the oracle's shape, so the same routing model runs over a rehearsal's world and a real
 * tenant's snapshot. The other source kinds read differently (SourceReader): a Google Workspace
 * source takes N + 3 + f reads (f users forwarded), since the Gmail API has no bulk read of
 * settings (googleSource.ts; `node dist/test/bench/snapshot.js` measures it); a vendor's system
 * takes none (vendorSource.ts).
 */
export interface Snapshot extends RoutingWorld {
  /** How many read cmdlets it took, and how long, for the benchmark and `status`. */
  reads: { count: number; ms: number };
}

/**
 * The source, by kind: an Exchange organisation's sessions, a Google Workspace's (PSGSuite), or
 * a vendor's system known only from the stack's own files (nothing to read).
 */
export type SourceReader =
  | { kind: "exchange"; pool: SessionPool }
  | { kind: "google-workspace"; pool: SessionPool; domain: string; relayTo?: string }
  | { kind: "vendor"; side: SourceSide };

export interface SnapshotSources {
  exchange: SessionPool;
  source: SessionPool | SourceReader;
  network: Network;
  /** Domains whose MX routing depends on: the shared domain and every routing address's domain. */
  domains: string[];
  /** Groups whose members matter even before a rule names them (the coexist group). */
  groups?: string[];
  /**
   * Domains of users' own forwards out of both systems (kept forwards coexist puts back): one
   * with an MX is "outside" (mail forwarded there has left the coexistence), one without bounces.
   */
  outside?: string[];
}

const asList = <T>(out: unknown[]): T[] => out as T[];

export async function readSnapshot(s: SnapshotSources): Promise<Snapshot> {
  const started = Date.now();
  let count = 0;
  const run = async <T>(pool: SessionPool, command: Command): Promise<T[]> => {
    count++;
    return asList<T>(await pool.run(command));
  };
  const source: SourceReader = s.source instanceof SessionPool ? { kind: "exchange", pool: s.source } : s.source;
  const [domains, connectors, rules, recipients, sourceSide] = await Promise.all([
    run<AcceptedDomainObject>(s.exchange, GetAcceptedDomain({})),
    run<OutboundConnectorObject>(s.exchange, GetOutboundConnector({})),
    run<TransportRuleObject>(s.exchange, GetTransportRule({})),
    run<TenantRecipientObject>(s.exchange, GetRecipient({ ResultSize: "Unlimited" })),
    source.kind === "exchange" ? readExchangeSource(source.pool, run) : source.kind === "google-workspace" ? readGoogleSource(source.pool, source.domain, run, source.relayTo) : Promise.resolve(source.side),
  ]);

  // Membership matters for groups a rule's condition or exception names (or will: the coexist
  // group), and the groups nested in them.
  const groupRecipients = recipients.filter((r) => /Group/i.test(r.RecipientType));
  const byKey = new Map<string, TenantRecipientObject>();
  for (const g of groupRecipients) for (const k of [g.Name, g.Alias ?? "", g.Guid ?? "", g.PrimarySmtpAddress, ...g.EmailAddresses]) if (k) byKey.set(bare(k), g);
  const members = new Map<TenantRecipientObject, string[]>();
  let wanted = [...rules.flatMap((r) => [...(r.SentToMemberOf ?? []), ...r.ExceptIfSentToMemberOf]), ...(s.groups ?? [])].map((ref) => byKey.get(bare(ref)));
  while (wanted.length > 0) {
    const batch = [...new Set(wanted.filter((g): g is TenantRecipientObject => g !== undefined && !members.has(g)))];
    for (const g of batch) members.set(g, []);
    const lists = await Promise.all(
      batch.map(async (g) => {
        try {
          return await run<RecipientObject>(s.exchange, GetDistributionGroupMember({ Identity: g.PrimarySmtpAddress, ResultSize: "Unlimited" }));
        } catch (e) {
          if (isNotFound(e)) return [];
          throw e;
        }
      }),
    );
    batch.forEach((g, i) => members.set(g, lists[i]!.map((m) => bare(m.PrimarySmtpAddress))));
    wanted = lists.flat().filter((m) => /Group/i.test(m.RecipientType)).map((m) => byKey.get(bare(m.PrimarySmtpAddress)));
  }

  // Mail users and mail contacts: their mail goes to ExternalEmailAddress (New-MailUser.md), whose
  // domain's MX routing then needs: asked for those holding an address in a domain asked about.
  const mailRecipients = recipients.filter((r) => r.RecipientType === "MailUser" || r.RecipientType === "MailContact").map(mailRecipient);
  const asked = new Set(s.domains.map((d) => d.toLowerCase()));
  const external = mailRecipients
    .filter((m) => [m.PrimarySmtpAddress, ...m.EmailAddresses].some((a) => asked.has(domainOf(a))))
    .flatMap((m) => (m.ExternalEmailAddress && domainOf(m.ExternalEmailAddress) ? [domainOf(m.ExternalEmailAddress)] : []));
  const mx: Record<string, "source" | "exchange" | "outside"> = {};
  // A domain neither system knows that a source mailbox forwards to (its owner's forward), or that
  // a kept forward goes back to: an MX there takes the mail out of both systems.
  const known = new Set([...asked, ...domains.map((a) => a.DomainName), ...(sourceSide.acceptedDomains ?? []).map((a) => a.DomainName), ...sourceSide.mailboxes.map((m) => domainOf(m.PrimarySmtpAddress))].map((d) => d.toLowerCase()));
  const forwardedTo = sourceSide.mailboxes.flatMap((m) => (m.ForwardingSmtpAddress ? [domainOf(bare(m.ForwardingSmtpAddress)).toLowerCase()] : []));
  const outside = new Set([...new Set([...(s.outside ?? []).map((d) => d.toLowerCase()), ...forwardedTo])].filter((d) => d && !known.has(d)));
  await Promise.all(
    [...new Set([...asked, ...external, ...outside])].map(async (d) => {
      const target = await s.network.mx(d);
      if (target) mx[d] = outside.has(d) && !external.includes(d) ? "outside" : target;
    }),
  );

  return {
    tenant: {
      acceptedDomains: domains.map((d) => ({
        Name: d.Name,
        DomainName: d.DomainName,
        DomainType: d.DomainType,
        MatchSubDomains: d.MatchSubDomains,
        Default: d.Default,
        InitialDomain: d.InitialDomain ?? false,
      })),
      mailboxes: recipients.filter((r) => r.RecipientType === "UserMailbox").map(tenantMailbox),
      mailRecipients,
      groups: groupRecipients.map((g) => groupOf(g, members.get(g) ?? [])),
      outboundConnectors: connectors.map(({ Identity: _i, ...c }) => c),
      transportRules: rules.map(({ Identity: _i, ...r }) => r),
    },
    source: { hosts: s.network.sourceHosts, outboundIps: s.network.sourceIps, ...sourceSide },
    mx,
    reads: { count, ms: Date.now() - started },
  };
}

/** An on-premises Exchange source: Get-Mailbox, Get-AcceptedDomain and Get-SendConnector. */
async function readExchangeSource(pool: SessionPool, run: <T>(pool: SessionPool, c: Command) => Promise<T[]>): Promise<SourceSide> {
  const [mailboxes, sourceDomains, sendConnectors] = await Promise.all([
    run<MailboxObject>(pool, GetMailbox({ ResultSize: "Unlimited" })),
    // Not tolerated when they fail, as no read is: taken as "relays nothing", an unreadable relay
    // would hide the loop an address that exists nowhere makes, and call a cloud-only mailbox's
    // relayed mail bounced. Preflight names a role that lacks them before any run.
    run<AcceptedDomainObject>(pool, GetSourceAcceptedDomain({})),
    run<SendConnectorObject>(pool, GetSendConnector({})),
  ]);
  return {
    mailboxes: mailboxes.map(sourceMailbox),
    // MatchSubDomains is Exchange 2016 and later (Set-AcceptedDomain.md): absent, it is off.
    acceptedDomains: sourceDomains.map((d) => ({ Name: d.Name, DomainName: d.DomainName, DomainType: d.DomainType, MatchSubDomains: d.MatchSubDomains ?? false, Default: d.Default })),
    // Only what routing reads: a real Get-SendConnector prints dozens of other properties.
    sendConnectors: sendConnectors.map((c) => ({ Name: c.Name, AddressSpaces: c.AddressSpaces, SmartHosts: c.SmartHosts, DNSRoutingEnabled: c.DNSRoutingEnabled, Enabled: c.Enabled })),
  };
}

const tenantMailbox = (r: TenantRecipientObject): TenantMailbox => ({
  Guid: r.Guid ?? r.Identity,
  Name: r.Name,
  Alias: r.Alias ?? r.Name,
  PrimarySmtpAddress: r.PrimarySmtpAddress,
  EmailAddresses: r.EmailAddresses,
});

/** A mail user or contact: Get-Recipient prints ExternalEmailAddress as a ProxyAddress (`SMTP:...`); routing wants it bare. */
const mailRecipient = (r: TenantRecipientObject): TenantMailRecipient => ({
  ...tenantMailbox(r),
  RecipientType: r.RecipientType === "MailContact" ? "MailContact" : "MailUser",
  RecipientTypeDetails: r.RecipientTypeDetails ?? r.RecipientType,
  ExternalEmailAddress: r.ExternalEmailAddress ? bare(r.ExternalEmailAddress) : null,
});

/** A group as routing sees it; settings Get-Recipient does not return are not routing's concern. */
function groupOf(r: TenantRecipientObject, members: string[]): Group {
  return {
    Guid: r.Guid ?? r.Identity,
    Name: r.Name,
    Alias: r.Alias ?? r.Name,
    DisplayName: r.Name,
    PrimarySmtpAddress: r.PrimarySmtpAddress,
    EmailAddresses: r.EmailAddresses,
    Type: /Security/i.test(r.RecipientType) ? "Security" : "Distribution",
    ManagedBy: [],
    MemberJoinRestriction: "Closed",
    MemberDepartRestriction: "Closed",
    RequireSenderAuthenticationEnabled: true,
    HiddenFromAddressListsEnabled: false,
    Members: members,
  };
}

/** Get-Mailbox prints ForwardingSmtpAddress as a ProxyAddress (`smtp:...`); routing wants it bare. */
const sourceMailbox = ({ Identity, ...m }: MailboxObject): SourceMailbox => ({
  ...m,
  Guid: Identity,
  ForwardingSmtpAddress: m.ForwardingSmtpAddress === null ? null : bare(m.ForwardingSmtpAddress),
});
