import {
  GetGSDomain,
  GetGSDomainAlias,
  GetGSGmailAutoForwardingSettings,
  GetGSGmailForwardingAddress,
  GetGSUser,
  GSAutoForwardingObject,
  GSDomainAliasObject,
  GSDomainObject,
  GSForwardingAddressObject,
  GSUserObject,
} from "../exchange/cmdlets";
import { bare, domainOf } from "../exchange/addresses";
import { Command } from "../exchange/command";
import { ExchangeError } from "../exchange/errors";
import { SessionPool } from "../pool/sessionPool";
import type { RoutingWorld } from "../oracle";
import { gmailForward, type GmailSettings, type SourceMailbox } from "../simulator/model";

export type SourceSide = Omit<RoutingWorld["source"], "hosts" | "outboundIps">;

/**
 * A Google Workspace source as the routing model sees it (docs/design/sources-google-and-vendor.md
 * §3.6): Get-GSUser -Filter * (one paged call), Get-GSDomain and Get-GSDomainAlias, then per user
 * of the shared domain Get-GSGmailAutoForwardingSettings, and Get-GSGmailForwardingAddress for
 * those whose forward is on. The Gmail API has no bulk read of settings, so this is N + 3 (+ one
 * per forwarded user) reads, where an Exchange source takes three (docs/safety.md says what it
 * costs). Each read impersonates its own user, so the per-user quota (15,000 units a minute) is
 * never near; the reads run side by side over the pool's sessions.
 */
export async function readGoogleSource(pool: SessionPool, domain: string, run: <T>(pool: SessionPool, c: Command) => Promise<T[]>, relayTo?: string): Promise<SourceSide> {
  const [users, domains, aliases] = await Promise.all([
    run<GSUserObject>(pool, GetGSUser({ Filter: "*", Projection: "Basic" })),
    run<GSDomainObject>(pool, GetGSDomain({})),
    run<GSDomainAliasObject>(pool, GetGSDomainAlias({})),
  ]);
  const shared = users.filter((u) => domainOf(u.PrimaryEmail).toLowerCase() === domain.toLowerCase());
  const mailboxes = await Promise.all(
    shared.map(async (u) => {
      // A suspended user's Gmail cannot be read (no token impersonates it) and forwards nothing:
      // "When a user is suspended, emails sent to the account will be rejected." (Google Workspace
      // knowledge base, "How to route emails sent to a suspended user"). The model bounces its mail.
      if (u.Suspended) return googleMailbox(u, undefined, []);
      try {
        const [auto] = await run<GSAutoForwardingObject>(pool, GetGSGmailAutoForwardingSettings({ User: u.PrimaryEmail }));
        const addresses = auto?.Enabled ? await run<GSForwardingAddressObject>(pool, GetGSGmailForwardingAddress({ User: u.PrimaryEmail })) : [];
        return googleMailbox(u, auto, addresses);
      } catch (e) {
        throw userUnavailable(e, u.PrimaryEmail);
      }
    }),
  );
  return {
    kind: "google-workspace",
    mailboxes,
    // Gmail keeps mail for its own domains and domain aliases: "the source delivers what it hosts".
    // Whether Google relays recipients it does not know (split delivery) no cmdlet tells: taken as no.
    // Declared (coexist:google.relaysUnknownRecipients): the shared domain's unknown recipients go
    // to Exchange Online, modelled as an Exchange source's relay is: InternalRelay and a connector.
    acceptedDomains: [
      ...domains.map((d) => ({ Name: d.DomainName, DomainName: d.DomainName, DomainType: relayTo && sameDomain(d.DomainName, domain) ? ("InternalRelay" as const) : ("Authoritative" as const), MatchSubDomains: false, Default: d.IsPrimary ?? false })),
      ...aliases.map((a) => ({ Name: a.DomainAliasName, DomainName: a.DomainAliasName, DomainType: "Authoritative" as const, MatchSubDomains: false, Default: false })),
    ],
    sendConnectors: relayTo ? [{ Name: "Gmail route to Exchange Online (declared)", AddressSpaces: [`SMTP:${domain};1`], SmartHosts: [tenantMx(relayTo)], DNSRoutingEnabled: false, Enabled: true }] : [],
    google: {
      domains: domains.map((d) => ({ domainName: d.DomainName.toLowerCase(), isPrimary: d.IsPrimary ?? false })),
      domainAliases: aliases.map((a) => ({ domainAliasName: a.DomainAliasName.toLowerCase(), parentDomainName: a.ParentDomainName.toLowerCase() })),
      // Not readable through PSGSuite's cmdlets: an admin who disabled forwarding shows at the first enable.
      userForwardingAllowed: true,
      quota: { perUserPerMinute: 15000, perProjectPerMinute: 1200000 },
    },
  };
}

/**
 * A user the directory listed as active whom Google then refused to impersonate (deleted or
 * suspended since the listing): an error naming the user, of its own kind, so no one reads it as
 * a wrong key (auth). Any other error passes unchanged.
 */
function userUnavailable(e: unknown, user: string): unknown {
  if (!(e instanceof ExchangeError) || e.kind !== "user-unavailable") return e;
  // e.message already starts with the cmdlet.
  return new ExchangeError({ kind: "user-unavailable", ...(e.reason ? { reason: e.reason } : {}), message: `Google refused to impersonate ${user} (deleted or suspended since the directory was read): ${e.message}. Read the source again.` });
}

const sameDomain = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();
/** The tenant's MX host, where a route to Exchange Online points: <prefix>.mail.protection.outlook.com. */
const tenantMx = (tenant: string) => `${tenant.toLowerCase().replace(/\.onmicrosoft\.com$/, "")}.mail.protection.outlook.com`;

/**
 * A Gmail user as a source mailbox: its aliases (a domain alias gives every user a non-editable
 * alias there) as proxy addresses, and ForwardingSmtpAddress what auto-forwarding does in effect:
 * its address when enabled and accepted (a pending one forwards nothing, updateAutoForwarding).
 */
export function googleMailbox(u: GSUserObject, auto: GSAutoForwardingObject | undefined, addresses: GSForwardingAddressObject[]): SourceMailbox {
  const primary = u.PrimaryEmail.toLowerCase();
  const alias = primary.slice(0, primary.lastIndexOf("@"));
  const gmail: GmailSettings = {
    forwardingAddresses: addresses
      .filter((a) => a.VerificationStatus !== "verificationStatusUnspecified")
      .map((a) => ({ forwardingEmail: bare(a.ForwardingEmail), verificationStatus: a.VerificationStatus as "accepted" | "pending" })),
    autoForwarding: { enabled: auto?.Enabled ?? false, emailAddress: auto?.EmailAddress ? bare(auto.EmailAddress) : null, disposition: auto?.Disposition ?? null },
  };
  return {
    Guid: primary,
    Name: alias,
    Alias: alias,
    PrimarySmtpAddress: primary,
    EmailAddresses: [`SMTP:${primary}`, ...[...(u.Aliases ?? []), ...(u.NonEditableAliases ?? [])].map((a) => `smtp:${a.toLowerCase()}`)],
    ForwardingSmtpAddress: gmailForward(gmail),
    ForwardingAddress: null,
    DeliverToMailboxAndForward: gmail.autoForwarding.disposition !== "trash",
    gmail,
    ...(u.Suspended ? { suspended: true } : {}),
  };
}
