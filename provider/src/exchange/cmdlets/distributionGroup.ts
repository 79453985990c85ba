import { z } from "zod";
import { cmdlet, Confirm, Identity, Name64, SmtpAddress, Text } from "../command";

const MemberJoinRestriction = z.enum(["Open", "Closed", "ApprovalRequired"]);
const MemberDepartRestriction = z.enum(["Open", "Closed"]);
const ResultSize = z.union([z.literal("Unlimited"), z.number().int().positive()]);

export const GetDistributionGroup = cmdlet({
  name: "Get-DistributionGroup",
  role: "exchange",
  effect: "read",
  idempotent: true,
  parameters: z.strictObject({ Identity }),
});

export const NewDistributionGroup = cmdlet({
  name: "New-DistributionGroup",
  role: "exchange",
  effect: "write",
  idempotent: false,
  parameters: z.strictObject({
    Name: Name64,
    Alias: z.string().min(1).max(64).regex(/^[A-Za-z0-9!#$%&'*+\-/=?^_`{|}~.]+$/).optional(),
    DisplayName: Text(256).optional(),
    PrimarySmtpAddress: SmtpAddress.optional(),
    Type: z.enum(["Distribution", "Security"]).optional(),
    // Required under app-only auth: there is no signed-in user to become the owner.
    ManagedBy: z.array(Identity).min(1).max(10).optional(),
    MemberJoinRestriction: MemberJoinRestriction.optional(),
    MemberDepartRestriction: MemberDepartRestriction.optional(),
    RequireSenderAuthenticationEnabled: z.boolean().optional(),
    Notes: z.string().max(1024).optional(),
  }),
});

export const SetDistributionGroup = cmdlet({
  name: "Set-DistributionGroup",
  role: "exchange",
  effect: "write",
  idempotent: true,
  parameters: z.strictObject({
    Identity,
    Name: Name64.optional(),
    DisplayName: Text(256).optional(),
    PrimarySmtpAddress: SmtpAddress.optional(),
    ManagedBy: z.array(Identity).min(1).max(10).optional(),
    HiddenFromAddressListsEnabled: z.boolean().optional(),
    MemberJoinRestriction: MemberJoinRestriction.optional(),
    MemberDepartRestriction: MemberDepartRestriction.optional(),
    RequireSenderAuthenticationEnabled: z.boolean().optional(),
    BypassSecurityGroupManagerCheck: z.boolean().optional(),
  }),
});

/**
 * The group object's own settings, where its Notes live: "Use the Set-Group cmdlet to modify group
 * object settings" and "-Notes: The Notes parameters specifies additional information about the
 * object" (Set-Group.md); Set-DistributionGroup has no -Notes, and Get-DistributionGroup's output is
 * not documented to carry them, so they are read with Get-Group ("returns no mail-related
 * properties", Get-Group.md). Get-Group's -Identity is a Name, DN, canonical DN or GUID (no email
 * address): coexist passes the group's GUID.
 */
export const GetGroup = cmdlet({
  name: "Get-Group",
  role: "exchange",
  effect: "read",
  idempotent: true,
  parameters: z.strictObject({ Identity }),
});

/** coexist's owner marker on an adopted group (resources/ownership.ts); -BypassSecurityGroupManagerCheck as on Set-DistributionGroup (Set-Group.md). */
export const SetGroup = cmdlet({
  name: "Set-Group",
  role: "exchange",
  effect: "write",
  idempotent: true,
  parameters: z.strictObject({ Identity, Notes: z.string().max(1024).nullable().optional(), BypassSecurityGroupManagerCheck: z.boolean().optional() }),
});

/** What coexist reads of Get-Group: the group's Notes (null when none). */
export const GroupObject = z.object({
  Identity: z.string(),
  Guid: z.string(),
  Name: z.string(),
  Notes: z.string().nullable(),
});
export type GroupObject = z.infer<typeof GroupObject>;

export const RemoveDistributionGroup = cmdlet({
  name: "Remove-DistributionGroup",
  role: "exchange",
  effect: "write",
  idempotent: false,
  parameters: z.strictObject({ Identity, Confirm, BypassSecurityGroupManagerCheck: z.boolean().optional() }),
});

export const GetDistributionGroupMember = cmdlet({
  name: "Get-DistributionGroupMember",
  role: "exchange",
  effect: "read",
  idempotent: true,
  // The default ResultSize is 1000: always ask for Unlimited.
  parameters: z.strictObject({ Identity, ResultSize: ResultSize.optional() }),
});

export const AddDistributionGroupMember = cmdlet({
  name: "Add-DistributionGroupMember",
  role: "exchange",
  effect: "write",
  idempotent: false,
  parameters: z.strictObject({ Identity, Member: Identity, BypassSecurityGroupManagerCheck: z.boolean().optional() }),
});

export const RemoveDistributionGroupMember = cmdlet({
  name: "Remove-DistributionGroupMember",
  role: "exchange",
  effect: "write",
  idempotent: false,
  parameters: z.strictObject({
    Identity,
    Member: Identity,
    Confirm,
    BypassSecurityGroupManagerCheck: z.boolean().optional(),
  }),
});

/**
 * Replaces a group's whole membership in one call: "Use the Update-DistributionGroupMember
 * cmdlet to replace all members of distribution groups and mail-enabled security groups"
 * (Update-DistributionGroupMember.md). -Members: "The maximum number of entries for this
 * parameter is 10000" (same page). The page marks -Members not required; what the cmdlet does
 * without it, or with an empty list, is not documented, so coexist always names at least one
 * member (assumed, not documented). "This cmdlet has a built-in pause, so use -Confirm:$false"
 * (-Confirm). Idempotent: the same list twice leaves the same membership and does not fail.
 * Not used by any resource yet: for seed 1's model (issue 14), the pending group's initial fill.
 */
export const UpdateDistributionGroupMember = cmdlet({
  name: "Update-DistributionGroupMember",
  role: "exchange",
  effect: "write",
  idempotent: true,
  parameters: z.strictObject({
    Identity,
    Members: z.array(Identity).min(1).max(10000),
    Confirm,
    BypassSecurityGroupManagerCheck: z.boolean().optional(),
  }),
});

export const DistributionGroupObject = z.object({
  Identity: z.string(),
  Guid: z.string(),
  Name: z.string(),
  Alias: z.string(),
  DisplayName: z.string(),
  PrimarySmtpAddress: z.string(),
  EmailAddresses: z.array(z.string()),
  GroupType: z.string(),
  RecipientTypeDetails: z.string(),
  ManagedBy: z.array(z.string()),
  MemberJoinRestriction: MemberJoinRestriction,
  MemberDepartRestriction: MemberDepartRestriction,
  RequireSenderAuthenticationEnabled: z.boolean(),
  HiddenFromAddressListsEnabled: z.boolean(),
});
export type DistributionGroupObject = z.infer<typeof DistributionGroupObject>;

/**
 * Every mail-enabled object of the tenant: mailboxes, mail users, contacts, groups. One list read
 * instead of one per user (Get-Recipient reference, example 1: `Get-Recipient -ResultSize
 * unlimited`); the default ResultSize is 1000.
 */
export const GetRecipient = cmdlet({
  name: "Get-Recipient",
  role: "exchange",
  effect: "read",
  idempotent: true,
  parameters: z.strictObject({ Identity: Identity.optional(), ResultSize: ResultSize.optional() }),
});

/** The properties of Get-Recipient output the routing snapshot uses. */
export const TenantRecipientObject = z.object({
  Identity: z.string(),
  Name: z.string(),
  Alias: z.string().nullable().optional(),
  Guid: z.string().nullable().optional(),
  PrimarySmtpAddress: z.string(),
  EmailAddresses: z.array(z.string()),
  RecipientType: z.string(),
  RecipientTypeDetails: z.string().nullable().optional(),
  /** Mail users and contacts: where Exchange sends their mail (the "target address"). */
  ExternalEmailAddress: z.string().nullable().optional(),
});
export type TenantRecipientObject = z.infer<typeof TenantRecipientObject>;

export const RecipientObject = z.object({
  Identity: z.string(),
  Name: z.string(),
  PrimarySmtpAddress: z.string(),
  RecipientType: z.string(),
});
export type RecipientObject = z.infer<typeof RecipientObject>;
