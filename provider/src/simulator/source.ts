import { z } from "zod";
import * as c from "../exchange/cmdlets";
import { AcceptedDomainObject, MailboxObject, SendConnectorObject } from "../exchange/cmdlets";
import { bare, domainOf, sameAddress } from "../exchange/addresses";
import { findIn, forwardingRecipient } from "../exchange/identity";
import { raise } from "./errors";
import { namedBy } from "./lookup";
import { looksLikeIpv4 } from "./ip";
import { SendConnector, SourceAcceptedDomain, SourceMailbox, World } from "./model";
import { Handler } from "./tenant";

/** The source organisation (on-premises Exchange): the mailbox settings coexist changes. */
type P<B extends { spec: { parameters: z.ZodObject } }> = z.output<B["spec"]["parameters"]>;

/**
 * The server the source's texts name: its own host name (an on-premises Exchange server), never
 * an Exchange Online one. The world keeps the source's host names and IPs; the first name wins.
 */
export const sourceServer = (w: World): string => w.source.hosts.find((h) => !looksLikeIpv4(h)) ?? "EX01";
const notFound = (w: World, id: string): never => raise("notFound", id, sourceServer(w));

function getMailbox(w: World, id: string): SourceMailbox {
  const named = namedBy(id);
  const hits = w.source.mailboxes.filter((m) => [m.Guid, m.Name, m.Alias, m.PrimarySmtpAddress, ...m.EmailAddresses].some(named));
  if (hits.length > 1) raise("ambiguous", id);
  return hits[0] ?? notFound(w, id);
}

const mailboxOut = (m: SourceMailbox): MailboxObject => ({
  Identity: m.Name,
  Name: m.Name,
  Alias: m.Alias,
  PrimarySmtpAddress: m.PrimarySmtpAddress,
  EmailAddresses: m.EmailAddresses,
  ForwardingSmtpAddress: m.ForwardingSmtpAddress === null ? null : `smtp:${m.ForwardingSmtpAddress}`,
  ForwardingAddress: m.ForwardingAddress,
  DeliverToMailboxAndForward: m.DeliverToMailboxAndForward,
});

/**
 * The source's accepted domains: the world's, or for a world that lists none the domains its
 * mailboxes have addresses in, Authoritative (what the oracle assumes of such a world), the
 * first the default.
 */
function acceptedDomainsOf(w: World): SourceAcceptedDomain[] {
  if (w.source.acceptedDomains) return w.source.acceptedDomains;
  const names = [...new Set(w.source.mailboxes.flatMap((m) => [m.PrimarySmtpAddress, ...m.EmailAddresses].filter((a) => a.includes("@")).map((a) => domainOf(a).toLowerCase())))];
  return names.map((d, i) => ({ Name: d, DomainName: d, DomainType: "Authoritative", MatchSubDomains: false, Default: i === 0 }));
}

const domainOut = (d: SourceAcceptedDomain): AcceptedDomainObject => ({ Identity: d.Name, ...d });
const connectorOut = (c: SendConnector): SendConnectorObject => ({ Identity: c.Name, ...c });

/** An -Identity names one object by name (or domain name); -Identity takes no wildcard here (Identity refuses *). */
function one<T>(w: World, all: T[], id: string, keys: (t: T) => string[]): T {
  return all.find((t) => keys(t).some((k) => k.toLowerCase() === id.toLowerCase())) ?? notFound(w, id);
}

export const sourceCmdlets: Record<string, Handler> = {
  // Without -Identity: the first ResultSize mailboxes, 1000 by default, all for Unlimited (Get-Mailbox reference).
  "Get-Mailbox": (w, p: P<typeof c.GetMailbox>) =>
    p.Identity === undefined
      ? w.source.mailboxes.slice(0, p.ResultSize === "Unlimited" ? Infinity : (p.ResultSize ?? 1000)).map(mailboxOut)
      : [mailboxOut(getMailbox(w, p.Identity))],

  // Get-AcceptedDomain.md: "Example 1 ... lists all the accepted domains in your organization".
  "Get-AcceptedDomain": (w, p: P<typeof c.GetSourceAcceptedDomain>) => {
    const all = acceptedDomainsOf(w);
    return (p.Identity === undefined ? all : [one(w, all, p.Identity, (d) => [d.Name, d.DomainName])]).map(domainOut);
  },

  // Get-SendConnector.md: -Identity "specifies the name, or GUID of the Send connector" (no GUID is kept here).
  "Get-SendConnector": (w, p: P<typeof c.GetSendConnector>) => {
    const all = w.source.sendConnectors ?? [];
    return (p.Identity === undefined ? all : [one(w, all, p.Identity, (x) => [x.Name])]).map(connectorOut);
  },

  "Set-Mailbox": (w, p: P<typeof c.SetMailbox>) => {
    const m = getMailbox(w, p.Identity);
    if (p.ForwardingSmtpAddress !== undefined) m.ForwardingSmtpAddress = p.ForwardingSmtpAddress === null ? null : bare(p.ForwardingSmtpAddress);
    if (p.ForwardingAddress !== undefined) {
      // A recipient identity: a mailbox is stored by its name, as Exchange stores the recipient
      // (not the text given). The simulated source has no mail contacts; an address that is no
      // mailbox's stands for a contact with that external address (an assumption, not a doc).
      // Resolved as the routing model reads it back (exchange/identity.ts forwardingRecipient), so a
      // canonical name or DN given here names the same mailbox; an address is looked up as well.
      const id = p.ForwardingAddress;
      const named = id === null ? undefined : namedBy(id);
      const r = id === null ? undefined : forwardingRecipient(id, findIn(w.source.mailboxes));
      const target = r && "mailbox" in r ? r.mailbox : named && w.source.mailboxes.find((x) => [x.Guid, x.PrimarySmtpAddress, ...x.EmailAddresses].some(named));
      m.ForwardingAddress = id === null ? null : (target?.Name ?? (r && "address" in r ? r.address : notFound(w, id)));
    }
    if (p.DeliverToMailboxAndForward !== undefined) m.DeliverToMailboxAndForward = p.DeliverToMailboxAndForward;
    for (const address of p.EmailAddresses?.Add ?? []) {
      if (m.EmailAddresses.some((a) => sameAddress(a, address))) continue;
      const held = namedBy(address);
      const holder = w.source.mailboxes.find((o) => o !== m && o.EmailAddresses.some(held));
      if (holder) raise("proxyInUse", `smtp:${bare(address)}`, holder.Name);
      m.EmailAddresses.push(`smtp:${bare(address)}`);
    }
    for (const address of p.EmailAddresses?.Remove ?? []) {
      if (sameAddress(address, m.PrimarySmtpAddress)) raise("primaryNotRemovable", bare(address));
      m.EmailAddresses = m.EmailAddresses.filter((a) => !sameAddress(a, address));
    }
    return [];
  },
};
