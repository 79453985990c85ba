import { z } from "zod";
import * as c from "../exchange/cmdlets";
import { GSAutoForwardingObject, GSDomainAliasObject, GSDomainObject, GSForwardingAddressObject, GSUserObject } from "../exchange/cmdlets";
import { bare, domainOf } from "../exchange/addresses";
import { raise } from "./errors";
import { namedBy } from "./lookup";
import { GmailSettings, gmailForward, GoogleSource, QuotaWindow, SourceMailbox, World } from "./model";
import { Handler } from "./tenant";

/**
 * A Google Workspace source, as PSGSuite's cmdlets see it over the Gmail and Directory APIs
 * (docs/design/sources-google-and-vendor.md §1, §2, §4.1; docs/simulator.md says which texts are
 * documented and which invented). A Google user is a source mailbox with `gmail` set. Its
 * ForwardingSmtpAddress is always what auto-forwarding does in effect (the routing oracle reads
 * only that): every handler that changes Gmail settings ends in `settle`.
 */
type P<B extends { spec: { parameters: z.ZodObject } }> = z.output<B["spec"]["parameters"]>;

/** Units per call (reference/quota). updateAutoForwarding's cost is cut off in the stored excerpts: 5 assumed (design §8.1). */
const COST = {
  "forwardingAddresses.create": 100,
  "forwardingAddresses.delete": 5,
  "forwardingAddresses.get": 1,
  "forwardingAddresses.list": 1,
  getAutoForwarding: 1,
  updateAutoForwarding: 5,
} as const;

/** The cmdlets that spend Gmail quota, so their reads too change the world (the runner writes them). */
const GMAIL_CMDLETS = new Set(["Get-GSGmailAutoForwardingSettings", "Get-GSGmailForwardingAddress", "Add-GSGmailForwardingAddress", "Update-GSGmailAutoForwardingSettings", "Remove-CoexistGmailForwardingAddress"]);
export const spendsGmailQuota = (cmdlet: string): boolean => GMAIL_CMDLETS.has(cmdlet);

/** What happened that the command log should say (a verification mail); the runner takes them after each command. */
let notes: string[] = [];
export function takeGoogleNotes(): string[] {
  const taken = notes;
  notes = [];
  return taken;
}

const WINDOW_MS = 60_000;
/** The Google side's settings; a world without them has no domains and the default quota. Never changes a world read for a read. */
const google = (w: World): GoogleSource => w.source.google ?? GoogleSource.parse({ domains: [], domainAliases: [] });

/**
 * Spends `units` of a quota window, or answers 429 and spends nothing. "Per minute" is read as a
 * window of 60 s opened by the first call after the last one closed: whether Google's windows are
 * fixed or sliding is not documented (an assumption). A call the API refuses for another reason
 * spends nothing either: the change is undone with the command's (not documented; an assumption).
 */
function spend(window: QuotaWindow | undefined, units: number, limit: number, now: number, exceeded: () => never): QuotaWindow {
  const open = window && now - window.start < WINDOW_MS ? window : { start: now, units: 0 };
  if (open.units + units > limit) exceeded();
  return { start: open.start, units: open.units + units };
}

/**
 * Whether this world charges Gmail reads to its quota windows. A read costs one unit against
 * 15,000 a user and 1,200,000 a project per minute (reference/quota), and coexist reads a user's
 * settings a few times a run (under 1% of the units its writes spend), so at the documented
 * limits a read is never what a 429 turns on, while charging it costs the simulator a store write
 * per read (11,007 of them for one snapshot of 10,000 users: docs/performance.md). So reads are
 * charged only in a world whose limits were lowered (a test or a rehearsal of throttling), where
 * every unit counts; writes always are.
 */
export function chargesReads(w: World): boolean {
  const q = google(w).quota;
  return q.perUserPerMinute < 15000 || q.perProjectPerMinute < 1200000;
}

/** Charges a Gmail call to the project's and the impersonated user's windows (reference/quota); a read only where chargesReads. */
function charge(w: World, user: SourceMailbox, units: number, read = false): void {
  if (read && !chargesReads(w)) return;
  const g = google(w);
  const now = Date.now();
  // Which limit answers first when both are spent is not documented: the project's here.
  const project = spend(g.projectQuota, units, g.quota.perProjectPerMinute, now, () => raise("gmailProjectRateLimit"));
  user.gmailQuota = spend(user.gmailQuota, units, g.quota.perUserPerMinute, now, () => raise("gmailUserRateLimit"));
  w.source.google = { ...g, projectQuota: project };
}

/**
 * A user by primary address or alias. Directory users.get takes "the user's primary email
 * address, alias email address, or unique user ID"; what the Gmail API's impersonation takes is
 * not documented, so the same is assumed.
 */
function userOf(w: World, address: string, missing: () => never): SourceMailbox {
  const named = namedBy(address);
  return w.source.mailboxes.find((m) => [m.PrimarySmtpAddress, ...m.EmailAddresses].some(named)) ?? missing();
}

/**
 * The user a Gmail call impersonates. The service account's token request names the user (the
 * JWT's sub), so a user who does not exist fails there, before any Gmail call: invalid_grant,
 * "Not a valid email or Invalid email or User ID. | The user doesn't exist." (Google's
 * service-account guide, error codes). A suspended user is refused the same way (its wording is
 * not documented: assumed).
 */
function impersonated(w: World, address: string): SourceMailbox {
  const m = userOf(w, address, () => raise("gmailUserUnavailable", "Invalid email or User ID"));
  return m.suspended ? raise("gmailUserUnavailable", "Invalid email or User ID") : m;
}

const blankGmail = (): GmailSettings => ({ forwardingAddresses: [], autoForwarding: { enabled: false, emailAddress: null, disposition: null } });
const gmailOf = (m: SourceMailbox): GmailSettings => (m.gmail ??= blankGmail());

/**
 * The invariant the routing model relies on: ForwardingSmtpAddress is the address Gmail forwards
 * to in effect, which is the auto-forward's when it is on and the address accepted ("A verified
 * forwarding address must be specified when auto-forwarding is enabled", updateAutoForwarding),
 * else none. Gmail keeps its copy unless the disposition is trash.
 */
export function settle(m: SourceMailbox): void {
  const g = gmailOf(m);
  m.ForwardingSmtpAddress = gmailForward(g);
  m.ForwardingAddress = null;
  m.DeliverToMailboxAndForward = g.autoForwarding.disposition !== "trash";
}

const isSubdomainOf = (d: string, parent: string) => d === parent || d.endsWith(`.${parent}`);

/**
 * Whether Gmail accepts `address` for `user` without a verification click (guides/forwarding_settings),
 * exactly the three cases it lists: the address "belongs to the same domain as the sender",
 * "belongs to a subdomain within the same domain of the sender", or "belongs to a domain alias
 * configured as part of the same Google Workspace account". The account's other (secondary)
 * domains are not among them: a forward there is held pending, as the gate (gmailAccepts) reads it.
 */
function acceptedWithoutVerification(w: World, user: SourceMailbox, address: string): boolean {
  const d = domainOf(address);
  return isSubdomainOf(d, domainOf(user.PrimarySmtpAddress)) || google(w).domainAliases.some((a) => a.domainAliasName.toLowerCase() === d);
}

const ownAddress = (m: SourceMailbox, address: string) => [m.PrimarySmtpAddress, ...m.EmailAddresses].some(namedBy(address));

const addressOut = (user: string, f: GmailSettings["forwardingAddresses"][number]): GSForwardingAddressObject => ({
  User: user,
  ForwardingEmail: f.forwardingEmail,
  VerificationStatus: f.verificationStatus,
});
const autoForwardingOut = (user: string, g: GmailSettings): GSAutoForwardingObject => ({
  User: user,
  Enabled: g.autoForwarding.enabled,
  EmailAddress: g.autoForwarding.emailAddress,
  Disposition: g.autoForwarding.disposition,
});

/** A Directory user: its aliases in a domain alias are the non-editable ones Google makes there. */
function userOut(w: World, m: SourceMailbox): GSUserObject {
  const aliasDomains = new Set(google(w).domainAliases.map((a) => a.domainAliasName.toLowerCase()));
  const others = [...new Set(m.EmailAddresses.map(bare))].filter((a) => a.includes("@") && a !== bare(m.PrimarySmtpAddress));
  return {
    PrimaryEmail: m.PrimarySmtpAddress,
    Aliases: others.filter((a) => !aliasDomains.has(domainOf(a))),
    NonEditableAliases: others.filter((a) => aliasDomains.has(domainOf(a))),
    OrgUnitPath: "/",
    Suspended: m.suspended ?? false,
    // PSGSuite adds it to every user it returns (Get-GSUser.ps1, 3.0.0: Add-Member User), as it
    // does to Gmail settings; the runner.ps1-through-the-doubles tests compare the two.
    User: m.PrimarySmtpAddress,
  };
}

/**
 * The handlers by cmdlet. Outputs follow cmdlets/google.ts; `User` is the address given, as
 * PSGSuite adds it (`Select-Object @{N = 'User'; E = {$User}}, *`).
 */
export const googleCmdlets: Record<string, Handler> = {
  // Directory reads (their own API and quota, not Gmail's: not counted here).
  "Get-GSUser": (w, p: P<typeof c.GetGSUser>) =>
    p.User === undefined ? w.source.mailboxes.map((m) => userOut(w, m)) : [userOut(w, userOf(w, p.User, () => raise("gmailUserNotFoundDirectory")))],

  "Get-GSDomain": (w): GSDomainObject[] => google(w).domains.map((d) => ({ DomainName: d.domainName, IsPrimary: d.isPrimary, Verified: true })),

  "Get-GSDomainAlias": (w): GSDomainAliasObject[] =>
    google(w).domainAliases.map((a) => ({ DomainAliasName: a.domainAliasName, ParentDomainName: a.parentDomainName, Verified: true })),

  "Get-GSGmailAutoForwardingSettings": (w, p: P<typeof c.GetGSGmailAutoForwardingSettings>) => {
    const m = impersonated(w, p.User);
    charge(w, m, COST.getAutoForwarding, true);
    return [autoForwardingOut(p.User, gmailOf(m))];
  },

  // With -ForwardingAddress PSGSuite gets each (forwardingAddresses.get, one call apiece), else lists them.
  // A user with none lists nothing (what PSGSuite's -ExpandProperty does with an empty list is not verified).
  "Get-GSGmailForwardingAddress": (w, p: P<typeof c.GetGSGmailForwardingAddress>) => {
    const m = impersonated(w, p.User);
    const g = gmailOf(m);
    if (p.ForwardingAddress === undefined) {
      charge(w, m, COST["forwardingAddresses.list"], true);
      return g.forwardingAddresses.map((f) => addressOut(p.User, f));
    }
    charge(w, m, COST["forwardingAddresses.get"] * p.ForwardingAddress.length, true);
    return p.ForwardingAddress.map((a) => addressOut(p.User, g.forwardingAddresses.find((f) => bare(f.forwardingEmail) === bare(a)) ?? raise("gmailNotFound")));
  },

  /**
   * forwardingAddresses.create: "If ownership verification is required, a message will be sent to
   * the recipient and the resource's verification status will be set to pending; otherwise ...
   * accepted." The user's own address is refused (OfficeDocs-Exchange#2363 saw the 400 on this
   * call's URI). A second create of the same address: 409 duplicate (unverified, design §8.2).
   */
  "Add-GSGmailForwardingAddress": (w, p: P<typeof c.AddGSGmailForwardingAddress>) => {
    const m = impersonated(w, p.User);
    charge(w, m, COST["forwardingAddresses.create"]);
    const g = gmailOf(m);
    const address = bare(p.ForwardingAddress[0]!);
    if (ownAddress(m, address)) raise("gmailForwardingNotAllowed");
    if (g.forwardingAddresses.some((f) => bare(f.forwardingEmail) === address)) raise("gmailDuplicate");
    const f = { forwardingEmail: address, verificationStatus: acceptedWithoutVerification(w, m, address) ? ("accepted" as const) : ("pending" as const) };
    if (f.verificationStatus === "pending") notes.push(`verification mail sent to ${address}`);
    g.forwardingAddresses.push(f);
    settle(m);
    return [addressOut(p.User, f)];
  },

  /**
   * updateAutoForwarding, a PUT of the setting with only the parameters PSGSuite bound: "A
   * verified forwarding address must be specified when auto-forwarding is enabled". Enabling to a
   * pending or unknown address: failedPrecondition (GAM#799); with no address at all, the same
   * (assumed). To the user's own address: "not allowed" (OfficeDocs-Exchange#2363). While the
   * admin forbids users to forward ("If your organization has disabled a user's ability to set a
   * forwarding address", Microsoft's Google Workspace migration page): a 403 whose text is
   * invented. Parameters not given keep their value, so -Enabled:$false keeps the address
   * (design §4.1: a judgment; a PUT may clear it).
   */
  "Update-GSGmailAutoForwardingSettings": (w, p: P<typeof c.UpdateGSGmailAutoForwardingSettings>) => {
    const m = impersonated(w, p.User);
    charge(w, m, COST.updateAutoForwarding);
    const g = gmailOf(m);
    const emailAddress = p.EmailAddress !== undefined ? bare(p.EmailAddress) : g.autoForwarding.emailAddress;
    if (p.Enabled) {
      if (!google(w).userForwardingAllowed) raise("gmailForwardingDisabled");
      if (emailAddress !== null && ownAddress(m, emailAddress)) raise("gmailForwardingNotAllowed");
      const known = emailAddress !== null && g.forwardingAddresses.find((f) => bare(f.forwardingEmail) === emailAddress);
      if (!known || known.verificationStatus !== "accepted") raise("gmailInvalidForwarding");
    }
    g.autoForwarding = { enabled: p.Enabled, emailAddress, disposition: p.Disposition ?? g.autoForwarding.disposition };
    settle(m);
    return [autoForwardingOut(p.User, g)];
  },

  /**
   * forwardingAddresses.delete ("Deletes the specified forwarding address and revokes any
   * verification that may have been required"), through runner/CoexistGoogle.psm1, which
   * outputs nothing. The address an enabled auto-forward uses is refused (failedPrecondition,
   * unverified: it keeps coexist's disable-then-delete order honest); a disabled forward keeps
   * its address, which then names no forwarding address. An absent address: Not Found [404]
   * (unverified).
   */
  "Remove-CoexistGmailForwardingAddress": (w, p: P<typeof c.RemoveCoexistGmailForwardingAddress>) => {
    const m = impersonated(w, p.User);
    charge(w, m, COST["forwardingAddresses.delete"]);
    const g = gmailOf(m);
    const address = bare(p.ForwardingAddress);
    if (!g.forwardingAddresses.some((f) => bare(f.forwardingEmail) === address)) raise("gmailNotFound");
    if (g.autoForwarding.enabled && g.autoForwarding.emailAddress !== null && bare(g.autoForwarding.emailAddress) === address) raise("gmailAddressInUse");
    g.forwardingAddresses = g.forwardingAddresses.filter((f) => bare(f.forwardingEmail) !== address);
    settle(m);
    return [];
  },
};
