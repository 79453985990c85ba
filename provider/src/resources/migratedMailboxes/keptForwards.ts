import * as fs from "node:fs";
import * as path from "node:path";
import { z } from "zod";
import { GmailDisposition } from "../../exchange/cmdlets";
import { SmtpAddress } from "../../exchange/command";
import { UserError } from "../../host/quietErrors";
import { fileNameOf } from "../../journal/journal";

/**
 * The forwards coexist replaced (issue 24, "Existing forwards"): a user's own forward at the
 * source (to a colleague, an outside address) is taken over by coexist's forward to Exchange
 * Online; it is kept here and put back on rollback. Nothing live can say later what it was
 * (Set-Mailbox overwrites ForwardingSmtpAddress; Gmail holds one auto-forward), and the safety
 * gate must prove the put-back before it happens, so the memory is a file the program reads at
 * preview, not Pulumi's state (a program cannot read its own stack's state).
 *
 * `forwards/<stack>.json` beside Pulumi.yaml, written by the provider before the write that
 * replaces the forward (a killed run still knows what to put back), an entry dropped once it is
 * back. Keep it with the customer's project files, like the vendor worksheets.
 */
const lower = SmtpAddress.transform((s) => s.toLowerCase());

/** An Exchange source mailbox's forwarding before coexist's Set-Mailbox. */
export const KeptExchangeForward = z.object({
  kind: z.literal("exchange"),
  /** A recipient (ForwardingAddress) coexist cleared (coexist:clearForwardingAddress). */
  forwardingAddress: z.string().min(1).nullable(),
  /** The owner's ForwardingSmtpAddress (not one to Exchange Online). */
  forwardingSmtpAddress: lower.nullable(),
  deliverToMailboxAndForward: z.boolean(),
});
/** A Gmail user's auto-forward before coexist's (users.settings.updateAutoForwarding). */
export const KeptGmailForward = z.object({ kind: z.literal("gmail"), emailAddress: lower, disposition: GmailDisposition });
export const KeptForward = z.discriminatedUnion("kind", [KeptExchangeForward, KeptGmailForward]);
export type KeptForward = z.output<typeof KeptForward>;

const KeptFile = z.object({ version: z.literal(1), users: z.record(lower, KeptForward) });

/** The stack's file of kept forwards. */
export const keptForwardsPath = (projectDir: string, stack: string): string => path.join(projectDir, "forwards", `${fileNameOf(stack)}.json`);

/** The kept forwards by user (none when the file does not exist); a bad file is an error naming it and the field. */
export function readKeptForwards(file: string): Map<string, KeptForward> {
  let text: string;
  try {
    text = fs.readFileSync(file, "utf8");
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "ENOENT") return new Map();
    throw e;
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new UserError(`coexist: ${file}: not JSON (${(e as Error).message}); it holds the users' own forwards coexist puts back on rollback: restore it from the customer's project files`);
  }
  const parsed = KeptFile.safeParse(json);
  if (!parsed.success) {
    const i = parsed.error.issues[0]!;
    throw new UserError(`coexist: ${file}: ${i.path.join(".") || "(top level)"}: ${i.message}; it holds the users' own forwards coexist puts back on rollback: restore it from the customer's project files`);
  }
  return new Map(Object.entries(parsed.data.users));
}

/**
 * The provider's copy: every change is written at once, whole, through a rename (a reader never
 * sees half a file, a kill loses at most the change being made). The file is small: one entry
 * per user whose own forward coexist replaced.
 */
export class KeptForwards {
  private readonly users: Map<string, KeptForward>;
  /** `file` undefined: held in memory only (an old per-user resource's one saved value). */
  private constructor(
    private readonly file: string | undefined,
    entries: Iterable<[string, KeptForward]>,
  ) {
    this.users = new Map(entries);
  }
  static of(file: string): KeptForwards {
    return new KeptForwards(file, readKeptForwards(file));
  }
  static inMemory(entries: Iterable<[string, KeptForward]>): KeptForwards {
    return new KeptForwards(undefined, entries);
  }
  get(user: string): KeptForward | undefined {
    return this.users.get(user.toLowerCase());
  }
  keep(user: string, f: KeptForward): void {
    this.users.set(user.toLowerCase(), f);
    this.write();
  }
  forget(user: string): void {
    if (this.users.delete(user.toLowerCase())) this.write();
  }
  private write(): void {
    if (!this.file) return;
    fs.mkdirSync(path.dirname(this.file), { recursive: true });
    const tmp = `${this.file}.${process.pid}.tmp`;
    const users = Object.fromEntries([...this.users].sort(([a], [b]) => a.localeCompare(b)));
    fs.writeFileSync(tmp, `${JSON.stringify({ version: 1, users }, null, 2)}\n`);
    fs.renameSync(tmp, this.file);
  }
}

/** A ForwardingAddress coexist cleared, as a kept forward (with the rest of `own`, when the mailbox had more to keep). */
export const clearedForward = (forwardingAddress: string, own?: KeptForward): KeptForward => ({
  kind: "exchange",
  forwardingSmtpAddress: null,
  deliverToMailboxAndForward: false,
  ...(own?.kind === "exchange" ? own : {}),
  forwardingAddress,
});

/** What a kept forward reads as in messages. */
export const keptText = (f: KeptForward): string =>
  f.kind === "gmail" ? `auto-forwarding to ${f.emailAddress}` : [f.forwardingAddress && `ForwardingAddress ${f.forwardingAddress}`, f.forwardingSmtpAddress && `ForwardingSmtpAddress ${f.forwardingSmtpAddress}`].filter(Boolean).join(" and ");
