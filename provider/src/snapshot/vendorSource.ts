import type { SourceMailbox } from "../simulator/model";
import type { SourceSide } from "./googleSource";

/** One user's forwarding as the vendor ledger knows it (resources/vendorLedger.ts VendorState). */
export interface VendorForwarding {
  forwardTo: string;
  forwarding: "on" | "off" | "maybe";
  latest: { action: "add" | "remove"; time: string };
  /** What is in effect if the vendor has not applied the latest request yet. */
  was: string | null;
}

/**
 * A vendor's system, which no cmdlet reads (docs/design/sources-google-and-vendor.md §6): its
 * users are coexist:sourceUsers (and everyone in a wave), each a mailbox in the shared domain,
 * and its forwarding is the ledger's: what coexist asked for and the vendor confirmed, or, for a
 * request not yet confirmed, "maybe": ForwardingSmtpAddress is the request and `unconfirmed.was`
 * what holds until the vendor applies it. The vendor is taken to host the shared domain only, and
 * to relay nothing it does not know (no readable setting says otherwise).
 */
export function vendorSource(domain: string, vendor: string, users: Iterable<string>, states: ReadonlyMap<string, VendorForwarding>): SourceSide {
  const mailboxes: SourceMailbox[] = [];
  for (const user of new Set([...users].map((u) => u.toLowerCase()))) {
    const alias = user.slice(0, user.lastIndexOf("@"));
    const s = states.get(user);
    const requested = s && s.latest.action === "add" ? s.forwardTo : null;
    mailboxes.push({
      Guid: user,
      Name: alias,
      Alias: alias,
      PrimarySmtpAddress: user,
      EmailAddresses: [`SMTP:${user}`],
      ForwardingSmtpAddress: s?.forwarding === "off" ? null : requested,
      ForwardingAddress: null,
      DeliverToMailboxAndForward: false,
      ...(s?.forwarding === "maybe" ? { unconfirmed: { was: s.was, vendor, requested: s.latest.time } } : {}),
    });
  }
  return {
    kind: "vendor",
    mailboxes,
    acceptedDomains: [{ Name: domain, DomainName: domain, DomainType: "Authoritative", MatchSubDomains: false, Default: true }],
    sendConnectors: [],
  };
}
