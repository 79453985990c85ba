import { z } from "zod";
import * as c from "../exchange/cmdlets";
import { MailboxObject } from "../exchange/cmdlets";
import { bare, sameAddress } from "../exchange/addresses";
import { raise } from "./errors";
import { looksLikeIpv4 } from "./ip";
import { SourceMailbox, World } from "./model";
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
  const hits = w.source.mailboxes.filter((m) =>
    [m.Guid, m.Name, m.Alias, m.PrimarySmtpAddress, ...m.EmailAddresses].some((k) => sameAddress(k, id)),
  );
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

export const sourceCmdlets: Record<string, Handler> = {
  // Without -Identity: the first ResultSize mailboxes, 1000 by default, all for Unlimited (Get-Mailbox reference).
  "Get-Mailbox": (w, p: P<typeof c.GetMailbox>) =>
    p.Identity === undefined
      ? w.source.mailboxes.slice(0, p.ResultSize === "Unlimited" ? Infinity : (p.ResultSize ?? 1000)).map(mailboxOut)
      : [mailboxOut(getMailbox(w, p.Identity))],

  "Set-Mailbox": (w, p: P<typeof c.SetMailbox>) => {
    const m = getMailbox(w, p.Identity);
    if (p.ForwardingSmtpAddress !== undefined) m.ForwardingSmtpAddress = p.ForwardingSmtpAddress === null ? null : bare(p.ForwardingSmtpAddress);
    if (p.ForwardingAddress !== undefined) {
      // A recipient identity: a mailbox is stored by its name, as Exchange stores the recipient
      // (not the text given). The simulated source has no mail contacts; an address that is no
      // mailbox's stands for a contact with that external address (an assumption, not a doc).
      const id = p.ForwardingAddress;
      const target = id === null ? undefined : w.source.mailboxes.find((x) => [x.Guid, x.Name, x.Alias, x.PrimarySmtpAddress, ...x.EmailAddresses].some((k) => sameAddress(k, id)));
      m.ForwardingAddress = id === null ? null : (target?.Name ?? (id.includes("@") ? bare(id) : notFound(w, id)));
    }
    if (p.DeliverToMailboxAndForward !== undefined) m.DeliverToMailboxAndForward = p.DeliverToMailboxAndForward;
    for (const address of p.EmailAddresses?.Add ?? []) {
      if (m.EmailAddresses.some((a) => sameAddress(a, address))) continue;
      const holder = w.source.mailboxes.find((o) => o !== m && o.EmailAddresses.some((a) => sameAddress(a, address)));
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
