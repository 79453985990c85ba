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
