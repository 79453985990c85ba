import { z } from "zod";
import { cmdlet, Identity, ProxyAddress } from "../command";

/**
 * Source-side mailbox (on-premises Exchange): forwarding and proxy addresses of migrated users.
 * Without -Identity it lists every mailbox (the routing snapshot's one read of the source); the
 * default ResultSize is 1000, so a list always asks for Unlimited (Get-Mailbox reference).
 */
export const GetMailbox = cmdlet({
  name: "Get-Mailbox",
  role: "source",
  effect: "read",
  idempotent: true,
  // ResultSize is "Unlimited" or a count (Get-Mailbox reference); preflight reads one.
  parameters: z.strictObject({ Identity: Identity.optional(), ResultSize: z.union([z.literal("Unlimited"), z.number().int().positive()]).optional() }),
});

export const SetMailbox = cmdlet({
  name: "Set-Mailbox",
  role: "source",
  effect: "write",
  // Idempotent as used: ForwardingSmtpAddress is a plain value and EmailAddresses changes go
  // through @{Add;Remove}, which ignore addresses already present/absent.
  idempotent: true,
  parameters: z.strictObject({
    Identity,
    ForwardingSmtpAddress: ProxyAddress.nullable().optional(),
    // A recipient identity, not an address. "If you configure values for both the
    // ForwardingAddress and ForwardingSmtpAddress parameters, the value of ForwardingSmtpAddress
    // is ignored" (Set-Mailbox reference): coexist clears it only when told to, and restores it.
    ForwardingAddress: Identity.nullable().optional(),
    DeliverToMailboxAndForward: z.boolean().optional(),
    EmailAddresses: z
      .strictObject({ Add: z.array(ProxyAddress).optional(), Remove: z.array(ProxyAddress).optional() })
      .optional(),
  }),
});

/**
 * Exchange Online's own Get-Mailbox, on the tenant's sessions (the same cmdlet name as the
 * source's: the registry keys cmdlets by role and name). Without -Identity it lists mailboxes,
 * the first 1000 unless ResultSize says otherwise ("By default, the value is 1000",
 * Get-Mailbox.md, -ResultSize). Not used by any resource yet: for seed 1's model (issue 14).
 */
export const GetTenantMailbox = cmdlet({
  name: "Get-Mailbox",
  role: "exchange",
  effect: "read",
  idempotent: true,
  parameters: z.strictObject({ Identity: Identity.optional(), ResultSize: z.union([z.literal("Unlimited"), z.number().int().positive()]).optional() }),
});

/**
 * Exchange Online's Set-Mailbox, as far as seed 1's routing subdomain needs it: a proxy address
 * added to (or removed from) a migrated user's tenant mailbox. "To add or remove specify proxy
 * addresses without affecting other existing values, use the following syntax:
 * @{Add=...; Remove=...}" (Set-Mailbox.md, -EmailAddresses); the replace-all form is not
 * offered, so coexist can never drop an address it did not add. Idempotent: an Add of an
 * address the mailbox holds, or a Remove of one it does not, changes nothing (not documented;
 * assumed from the collection's add/remove semantics, as for the source's Set-Mailbox). Not used
 * by any resource yet: for seed 1's model (issue 14).
 */
export const SetTenantMailbox = cmdlet({
  name: "Set-Mailbox",
  role: "exchange",
  effect: "write",
  idempotent: true,
  parameters: z.strictObject({
    Identity,
    EmailAddresses: z.strictObject({ Add: z.array(ProxyAddress).optional(), Remove: z.array(ProxyAddress).optional() }),
  }),
});

export const MailboxObject = z.object({
  Identity: z.string(),
  Name: z.string(),
  Alias: z.string(),
  PrimarySmtpAddress: z.string(),
  EmailAddresses: z.array(z.string()),
  /** Printed as `smtp:user@domain` by Exchange: it is a ProxyAddress. */
  ForwardingSmtpAddress: z.string().nullable(),
  ForwardingAddress: z.string().nullable(),
  DeliverToMailboxAndForward: z.boolean(),
});
export type MailboxObject = z.infer<typeof MailboxObject>;
