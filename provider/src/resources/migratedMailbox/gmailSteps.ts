import {
  AddGSGmailForwardingAddress,
  GetGSGmailForwardingAddress,
  GSForwardingAddressObject,
  RemoveCoexistGmailForwardingAddress,
  UpdateGSGmailAutoForwardingSettings,
} from "../../exchange/cmdlets";
import { bare } from "../../exchange/addresses";
import { isAlreadyExists, isNotFound, isUserUnavailable } from "../../exchange/errors";
import { UserError } from "../../host/quietErrors";
import { SessionPool } from "../../pool/sessionPool";
import type { GmailDisposition } from "../../exchange/cmdlets";

/**
 * A Gmail user's source steps (docs/design/sources-google-and-vendor.md §3.4): migrate adds the
 * routing address as a forwarding address, then turns auto-forwarding on to it ("A verified
 * forwarding address must be specified when auto-forwarding is enabled",
 * users.settings.updateAutoForwarding); rollback turns auto-forwarding off, then deletes the
 * address. The caller runs them between the membership steps, as for an Exchange source.
 */
export interface GmailUser {
  emailAddress: string;
  sourceIdentity?: string | undefined;
  forwardTo: string;
  disposition?: GmailDisposition | undefined;
  /** coexist:google.removeForwardingAddress false: a rollback leaves the address. */
  keepForwardingAddress?: true | undefined;
}

const userOf = (u: GmailUser) => u.sourceIdentity ?? u.emailAddress;
/** archive unless set: a rollback must find the mail (coexist:google.disposition). */
const dispositionOf = (u: GmailUser): GmailDisposition => u.disposition ?? "archive";

export const addForwardingAddress = (u: GmailUser) => AddGSGmailForwardingAddress({ User: userOf(u), ForwardingAddress: [u.forwardTo] });
export const autoForwardingOn = (u: GmailUser) => UpdateGSGmailAutoForwardingSettings({ User: userOf(u), Enabled: true, EmailAddress: u.forwardTo, Disposition: dispositionOf(u) });
export const autoForwardingOff = (u: GmailUser) => UpdateGSGmailAutoForwardingSettings({ User: userOf(u), Enabled: false });
/** The user's own auto-forward coexist replaced, back as it was (resources/migratedMailboxes/keptForwards.ts). */
export const autoForwardingBack = (u: GmailUser, kept: { emailAddress: string; disposition: GmailDisposition }) =>
  UpdateGSGmailAutoForwardingSettings({ User: userOf(u), Enabled: true, EmailAddress: kept.emailAddress, Disposition: kept.disposition });
export const removeForwardingAddress = (u: GmailUser, address = u.forwardTo) => RemoveCoexistGmailForwardingAddress({ User: userOf(u), ForwardingAddress: address });

/** What a pending address means and how to get out of it: never silent (issue 15). */
export function pendingError(u: GmailUser, when: "create" | "read"): UserError {
  const what =
    when === "create"
      ? `Gmail holds ${u.forwardTo} as a pending forwarding address (it sent a verification mail there), so auto-forwarding was not turned on; the user is out of the coexistence rule's reach and not forwarded, which is safe`
      : `Gmail reports ${u.forwardTo} as pending verification, so auto-forwarding to it cannot be in effect and the user's mail stays in Gmail`;
  return new UserError(
    `MigratedMailboxes ${u.emailAddress}: ${what}. Gmail accepts a forwarding address without verification only in the user's own domain, a subdomain of it or a domain alias of the account: ` +
      `forward to a routing subdomain of the shared domain (coexist:routingTemplate '{alias}@o365.{domain}', the subdomain an accepted domain of the tenant with its MX at Exchange Online), or have the verification mail's link clicked, then run \`pulumi up\` again`,
  );
}

/**
 * Turns the forward on: the address first, read before it is added, then auto-forwarding. What
 * users.settings.forwardingAddresses.create answers for an address the user already has is not
 * documented (a 409 is only reported), so the address is looked up first and added only when it
 * is missing; an "already exists" answer still counts as done (a concurrent or interrupted run).
 */
export async function forwardOn(pool: SessionPool, u: GmailUser): Promise<void> {
  let status = (await forwardingAddress(pool, u))?.VerificationStatus;
  if (status === undefined) {
    try {
      const out = (await pool.run(addForwardingAddress(u))) as Partial<GSForwardingAddressObject>[];
      status = out[0]?.VerificationStatus;
    } catch (e) {
      if (!isAlreadyExists(e)) throw e;
    }
    // Re-read when the create said nothing (it existed after all, or its answer had no status).
    status ??= (await forwardingAddress(pool, u))?.VerificationStatus;
  }
  if (status !== "accepted") throw pendingError(u, "create");
  await pool.run(autoForwardingOn(u));
}

/**
 * Turns the forward off (or back to the user's own, `kept`), then deletes the address (unless
 * told to keep it). A user gone forwards nothing.
 */
export async function forwardOff(pool: SessionPool, u: GmailUser, kept?: { emailAddress: string; disposition: GmailDisposition }): Promise<void> {
  try {
    await pool.run(kept ? autoForwardingBack(u, kept) : autoForwardingOff(u));
  } catch (e) {
    // Gone, or deleted or suspended (Google refuses to impersonate them): Gmail forwards nothing for them.
    if (!isNotFound(e) && !isUserUnavailable(e)) throw e;
    return;
  }
  if (!u.keepForwardingAddress) await removeAddress(pool, u, u.forwardTo);
}

/** Deletes one forwarding address; one already gone is done. */
export async function removeAddress(pool: SessionPool, u: GmailUser, address: string): Promise<void> {
  try {
    await pool.run(removeForwardingAddress(u, address));
  } catch (e) {
    if (!isNotFound(e) && !isUserUnavailable(e)) throw e;
  }
}

async function forwardingAddress(pool: SessionPool, u: GmailUser): Promise<GSForwardingAddressObject | undefined> {
  try {
    const out = (await pool.run(GetGSGmailForwardingAddress({ User: userOf(u), ForwardingAddress: [u.forwardTo] }))) as GSForwardingAddressObject[];
    return out.find((a) => bare(a.ForwardingEmail) === bare(u.forwardTo));
  } catch (e) {
    if (isNotFound(e)) return undefined;
    throw e;
  }
}
