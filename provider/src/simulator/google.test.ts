import * as c from "../exchange/cmdlets";
import { GSAutoForwardingObject, GSDomainAliasObject, GSDomainObject, GSForwardingAddressObject, GSUserObject, validateCommand } from "../exchange/cmdlets";
import { Command } from "../exchange/command";
import { Faults } from "../exchange/targets";
import { ExchangeError } from "../exchange/errors";
import { googleCmdlets, takeGoogleNotes } from "./google";
import { World } from "./model";
import { initialWorld } from "./scenario";
import { closeTestPools, commandLog, freshWorld, readWorld, simTarget, testPool } from "../testing/simulator";
import { WorldStore } from "./store";

/*
 * The simulated Google Workspace source against the Gmail API reference and guides
 * (docs/design/sources-google-and-vendor.md §2, §4.1): commands go through the cmdlet schemas
 * as the simulator runner sends them, on a world `rehearse init` builds for a Google source.
 */

const google = { domain: "contoso.com", organization: "contoso.onmicrosoft.com", users: ["alice", "bob"], sourceKind: "google-workspace" as const };
const world = (): World => initialWorld(google);

function run(w: World, command: Command): object[] {
  const { command: valid } = validateCommand(command, "google");
  const output = googleCmdlets[valid.cmdlet]!(w, valid.parameters as never);
  expectInEffect(w);
  return output;
}

function failure(w: World, command: Command): ExchangeError {
  try {
    run(w, command);
  } catch (e) {
    if (e instanceof ExchangeError) {
      expectInEffect(w);
      return e;
    }
    throw e;
  }
  throw new Error(`expected ${command.cmdlet} to fail`);
}

/** The invariant the routing oracle relies on, worked out here from the Gmail settings alone. */
function expectInEffect(w: World): void {
  for (const m of w.source.mailboxes) {
    const g = m.gmail!;
    const a = g.autoForwarding;
    const accepted = g.forwardingAddresses.some((f) => f.forwardingEmail === a.emailAddress && f.verificationStatus === "accepted");
    expect({ user: m.PrimarySmtpAddress, ForwardingSmtpAddress: m.ForwardingSmtpAddress, ForwardingAddress: m.ForwardingAddress, DeliverToMailboxAndForward: m.DeliverToMailboxAndForward }).toEqual({
      user: m.PrimarySmtpAddress,
      ForwardingSmtpAddress: a.enabled && accepted ? a.emailAddress : null,
      ForwardingAddress: null,
      DeliverToMailboxAndForward: a.disposition !== "trash",
    });
  }
}

const alice = (w: World) => w.source.mailboxes.find((m) => m.PrimarySmtpAddress === "alice@contoso.com")!;
const add = (address: string, User = "alice@contoso.com") => c.AddGSGmailForwardingAddress({ User, ForwardingAddress: [address] });
const update = (p: { Enabled: boolean; EmailAddress?: string; Disposition?: "archive" | "trash" | "leaveInInbox" | "markRead" }, User = "alice@contoso.com") =>
  c.UpdateGSGmailAutoForwardingSettings({ User, ...p });
const remove = (address: string, User = "alice@contoso.com") => c.RemoveCoexistGmailForwardingAddress({ User, ForwardingAddress: address });

/** The error as the Google .NET client words it: message and code, then the Errors block. */
/** As a runner answers it: on one line (runner.ps1's ConvertTo-SingleLine, the simulator runner's singleLine). */
const oneLine = (text: string): string => text.replace(/\s*[\r\n]+\s*/g, " ").trim();
const gapi = (message: string, code: number, reason: string, domain = "global") =>
  `Google.Apis.Requests.RequestError\r\n${message} [${code}]\r\nErrors [ Message[${message}] Location[ - ] Reason[${reason}] Domain[${domain}] ]`;

beforeEach(() => void takeGoogleNotes());

describe("forwarding addresses: accepted without verification, or pending (guides/forwarding_settings)", () => {
  test.each([
    ["the user's own domain", "bob@contoso.com"],
    ["a subdomain of the user's domain", "alice@o365.contoso.com"],
    ["a domain alias of the Workspace account", "alice@contoso-alias.example"],
  ])("an address in %s is accepted at once", (_what, address) => {
    const w = world();
    w.source.google!.domainAliases.push({ domainAliasName: "contoso-alias.example", parentDomainName: "contoso.com" });
    w.source.google!.domains.push({ domainName: "fabrikam.example", isPrimary: false });
    expect(run(w, add(address)).map((o) => GSForwardingAddressObject.parse(o))).toEqual([{ User: "alice@contoso.com", ForwardingEmail: address, VerificationStatus: "accepted" }]);
    expect(takeGoogleNotes()).toEqual([]);
  });

  test("an address in another (secondary) domain of the account is pending: the admin guide lists only the user's domain, its subdomains and domain aliases", () => {
    const w = world();
    w.source.google!.domains.push({ domainName: "fabrikam.example", isPrimary: false });
    expect(run(w, add("alice@fabrikam.example"))).toEqual([{ User: "alice@contoso.com", ForwardingEmail: "alice@fabrikam.example", VerificationStatus: "pending" }]);
    expect(takeGoogleNotes()).toEqual(["verification mail sent to alice@fabrikam.example"]);
  });

  test("an address anywhere else is pending, and the command log says a verification mail went out", () => {
    const w = world();
    expect(run(w, add("alice@contoso.onmicrosoft.com"))).toEqual([{ User: "alice@contoso.com", ForwardingEmail: "alice@contoso.onmicrosoft.com", VerificationStatus: "pending" }]);
    expect(takeGoogleNotes()).toEqual(["verification mail sent to alice@contoso.onmicrosoft.com"]);
    // A lookalike of the user's domain is no subdomain of it.
    expect(run(w, add("alice@notcontoso.com"))).toEqual([expect.objectContaining({ VerificationStatus: "pending" })]);
  });

  test("a second add of the same address is refused as a duplicate (409, unverified)", () => {
    const w = world();
    run(w, add("alice@o365.contoso.com"));
    const e = failure(w, add("Alice@O365.contoso.com"));
    expect({ kind: e.kind, message: e.message }).toEqual({ kind: "already-exists", message: gapi("Already exists", 409, "duplicate") });
    expect(alice(w).gmail!.forwardingAddresses).toHaveLength(1);
  });

  test("the user's own address is not allowed (OfficeDocs-Exchange#2363)", () => {
    const w = world();
    alice(w).EmailAddresses.push("smtp:ali@contoso.com");
    for (const own of ["alice@contoso.com", "ali@contoso.com"]) {
      const e = failure(w, add(own));
      expect({ kind: e.kind, message: e.message }).toEqual({ kind: "invalid-parameter", message: gapi("The requested forwarding address is not allowed.", 400, "badRequest") });
    }
  });

  test("lists a user's addresses, or gets the ones named; an address the user has not is Not Found", () => {
    const w = world();
    run(w, add("alice@o365.contoso.com"));
    run(w, add("alice@contoso.onmicrosoft.com"));
    expect(run(w, c.GetGSGmailForwardingAddress({ User: "alice@contoso.com" })).map((o) => GSForwardingAddressObject.parse(o).VerificationStatus)).toEqual(["accepted", "pending"]);
    expect(run(w, c.GetGSGmailForwardingAddress({ User: "alice@contoso.com", ForwardingAddress: ["alice@contoso.onmicrosoft.com"] }))).toEqual([
      { User: "alice@contoso.com", ForwardingEmail: "alice@contoso.onmicrosoft.com", VerificationStatus: "pending" },
    ]);
    expect(run(w, c.GetGSGmailForwardingAddress({ User: "bob@contoso.com" }))).toEqual([]);
    expect(failure(w, c.GetGSGmailForwardingAddress({ User: "bob@contoso.com", ForwardingAddress: ["x@o365.contoso.com"] })).kind).toBe("not-found");
  });
});

describe("auto-forwarding (users.settings.updateAutoForwarding)", () => {
  test("enabling to an accepted address forwards, and the source mailbox says so", () => {
    const w = world();
    run(w, add("alice@o365.contoso.com"));
    expect(run(w, update({ Enabled: true, EmailAddress: "alice@o365.contoso.com", Disposition: "archive" })).map((o) => GSAutoForwardingObject.parse(o))).toEqual([
      { User: "alice@contoso.com", Enabled: true, EmailAddress: "alice@o365.contoso.com", Disposition: "archive" },
    ]);
    expect(alice(w)).toMatchObject({ ForwardingSmtpAddress: "alice@o365.contoso.com", DeliverToMailboxAndForward: true });
    expect(run(w, c.GetGSGmailAutoForwardingSettings({ User: "alice@contoso.com" }))).toEqual([{ User: "alice@contoso.com", Enabled: true, EmailAddress: "alice@o365.contoso.com", Disposition: "archive" }]);
    // Trash keeps no copy at the source.
    run(w, update({ Enabled: true, Disposition: "trash" }));
    expect(alice(w)).toMatchObject({ ForwardingSmtpAddress: "alice@o365.contoso.com", DeliverToMailboxAndForward: false });
  });

  test("enabling to a pending address, to an address never added, or to none fails: failedPrecondition (GAM#799)", () => {
    const w = world();
    run(w, add("alice@contoso.onmicrosoft.com"));
    for (const p of [{ Enabled: true, EmailAddress: "alice@contoso.onmicrosoft.com" }, { Enabled: true, EmailAddress: "alice@o365.contoso.com" }, { Enabled: true }]) {
      const e = failure(w, update(p));
      expect({ kind: e.kind, message: e.message }).toEqual({ kind: "invalid-parameter", message: gapi("Invalid forwarding address", 400, "failedPrecondition") });
    }
    expect(alice(w).gmail!.autoForwarding).toEqual({ enabled: false, emailAddress: null, disposition: null });
  });

  test("enabling to the user's own address is not allowed", () => {
    const w = world();
    expect(failure(w, update({ Enabled: true, EmailAddress: "alice@contoso.com" })).message).toBe(gapi("The requested forwarding address is not allowed.", 400, "badRequest"));
  });

  test("with users' forwarding disabled by the admin, enabling is forbidden (403, an invented text)", () => {
    const w = world();
    run(w, add("alice@o365.contoso.com"));
    w.source.google!.userForwardingAllowed = false;
    const e = failure(w, update({ Enabled: true, EmailAddress: "alice@o365.contoso.com" }));
    expect({ kind: e.kind, message: e.message }).toEqual({ kind: "auth", message: gapi("Forwarding is disabled by the administrator", 403, "forbidden") });
    // Turning it off is still allowed.
    run(w, update({ Enabled: false }));
  });

  test("disabling keeps the address and the disposition, and forwards nothing", () => {
    const w = world();
    run(w, add("alice@o365.contoso.com"));
    run(w, update({ Enabled: true, EmailAddress: "alice@o365.contoso.com", Disposition: "archive" }));
    expect(run(w, update({ Enabled: false }))).toEqual([{ User: "alice@contoso.com", Enabled: false, EmailAddress: "alice@o365.contoso.com", Disposition: "archive" }]);
    expect(alice(w).ForwardingSmtpAddress).toBeNull();
  });
});

describe("removing a forwarding address (forwardingAddresses.delete)", () => {
  test("the address an enabled auto-forward uses is refused; once disabled it goes", () => {
    const w = world();
    run(w, add("alice@o365.contoso.com"));
    run(w, update({ Enabled: true, EmailAddress: "alice@o365.contoso.com" }));
    const e = failure(w, remove("alice@o365.contoso.com"));
    expect({ kind: e.kind, message: e.message }).toEqual({ kind: "invalid-parameter", message: gapi("The forwarding address is used by auto-forwarding", 400, "failedPrecondition") });
    expect(alice(w).ForwardingSmtpAddress).toBe("alice@o365.contoso.com");
    run(w, update({ Enabled: false }));
    expect(run(w, remove("alice@o365.contoso.com"))).toEqual([]);
    expect(alice(w).gmail!.forwardingAddresses).toEqual([]);
  });

  test("an address the user has not is Not Found, which coexist counts as done", () => {
    const e = failure(world(), remove("alice@o365.contoso.com"));
    expect({ kind: e.kind, message: e.message }).toEqual({ kind: "not-found", message: gapi("Not Found", 404, "notFound") });
  });

  test("a disabled forward whose address was removed cannot be enabled again without a new address", () => {
    const w = world();
    run(w, add("alice@o365.contoso.com"));
    alice(w).gmail!.autoForwarding = { enabled: false, emailAddress: "alice@o365.contoso.com", disposition: null };
    run(w, remove("alice@o365.contoso.com"));
    expect(failure(w, update({ Enabled: true })).kind).toBe("invalid-parameter");
  });
});

describe("users and domains (Directory API)", () => {
  test("Get-GSUser lists every user, its aliases in a domain alias non-editable; one by alias; an unknown one is Not Found", () => {
    const w = world();
    w.source.google!.domainAliases.push({ domainAliasName: "contoso-alias.example", parentDomainName: "contoso.com" });
    alice(w).EmailAddresses.push("smtp:ali@contoso.com", "smtp:alice@contoso-alias.example");
    expect(run(w, c.GetGSUser({ Filter: "*" })).map((o) => GSUserObject.parse(o))).toEqual([
      { PrimaryEmail: "alice@contoso.com", Aliases: ["ali@contoso.com"], NonEditableAliases: ["alice@contoso-alias.example"], OrgUnitPath: "/", Suspended: false, User: "alice@contoso.com" },
      { PrimaryEmail: "bob@contoso.com", Aliases: [], NonEditableAliases: [], OrgUnitPath: "/", Suspended: false, User: "bob@contoso.com" },
    ]);
    expect(run(w, c.GetGSUser({ User: "ali@contoso.com" }))).toEqual([expect.objectContaining({ PrimaryEmail: "alice@contoso.com" })]);
    expect(failure(w, c.GetGSUser({ User: "ghost@contoso.com" })).message).toBe(gapi("Resource Not Found: userKey", 404, "notFound"));
    expect(run(w, c.GetGSDomain({})).map((o) => GSDomainObject.parse(o))).toEqual([{ DomainName: "contoso.com", IsPrimary: true, Verified: true }]);
    expect(run(w, c.GetGSDomainAlias({})).map((o) => GSDomainAliasObject.parse(o))).toEqual([{ DomainAliasName: "contoso-alias.example", ParentDomainName: "contoso.com", Verified: true }]);
  });

  // The token request impersonating the user fails before any Gmail call: "invalid_grant | Not a
  // valid email or Invalid email or User ID. | The user doesn't exist." (Google's service-account
  // guide, error codes), in the .NET client's TokenResponseException wording.
  const unavailable = { kind: "user-unavailable", reason: "TokenResponseException", message: 'Error:"invalid_grant", Description:"Invalid email or User ID", Uri:""' };

  test("a Gmail call impersonating a user who does not exist fails its token request: user-unavailable, not auth or not-found", () => {
    for (const command of [add("x@contoso.com", "ghost@contoso.com"), update({ Enabled: false }, "ghost@contoso.com"), c.GetGSGmailAutoForwardingSettings({ User: "ghost@contoso.com" }), remove("x@contoso.com", "ghost@contoso.com")]) {
      const e = failure(world(), command);
      expect({ kind: e.kind, reason: e.reason, message: e.message }).toEqual(unavailable);
    }
  });

  test("a suspended user is listed by the directory as suspended, and no Gmail call can impersonate it", () => {
    const w = world();
    w.source.mailboxes.find((m) => m.Alias === "bob")!.suspended = true;
    expect(run(w, c.GetGSUser({ Filter: "*" })).map((o) => [GSUserObject.parse(o).PrimaryEmail, GSUserObject.parse(o).Suspended])).toEqual([
      ["alice@contoso.com", false],
      ["bob@contoso.com", true],
    ]);
    for (const command of [c.GetGSGmailAutoForwardingSettings({ User: "bob@contoso.com" }), c.GetGSGmailForwardingAddress({ User: "bob@contoso.com" }), add("x@o365.contoso.com", "bob@contoso.com")]) {
      const e = failure(w, command);
      expect({ kind: e.kind, reason: e.reason, message: e.message }).toEqual(unavailable);
    }
    expect(run(w, c.GetGSGmailAutoForwardingSettings({ User: "alice@contoso.com" }))).toHaveLength(1);
  });
});

describe("quota windows (reference/quota: units per user and per project per minute)", () => {
  let now = Date.parse("2026-12-02T06:00:00Z");
  beforeEach(() => jest.spyOn(Date, "now").mockImplementation(() => now));
  afterEach(() => jest.restoreAllMocks());

  test("a user past their units per minute gets 429 userRateLimitExceeded, and is served again a minute later", () => {
    const w = world();
    w.source.google!.quota = { perUserPerMinute: 210, perProjectPerMinute: 1_200_000 };
    run(w, add("a@o365.contoso.com")); // 100
    run(w, add("b@o365.contoso.com")); // 200
    const e = failure(w, add("c@o365.contoso.com"));
    expect({ kind: e.kind, message: e.message }).toEqual({ kind: "throttled", message: gapi("User-rate limit exceeded", 429, "userRateLimitExceeded", "usageLimits") });
    // What is left still serves cheaper calls (get 1, update 5), and another user has their own window.
    run(w, c.GetGSGmailAutoForwardingSettings({ User: "alice@contoso.com" }));
    run(w, update({ Enabled: true, EmailAddress: "a@o365.contoso.com" }));
    run(w, add("c@o365.contoso.com", "bob@contoso.com"));
    now += 59_000;
    expect(failure(w, add("c@o365.contoso.com")).kind).toBe("throttled");
    now += 1_000;
    expect(run(w, add("c@o365.contoso.com"))).toEqual([expect.objectContaining({ ForwardingEmail: "c@o365.contoso.com" })]);
  });

  test("the project past its units per minute gets 429 rateLimitExceeded, whoever asks", () => {
    const w = world();
    w.source.google!.quota = { perUserPerMinute: 15_000, perProjectPerMinute: 150 };
    run(w, add("a@o365.contoso.com", "alice@contoso.com"));
    const e = failure(w, add("b@o365.contoso.com", "bob@contoso.com"));
    expect({ kind: e.kind, message: e.message }).toEqual({ kind: "throttled", message: gapi("Rate Limit Exceeded", 429, "rateLimitExceeded", "usageLimits") });
    now += 60_000;
    run(w, add("b@o365.contoso.com", "bob@contoso.com"));
  });

  test("the Directory reads spend no Gmail quota", () => {
    const w = world();
    w.source.google!.quota = { perUserPerMinute: 1, perProjectPerMinute: 1 };
    for (let i = 0; i < 3; i++) run(w, c.GetGSUser({ Filter: "*" }));
    run(w, c.GetGSGmailAutoForwardingSettings({ User: "alice@contoso.com" }));
    expect(failure(w, c.GetGSGmailAutoForwardingSettings({ User: "alice@contoso.com" })).kind).toBe("throttled");
  });
});

describe("a google session through the simulator runner", () => {
  afterEach(closeTestPools);

  test("the quota is the world's, shared by every runner process; a pending add is logged as a verification mail", async () => {
    const { stateFile, store } = freshWorld(google);
    store.update((w) => void (w.source.google!.quota = { perUserPerMinute: 250, perProjectPerMinute: 1_200_000 }));
    const target = simTarget(stateFile, { imitates: "google-workspace" });
    const first = testPool("google", target, { retry: { attempts: 1, baseMs: 1, maxMs: 1 } });
    const second = testPool("google", target, { retry: { attempts: 1, baseMs: 1, maxMs: 1 } });
    await first.run(add("alice@contoso.onmicrosoft.com"));
    await second.run(add("alice@o365.contoso.com"));
    await expect(first.run(add("alice@o365b.contoso.com"))).rejects.toMatchObject({ kind: "throttled" });
    expect(readWorld(stateFile).source.mailboxes[0]!.gmailQuota).toMatchObject({ units: 200 });
    expect(commandLog(stateFile).find((l) => l.cmdlet === "Add-GSGmailForwardingAddress" && l.ok)).toMatchObject({ notes: ["verification mail sent to alice@contoso.onmicrosoft.com"] });
  });

  test("the target's faults and throttle answer in Google's words: backendError [500], userRateLimitExceeded [429]", async () => {
    const { stateFile } = freshWorld(google);
    // Limits lowered, so that reads are charged too (chargesReads).
    new WorldStore(stateFile).update((w) => void (w.source.google!.quota = { perUserPerMinute: 1000, perProjectPerMinute: 1_200_000 }));
    const once = { retry: { attempts: 1, baseMs: 1, maxMs: 1 } };
    const read = c.GetGSGmailAutoForwardingSettings({ User: "alice@contoso.com" });
    const transient = testPool("google", simTarget(stateFile, { imitates: "google-workspace", faults: Faults.parse({ transientRate: 1 }) }), once);
    await expect(transient.run(read)).rejects.toMatchObject({ kind: "transient", message: expect.stringContaining(oneLine(gapi("Backend Error", 500, "backendError"))) });
    const budget = testPool("google", simTarget(stateFile, { imitates: "google-workspace", throttle: { budget: 1, windowMs: 60_000 } }), once);
    await budget.run(read);
    await expect(budget.run(read)).rejects.toMatchObject({ kind: "throttled", message: expect.stringContaining("Reason[userRateLimitExceeded]") });
    // Nothing was applied by the refused calls: one unit of Gmail quota spent, by the one call answered.
    expect(readWorld(stateFile).source.google!.projectQuota).toMatchObject({ units: 1 });
  });

  test("at Google's documented limits a Gmail read is answered without writing the world; a write is charged", async () => {
    const { stateFile } = freshWorld(google);
    const pool = testPool("google", simTarget(stateFile, { imitates: "google-workspace" }), { retry: { attempts: 1, baseMs: 1, maxMs: 1 } });
    for (let i = 0; i < 5; i++) await pool.run(c.GetGSGmailAutoForwardingSettings({ User: "alice@contoso.com" }));
    // Nothing charged: neither the project's window nor the user's was opened.
    expect(readWorld(stateFile).source.google?.projectQuota).toBeUndefined();
    expect(readWorld(stateFile).source.mailboxes[0]!.gmailQuota).toBeUndefined();
    await pool.run(c.AddGSGmailForwardingAddress({ User: "alice@contoso.com", ForwardingAddress: ["alice@o365.contoso.com"] }));
    expect(readWorld(stateFile).source.mailboxes[0]!.gmailQuota).toMatchObject({ units: 100 });
  });

  test("a google session refuses a world whose source is not Google's", async () => {
    const { stateFile } = freshWorld();
    const pool = testPool("google", simTarget(stateFile, { imitates: "google-workspace" }), { retry: { attempts: 1, baseMs: 1, maxMs: 1 } });
    await expect(pool.run(c.GetGSDomain({}))).rejects.toThrow("the world's source is exchange-onprem, and a google session needs google-workspace");
  });
});
