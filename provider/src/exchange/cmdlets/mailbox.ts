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
