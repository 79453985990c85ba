import { createHash } from "node:crypto";
import { World } from "./model";

export const sha256 = (s: string): string => createHash("sha256").update(s, "utf8").digest("hex");

/** A migration scenario to start the simulated world from. */
export interface Scenario {
  /** The shared domain, e.g. contoso.com. */
  domain: string;
  /** The tenant's initial domain, e.g. contoso.onmicrosoft.com. */
  organization: string;
  /**
   * A catch-all routing subdomain (seed 1), e.g. sub.contoso.com: an accepted domain of the tenant
   * (so mailboxes can hold addresses in it) with its MX at Exchange Online.
   */
  subdomain?: string;
  /** Exchange-Online-only recipients of the shared domain (new hires) by alias: no source mailbox. */
  cloudOnly?: string[];
  /** Users by alias; each has a source mailbox, and a licensed Exchange Online mailbox waiting. */
  users: string[];
  sourceHosts?: string[];
  sourceOutboundIps?: string[];
  /**
   * Seed 1's "Send & Receive Connector" at the source: the shared domain InternalRelay there and a
   * send connector "To Exchange Online" for it to the tenant's smart host, so the source relays
   * mail for recipients it does not know (a mailbox only in Exchange Online) instead of bouncing it.
   */
  sourceRelay?: boolean;
  /**
   * What the source is (default exchange-onprem). google-workspace: the users are Google users
   * (source mailboxes with Gmail settings: no forwarding address, auto-forwarding off) and the
   * shared domain is the Workspace account's primary domain (simulator/google.ts answers PSGSuite's
   * cmdlets). vendor: a hosted system with no API; its mailboxes are ordinary source mailboxes,
   * which coexist never reads (`rehearse vendor-apply` plays the vendor).
   */
  sourceKind?: World["source"]["kind"];
  /** Credentials a connect must present (stored hashed); none means any connect is let in. */
  credentials?: { certificatePassword?: string; source?: { username: string; password: string } };
}

/** The tenant's MX host, which a connector to Exchange Online names: <prefix>.mail.protection.outlook.com. */
export const tenantSmartHost = (organization: string): string => `${organization.toLowerCase().replace(/\.onmicrosoft\.com$/, "")}.mail.protection.outlook.com`;

/** The source's side of `sourceRelay`: the shared domain InternalRelay, one send connector to Exchange Online. */
export const sourceRelayOf = (domain: string, organization: string): Pick<World["source"], "acceptedDomains" | "sendConnectors"> => ({
  acceptedDomains: [{ Name: domain, DomainName: domain, DomainType: "InternalRelay", MatchSubDomains: false, Default: true }],
  sendConnectors: [{ Name: "To Exchange Online", AddressSpaces: [`SMTP:${domain};1`], SmartHosts: [tenantSmartHost(organization)], DNSRoutingEnabled: false, Enabled: true }],
});

export const simGuid = (n: number): string => `00000000-0000-4000-8000-${n.toString(16).padStart(12, "0")}`;

/**
 * A Google Workspace account whose primary domain is the shared domain: no domain aliases (a
 * routing subdomain must never be one, design §4.3), users free to forward, Google's quotas.
 */
const googleOf = (domain: string): NonNullable<World["source"]["google"]> => ({
  domains: [{ domainName: domain, isPrimary: true }],
  domainAliases: [],
  userForwardingAllowed: true,
  quota: { perUserPerMinute: 15000, perProjectPerMinute: 1200000 },
});

/** The world before coexist touches it: the domain Authoritative, MX at the source. */
export function initialWorld(s: Scenario): World {
  const kind = s.sourceKind ?? "exchange-onprem";
  // Accepted domains and send connectors are Exchange's; a Google or vendor source's relaying is not modelled.
  // Google's split-delivery route for unknown recipients is modelled as an Exchange source's relay
  // (InternalRelay and a connector to the tenant); a vendor's relaying is not modelled.
  if (s.sourceRelay && kind === "vendor") throw new Error("sourceRelay is a source's relay of recipients it does not know; a vendor's is not modelled");
  let guidCounter = 0;
  const next = () => simGuid(++guidCounter);
  const d = s.domain.toLowerCase();
  const org = s.organization.toLowerCase();
  const sub = s.subdomain?.toLowerCase();
  const world: World = {
    version: 1,
    tenant: {
      organization: org,
      acceptedDomains: [
        { Name: org, DomainName: org, DomainType: "Authoritative", MatchSubDomains: false, Default: false, InitialDomain: true },
        { Name: d, DomainName: d, DomainType: "Authoritative", MatchSubDomains: false, Default: true, InitialDomain: false },
        ...(sub ? [{ Name: sub, DomainName: sub, DomainType: "Authoritative" as const, MatchSubDomains: false, Default: false, InitialDomain: false }] : []),
      ],
      mailboxes: [
        // The tenant's first admin, in its initial domain as a new tenant has it: no recipient of
        // the shared domain lives only in Exchange Online unless a scenario adds one (cloudOnly).
        { Guid: next(), Name: "admin", Alias: "admin", PrimarySmtpAddress: `admin@${org}`, EmailAddresses: [`SMTP:admin@${org}`] },
        ...s.users.map((alias) => ({
          Guid: next(),
          Name: alias,
          Alias: alias,
          PrimarySmtpAddress: `${alias}@${d}`,
          // No subdomain address: coexist adds it to each migrated user's mailbox before forwarding
          // (MigratedMailbox tenantAddress), as it must in a real tenant.
          EmailAddresses: [`SMTP:${alias}@${d}`, `smtp:${alias}@${org}`],
        })),
        ...(s.cloudOnly ?? []).map((alias) => ({ Guid: next(), Name: alias, Alias: alias, PrimarySmtpAddress: `${alias}@${d}`, EmailAddresses: [`SMTP:${alias}@${d}`, `smtp:${alias}@${org}`] })),
      ],
      groups: [],
      outboundConnectors: [],
      transportRules: [],
    },
    source: {
      kind,
      ...(kind === "google-workspace" ? { google: googleOf(d) } : {}),
      hosts: s.sourceHosts ?? ["mail.contoso-source.example", "198.51.100.25"],
      outboundIps: s.sourceOutboundIps ?? ["198.51.100.25"],
      mailboxes: s.users.map((alias) => ({
        Guid: next(),
        Name: alias,
        Alias: alias,
        PrimarySmtpAddress: `${alias}@${d}`,
        EmailAddresses: [`SMTP:${alias}@${d}`],
        ForwardingSmtpAddress: null,
        ForwardingAddress: null,
        // A Google user: Gmail keeps its copy unless the disposition is trash (simulator/google.ts settle).
        ...(kind === "google-workspace" ? { DeliverToMailboxAndForward: true, gmail: { forwardingAddresses: [], autoForwarding: { enabled: false, emailAddress: null, disposition: null } } } : { DeliverToMailboxAndForward: false }),
      })),
      ...(s.sourceRelay ? sourceRelayOf(d, org) : {}),
    },
    mx: { [d]: "source", [org]: "exchange", ...(sub ? { [sub]: "exchange" } : {}) },
    sessions: [],
    nextGuid: guidCounter + 1,
  };
  const c = s.credentials;
  if (c) {
    world.credentials = {
      ...(c.certificatePassword !== undefined ? { exchange: { certificatePasswordSha256: sha256(c.certificatePassword) } } : {}),
      ...(c.source && kind === "exchange-onprem" ? { source: { username: c.source.username, passwordSha256: sha256(c.source.password) } } : {}),
    };
  }
  return world;
}
