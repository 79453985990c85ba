import { z } from "zod";
import { bare } from "../exchange/addresses";
import { DomainType } from "../exchange/cmdlets/acceptedDomain";
import { DistributionGroupObject } from "../exchange/cmdlets/distributionGroup";
import { MailboxObject } from "../exchange/cmdlets/mailbox";
import { OutboundConnectorObject } from "../exchange/cmdlets/outboundConnector";
import { SendConnectorObject } from "../exchange/cmdlets/sendConnector";
import { TransportRuleObject } from "../exchange/cmdlets/transportRule";

/**
 * The simulated world: an Exchange Online tenant, the source organisation and the DNS that
 * decides where internet mail enters. Persisted as one JSON file shared by every simulator
 * runner process (see store.ts).
 */
export const AcceptedDomain = z.object({
  Name: z.string(),
  DomainName: z.string(),
  DomainType,
  MatchSubDomains: z.boolean(),
  Default: z.boolean(),
  InitialDomain: z.boolean(),
});

/**
 * A recipient that exists in the tenant (mailboxes are provisioned by the migration tool). Its
 * proxy addresses change through the tenant's Set-Mailbox -EmailAddresses @{Add;Remove}
 * (simulator/tenant.ts); it keeps no forwarding of its own.
 */
export const TenantMailbox = z.object({
  Guid: z.string(),
  Name: z.string(),
  Alias: z.string(),
  PrimarySmtpAddress: z.string(),
  EmailAddresses: z.array(z.string()),
});

/**
 * A mail user or mail contact: mail-enabled, with no mailbox. "Email messages sent to mail users
 * are delivered to the specified external email address" (New-MailUser.md, synopsis), the
 * ExternalEmailAddress: "the target email address of the mail contact or mail user" (New-MailUser.md,
 * New-MailContact.md, -ExternalEmailAddress). Groups may have them as members
 * (Add-DistributionGroupMember.md lists MailUser and MailContact), and a mail user may own a group
 * (New-DistributionGroup.md, -ManagedBy). Microsoft's own Google Workspace migration creates a
 * MailUser per user whose ExternalEmailAddress is at Google (docs/design/sources-google-and-vendor.md).
 * The routing oracle resolves them as recipients of the tenant and delivers to ExternalEmailAddress
 * (oracle/routing.ts); the snapshot reads them with Get-Recipient. The initial world has none.
 */
export const TenantMailRecipient = TenantMailbox.extend({
  RecipientType: z.enum(["MailUser", "MailContact"]),
  /** As Get-Recipient prints it (MailUser, GuestMailUser, MailContact...); absent: the RecipientType. */
  RecipientTypeDetails: z.string().optional(),
  /**
   * Stored bare (Get-Recipient prints it as a ProxyAddress, `SMTP:...`). null: none (a mail user
   * made without one); where its mail then goes is not documented, and the oracle bounces it.
   */
  ExternalEmailAddress: z.string().nullable(),
});

/**
 * A group as Get-DistributionGroup reports it, less what is derived from its Type (GroupType,
 * RecipientTypeDetails) and Identity, plus its members by primary SMTP address (lower case).
 */
export const Group = DistributionGroupObject.omit({ Identity: true, GroupType: true, RecipientTypeDetails: true }).extend({
  Type: z.enum(["Distribution", "Security"]),
  Members: z.array(z.string()),
  /** The group object's Notes (New-DistributionGroup -Notes, Set-Group -Notes), read with Get-Group; absent: none. */
  Notes: z.string().nullable().optional(),
});

// Connectors, rules and source mailboxes are stored as Exchange reports them, less Identity
// (the simulator answers with the name there), so the cmdlet output schemas are the one source.
export const OutboundConnector = OutboundConnectorObject.omit({ Identity: true });

// A rule keeps its connector by name and its MemberOf values as SMTP addresses, as Exchange does.
export const TransportRule = TransportRuleObject.omit({ Identity: true });

/** A rule as New-TransportRule makes it before its parameters apply (the simulator, the gate). */
export const blankRule = (Guid: string, Name: string, Priority: number): z.infer<typeof TransportRule> => ({
  Guid,
  Name,
  Priority,
  State: "Enabled",
  Mode: "Enforce",
  Comments: null,
  SentToScope: null,
  RouteMessageOutboundConnector: null,
  SentToMemberOf: [],
  ExceptIfSentToMemberOf: [],
  SenderIpRanges: [],
  SetSCL: null,
  StopRuleProcessing: false,
  RuleErrorAction: "Ignore",
  SenderAddressLocation: "Header",
});

/**
 * An accepted domain of the source (its own Get-AcceptedDomain). DomainName may be `*.contoso.com`
 * ("You can use a wildcard character to specify all subdomains", New-AcceptedDomain.md,
 * -DomainName). InternalRelay or ExternalRelay: mail for a recipient the source does not know is
 * relayed, not rejected ("The external email system is responsible for generating NDRs for
 * unresolved recipients", Set-AcceptedDomain.md, -DomainType).
 */
export const SourceAcceptedDomain = AcceptedDomain.omit({ InitialDomain: true });

/** A send connector of the source, as Get-SendConnector reports it, less Identity. */
export const SendConnector = SendConnectorObject.omit({ Identity: true });

/**
 * A Gmail user's forwarding settings (users.settings: forwardingAddresses and autoForwarding,
 * Gmail API reference). A Google source's user is a SourceMailbox whose ForwardingSmtpAddress is
 * what auto-forwarding does in effect (its address when enabled and the address accepted, else
 * null), kept so by simulator/google.ts and built so by the snapshot's adapter: the routing
 * model reads every source alike, and reads `gmail` for what only Gmail has.
 */
export const GmailSettings = z.object({
  forwardingAddresses: z.array(z.object({ forwardingEmail: z.string(), verificationStatus: z.enum(["accepted", "pending"]) })),
  autoForwarding: z.object({ enabled: z.boolean(), emailAddress: z.string().nullable(), disposition: z.string().nullable() }),
});
export type GmailSettings = z.infer<typeof GmailSettings>;

/**
 * The address Gmail forwards to in effect: the auto-forward's when it is on and that address is
 * accepted ("A verified forwarding address must be specified when auto-forwarding is enabled",
 * users.settings.updateAutoForwarding), else none. What a Google user's ForwardingSmtpAddress
 * holds, in the simulator (google.ts settle) and in a live snapshot (snapshot/googleSource.ts).
 */
export function gmailForward(g: GmailSettings): string | null {
  const to = g.autoForwarding.enabled && g.autoForwarding.emailAddress !== null ? bare(g.autoForwarding.emailAddress) : null;
  return to !== null && g.forwardingAddresses.some((f) => f.verificationStatus === "accepted" && bare(f.forwardingEmail) === to) ? to : null;
}

/**
 * A quota window of the Gmail API (reference/quota: units "per minute"): the units spent since
 * `start` (ms since the epoch). Kept in the world, not in a runner, because Google counts across
 * every client, and the world's runners are many processes (simulator/google.ts).
 */
export const QuotaWindow = z.object({ start: z.number(), units: z.number() });
export type QuotaWindow = z.infer<typeof QuotaWindow>;

/** ForwardingSmtpAddress is stored bare; Get-Mailbox prints it with an `smtp:` prefix. */
export const SourceMailbox = MailboxObject.omit({ Identity: true }).extend({
  Guid: z.string(),
  gmail: GmailSettings.optional(),
  /** A Google user's per-user quota window (simulator/google.ts), on the user's own row: a charge rewrites one row. */
  gmailQuota: QuotaWindow.optional(),
  /**
   * A vendor source's change not yet confirmed (resources/vendorLedger.ts): ForwardingSmtpAddress
   * is what coexist asked the vendor for, `was` what is in effect if the vendor has not applied it
   * yet. The gate checks the user's mail in both (docs/design/sources-google-and-vendor.md §6).
   */
  unconfirmed: z.object({ was: z.string().nullable(), vendor: z.string(), requested: z.string() }).optional(),
  /**
   * A Google user the admin suspended (Directory users: `suspended`). "When a user is suspended,
   * emails sent to the account will be rejected." (Google Workspace knowledge base, "How to route
   * emails sent to a suspended user"), so the routing model bounces its mail, and no Gmail call can
   * impersonate it (simulator/google.ts).
   */
  suspended: z.boolean().optional(),
});

/**
 * What only a Google Workspace source has: its domains and domain aliases (Get-GSDomain,
 * Get-GSDomainAlias), whether the admin lets users forward, and the Gmail API's quota
 * (reference/quota: 15,000 units per user per minute, 1,200,000 per project per minute).
 */
export const GoogleSource = z.object({
  domains: z.array(z.object({ domainName: z.string(), isPrimary: z.boolean() })),
  domainAliases: z.array(z.object({ domainAliasName: z.string(), parentDomainName: z.string() })),
  userForwardingAllowed: z.boolean().default(true),
  quota: z.object({ perUserPerMinute: z.number().int().positive(), perProjectPerMinute: z.number().int().positive() }).default({ perUserPerMinute: 15000, perProjectPerMinute: 1200000 }),
  /** The project's quota window (simulator/google.ts). */
  projectQuota: QuotaWindow.optional(),
});
export type GoogleSource = z.infer<typeof GoogleSource>;

export const Session = z.object({ id: z.string(), pid: z.number().int(), role: z.enum(["exchange", "source", "google"]), since: z.string() });

export const World = z.object({
  version: z.literal(1),
  tenant: z.object({
    /** The initial domain, e.g. contoso.onmicrosoft.com. */
    organization: z.string(),
    acceptedDomains: z.array(AcceptedDomain),
    mailboxes: z.array(TenantMailbox),
    /** Mail users and mail contacts, when a test or rehearsal adds them. */
    mailRecipients: z.array(TenantMailRecipient).optional(),
    groups: z.array(Group),
    outboundConnectors: z.array(OutboundConnector),
    transportRules: z.array(TransportRule),
  }),
  source: z.object({
    /** What the source is: decides which forwarding mechanism applies. */
    kind: z.enum(["exchange-onprem", "google-workspace", "vendor"]),
    /** google-workspace: the Google side's own settings. */
    google: GoogleSource.optional(),
    /** Host names and IPs the source's MX/smart host answers on (connector smart hosts match these). */
    hosts: z.array(z.string()),
    /** Addresses mail from the source leaves from (matched by the source-bypass rule). */
    outboundIps: z.array(z.string()),
    mailboxes: z.array(SourceMailbox),
    /**
     * The source's accepted domains. Absent (a world saved before they were modelled, or a
     * scenario without them): the source is authoritative for the domains its mailboxes have
     * addresses in, and relays nothing.
     */
    acceptedDomains: z.array(SourceAcceptedDomain).optional(),
    /** The source's send connectors; absent: none (only its other outbound mail, by MX). */
    sendConnectors: z.array(SendConnector).optional(),
  }),
  /**
   * Where each domain's MX points: the source, Exchange Online, or (a domain neither system hosts,
   * where a user's own forward goes) outside: mail there has left the two systems.
   */
  mx: z.record(z.string(), z.enum(["source", "exchange", "outside"])),
  sessions: z.array(Session),
  nextGuid: z.number().int(),
  /**
   * A rehearsal's kill schedule: writes are counted across every runner process (one Exchange
   * refuses does not count), and the runner applying the Nth write dies there, before or after
   * the write takes effect. It is world
   * state, not session state, so kills land at the same points of a wave however Pulumi spreads
   * the work over sessions and runs.
   */
  killSchedule: z
    .object({
      writes: z.number().int().min(0),
      kills: z.array(z.object({ write: z.number().int().positive(), point: z.enum(["before-apply", "after-apply"]), fired: z.boolean() })),
    })
    .optional(),
  /**
   * What a connect must present, when set: SHA-256 hashes, so the world file never holds a
   * secret in plain text.
   */
  credentials: z
    .object({
      exchange: z.object({ certificatePasswordSha256: z.string() }).optional(),
      source: z.object({ username: z.string(), passwordSha256: z.string() }).optional(),
    })
    .optional(),
});
export type World = z.infer<typeof World>;
export type AcceptedDomain = z.infer<typeof AcceptedDomain>;
export type TenantMailbox = z.infer<typeof TenantMailbox>;
export type TenantMailRecipient = z.infer<typeof TenantMailRecipient>;
export type Group = z.infer<typeof Group>;
export type OutboundConnector = z.infer<typeof OutboundConnector>;
export type TransportRule = z.infer<typeof TransportRule>;
export type SourceMailbox = z.infer<typeof SourceMailbox>;
export type SourceAcceptedDomain = z.infer<typeof SourceAcceptedDomain>;
export type SendConnector = z.infer<typeof SendConnector>;
