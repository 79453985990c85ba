import { z } from "zod";
import { cmdlet, SmtpAddress } from "../command";

/**
 * A Google Workspace source, through the PSGSuite module (SCRT-HQ/PSGSuite, PSGSuite/Public/;
 * facts and their files in docs/design/sources-google-and-vendor.md §1). Every Gmail settings
 * call impersonates the user it names: `-User` is always given (PSGSuite defaults it to the
 * admin's own mailbox, which a missing value must never silently act on).
 */
const User = SmtpAddress;

/** Directory users (Users/Get-GSUser.ps1, List set; scope admin.directory.user.readonly). */
export const GetGSUser = cmdlet({
  name: "Get-GSUser",
  role: "google",
  effect: "read",
  idempotent: true,
  // The List set (-Filter *, every user) or one user; never both (they are different parameter sets).
  parameters: z
    .strictObject({ Filter: z.literal("*").optional(), User: User.optional(), Projection: z.enum(["Basic", "Full"]).optional() })
    .refine((p) => (p.Filter === undefined) !== (p.User === undefined), "Parameter set cannot be resolved using the specified named parameters: give -Filter * or -User."),
});

/** The customer's domains (Domains/Get-GSDomain.ps1; scope admin.directory.domain). */
export const GetGSDomain = cmdlet({ name: "Get-GSDomain", role: "google", effect: "read", idempotent: true, parameters: z.strictObject({}) });

/** The customer's domain aliases (Domains/Get-GSDomainAlias.ps1): a user alias domain gives every user an address there. */
export const GetGSDomainAlias = cmdlet({ name: "Get-GSDomainAlias", role: "google", effect: "read", idempotent: true, parameters: z.strictObject({}) });

/** A user's auto-forwarding (Gmail/Get-GSGmailAutoForwardingSettings.ps1; scope gmail.settings.basic). */
export const GetGSGmailAutoForwardingSettings = cmdlet({
  name: "Get-GSGmailAutoForwardingSettings",
  role: "google",
  effect: "read",
  idempotent: true,
  parameters: z.strictObject({ User }),
});

/** A user's forwarding addresses and their verification status (Gmail/Get-GSGmailForwardingAddress.ps1): all, or the ones named. */
export const GetGSGmailForwardingAddress = cmdlet({
  name: "Get-GSGmailForwardingAddress",
  role: "google",
  effect: "read",
  idempotent: true,
  parameters: z.strictObject({ User, ForwardingAddress: z.array(SmtpAddress).min(1).optional() }),
});

/**
 * users.settings.forwardingAddresses.create (Gmail/Add-GSGmailForwardingAddress.ps1; scope
 * gmail.settings.sharing): "If ownership verification is required, a message will be sent to the
 * recipient and the resource's verification status will be set to pending". Not idempotent by
 * itself: a second create of the same address fails (coexist counts that answer as done).
 */
export const AddGSGmailForwardingAddress = cmdlet({
  name: "Add-GSGmailForwardingAddress",
  role: "google",
  effect: "write",
  idempotent: false,
  parameters: z.strictObject({ User, ForwardingAddress: z.array(SmtpAddress).length(1) }),
});

/**
 * The dispositions coexist may set: users.settings AutoForwarding.disposition, less
 * dispositionUnspecified, which "cannot be set" (guides/forwarding_settings). The cmdlet's
 * ValidateSet has the same names (Update-GSGmailAutoForwardingSettings.ps1).
 */
export const GmailDisposition = z.enum(["leaveInInbox", "archive", "trash", "markRead"]);
export type GmailDisposition = z.infer<typeof GmailDisposition>;

/**
 * users.settings.updateAutoForwarding (Gmail/Update-GSGmailAutoForwardingSettings.ps1; scope
 * gmail.settings.sharing). The cmdlet copies only bound parameters into the request body and
 * -Enabled is a switch, so Enabled is always sent (false as -Enabled:$false). "A verified
 * forwarding address must be specified when auto-forwarding is enabled." Idempotent: a PUT of
 * the whole setting.
 */
export const UpdateGSGmailAutoForwardingSettings = cmdlet({
  name: "Update-GSGmailAutoForwardingSettings",
  role: "google",
  effect: "write",
  idempotent: true,
  parameters: z.strictObject({ User, Enabled: z.boolean(), EmailAddress: SmtpAddress.optional(), Disposition: GmailDisposition.optional() }),
});

/**
 * users.settings.forwardingAddresses.delete: "Deletes the specified forwarding address and
 * revokes any verification that may have been required". PSGSuite has no cmdlet for it, so
 * coexist's static module runner/CoexistGoogle.psm1 calls the API through PSGSuite's
 * New-GoogleService. Idempotent as coexist uses it: an address already gone answers not-found,
 * which counts as done.
 */
export const RemoveCoexistGmailForwardingAddress = cmdlet({
  name: "Remove-CoexistGmailForwardingAddress",
  role: "google",
  effect: "write",
  idempotent: true,
  parameters: z.strictObject({ User, ForwardingAddress: SmtpAddress }),
});

/** Get-GSUser's output, as far as routing reads it (Directory API User resource). */
export const GSUserObject = z.object({
  PrimaryEmail: z.string(),
  Aliases: z.array(z.string()).nullable().optional(),
  NonEditableAliases: z.array(z.string()).nullable().optional(),
  OrgUnitPath: z.string().optional(),
  Suspended: z.boolean().optional(),
  /** Added by PSGSuite to every user object (its Get-GSUser.ps1). */
  User: z.string().optional(),
});
export type GSUserObject = z.infer<typeof GSUserObject>;

export const GSDomainObject = z.object({ DomainName: z.string(), IsPrimary: z.boolean().optional(), Verified: z.boolean().optional() });
export type GSDomainObject = z.infer<typeof GSDomainObject>;
export const GSDomainAliasObject = z.object({ DomainAliasName: z.string(), ParentDomainName: z.string(), Verified: z.boolean().optional() });
export type GSDomainAliasObject = z.infer<typeof GSDomainAliasObject>;

/** AutoForwarding (reference/rest/v1/AutoForwarding), plus the User PSGSuite adds. */
export const GSAutoForwardingObject = z.object({
  User: z.string(),
  Enabled: z.boolean().nullable().optional(),
  EmailAddress: z.string().nullable().optional(),
  Disposition: z.string().nullable().optional(),
});
export type GSAutoForwardingObject = z.infer<typeof GSAutoForwardingObject>;

/** ForwardingAddress: verificationStatus is verificationStatusUnspecified, accepted or pending. */
export const GSForwardingAddressObject = z.object({
  User: z.string(),
  ForwardingEmail: z.string(),
  VerificationStatus: z.enum(["verificationStatusUnspecified", "accepted", "pending"]),
});
export type GSForwardingAddressObject = z.infer<typeof GSForwardingAddressObject>;
