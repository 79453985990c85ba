/**
 * Whether an object Exchange returned is the one an -Identity asked for.
 *
 * Every Get-* page coexist uses carries the caution that "if you use $null or a non-existent
 * value for Identity, the command returns all objects" (Get-Mailbox, Get-DistributionGroup,
 * Get-OutboundConnector, Get-TransportRule, Get-AcceptedDomain references): taking the first
 * result would read, adopt or compare the wrong object. The Identity parameter accepts any value
 * that uniquely identifies the object (name, alias, distinguished name, canonical DN,
 * domain\user, email address, GUID, LegacyExchangeDN, SamAccountName, UPN; "Identity" in each
 * reference), so an object matches when one of its identity-bearing properties equals the value.
 */
const IDENTITY_FIELDS = [
  "Identity",
  "Name",
  "Alias",
  "Guid",
  "ExchangeGuid",
  "ExchangeObjectId",
  "ExternalDirectoryObjectId",
  "Id",
  "DistinguishedName",
  "LegacyExchangeDN",
  "SamAccountName",
  "UserPrincipalName",
  "PrimarySmtpAddress",
  "WindowsEmailAddress",
  "DomainName",
] as const;

const norm = (s: string) => s.trim().toLowerCase();
/** `smtp:user@x` and `SMTP:user@x` are the address user@x (EmailAddresses entries). */
const bareAddress = (s: string) => norm(s).replace(/^smtp:/, "");

export function identifies(object: Record<string, unknown>, asked: string): boolean {
  const want = norm(asked);
  // domain\user names the account by its SamAccountName (Identity, Get-Mailbox reference).
  const account = want.includes("\\") ? want.slice(want.lastIndexOf("\\") + 1) : undefined;
  for (const field of IDENTITY_FIELDS) {
    const value = object[field];
    if (typeof value !== "string" || value === "") continue;
    if (norm(value) === want) return true;
    if (account !== undefined && field === "SamAccountName" && norm(value) === account) return true;
  }
  const addresses = object.EmailAddresses;
  if (Array.isArray(addresses)) {
    const address = bareAddress(want);
    return addresses.some((a) => typeof a === "string" && bareAddress(a) === address);
  }
  return false;
}

/**
 * The object's own name inside a canonical name ("contoso.com/Users/Bob") or a distinguished name
 * ("CN=Bob,OU=Users,DC=contoso,DC=com"): the last path part, or the first RDN's value. Exchange
 * names an object's CN after its Name, so this is the Name. Undefined for any other text.
 */
export function leafName(value: string): string | undefined {
  const v = value.trim();
  const dn = /^CN=((?:\\.|[^,\\])+)/i.exec(v);
  if (dn) return dn[1]!.replace(/\\(.)/g, "$1");
  if (v.includes("/") && !v.includes("@")) return v.slice(v.lastIndexOf("/") + 1) || undefined;
  return undefined;
}

/**
 * The recipient a mailbox's ForwardingAddress names. Set-Mailbox takes "a recipient in your
 * organization. You can use any value that uniquely identifies the recipient. For example: Name,
 * Display name, Alias, Distinguished name (DN), Canonical DN, Email address, GUID" (Set-Mailbox.md,
 * -ForwardingAddress), and Get-Mailbox prints the recipient's identity, on-premises its canonical
 * name ("contoso.com/Users/Bob"); which form a given server prints is not documented, so every one
 * is read here, the same way by the routing model, the pending group and the simulator. An SMTP
 * address is that address. Otherwise `find` looks the text up as a Name, Alias or GUID, then the
 * leaf of a canonical name or DN (leafName). Where the docs are silent (a name `find` cannot tell
 * apart, a recipient that is no source mailbox) the answer is undefined, never a guess: callers
 * then report the forward as unresolved (the routing model bounces it, so the gate shows it)
 * rather than assume where the mail goes, the reading that cannot lose mail unseen.
 */
export function forwardingRecipient<M>(value: string, find: (key: string) => M | undefined): { mailbox: M } | { address: string } | undefined {
  const v = value.trim();
  if (/^[^\s@/]+@[^\s@/]+$/.test(v.replace(/^smtp:/i, ""))) return { address: v.replace(/^smtp:/i, "").toLowerCase() };
  const named = find(v);
  if (named !== undefined) return { mailbox: named };
  const leaf = leafName(v);
  const byLeaf = leaf === undefined ? undefined : find(leaf);
  return byLeaf === undefined ? undefined : { mailbox: byLeaf };
}

/** A `find` for forwardingRecipient over a list: a Name, Alias or GUID that names exactly one mailbox (several: undefined). */
export function findIn<M extends { Name?: string; Alias?: string; Guid?: string }>(mailboxes: readonly M[]): (key: string) => M | undefined {
  return (key) => {
    const k = key.trim().toLowerCase();
    const hits = mailboxes.filter((m) => [m.Name, m.Alias, m.Guid].some((x) => x !== undefined && x !== "" && x.toLowerCase() === k));
    return hits.length === 1 ? hits[0] : undefined;
  };
}
