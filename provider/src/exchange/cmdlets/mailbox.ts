import { z } from "zod";
import { cmdlet, Identity, ProxyAddress } from "../command";

/** Source-side mailbox (on-premises Exchange): forwarding and proxy addresses of migrated users. */
export const GetMailbox = cmdlet({
  name: "Get-Mailbox",
  target: "source",
  effect: "read",
  idempotent: true,
  parameters: z.strictObject({ Identity }),
});

export const SetMailbox = cmdlet({
  name: "Set-Mailbox",
  target: "source",
  effect: "write",
  // Idempotent as used: ForwardingSmtpAddress is a plain value and EmailAddresses changes go
  // through @{Add;Remove}, which ignore addresses already present/absent.
  idempotent: true,
  parameters: z.strictObject({
    Identity,
    ForwardingSmtpAddress: ProxyAddress.nullable().optional(),
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
