import type { SourceMailbox } from "../../simulator/model";
import { applyStep, stepsFor, UserSettings, type PlannedUser, type UserState } from "./userPlan";

const settings = (extra: Partial<UserSettings> = {}): UserSettings => ({ domain: "contoso.com", group: "migrated@contoso.com", deliverToMailboxAndForward: false, clearForwardingAddress: false, ...extra });
const mailbox = (extra: Partial<SourceMailbox> = {}): SourceMailbox => ({
  Guid: "g",
  Name: "alice",
  Alias: "alice",
  PrimarySmtpAddress: "alice@contoso.com",
  EmailAddresses: ["SMTP:alice@contoso.com"],
  ForwardingSmtpAddress: null,
  ForwardingAddress: null,
  DeliverToMailboxAndForward: false,
  ...extra,
});
const alice = (action: PlannedUser["action"] = "migrate", extra: Partial<PlannedUser> = {}): PlannedUser => ({ emailAddress: "alice@contoso.com", forwardTo: "alice@contoso.onmicrosoft.com", action, ...extra });
const forwarded = mailbox({ ForwardingSmtpAddress: "alice@contoso.onmicrosoft.com" });

describe("a user's plan, from what is live", () => {
  it("migrates in the loop-free order: out of the rule's reach, then the forward", () => {
    expect(stepsFor(settings(), alice(), { member: false, mailbox: mailbox(), tenantHoldsAddress: false })).toEqual(["takeOver", "forward"]);
    expect(stepsFor(settings({ routing: "pendingGroup" }), alice(), { member: true, mailbox: mailbox(), tenantHoldsAddress: false })).toEqual(["takeOver", "forward"]);
  });

  it("gives a routing subdomain address to the tenant mailbox before the forward, and only once", () => {
    const sub = alice("migrate", { forwardTo: "alice@o365.contoso.com" });
    expect(stepsFor(settings(), sub, { member: false, mailbox: mailbox(), tenantHoldsAddress: false })).toEqual(["takeOver", "addAddress", "forward"]);
    expect(stepsFor(settings(), sub, { member: true, mailbox: mailbox({ ForwardingSmtpAddress: "alice@o365.contoso.com" }), tenantHoldsAddress: true })).toEqual([]);
  });

  it("plans nothing for a converged user, and only what a hand edit or a killed run undid", () => {
    expect(stepsFor(settings(), alice(), { member: true, mailbox: forwarded, tenantHoldsAddress: false })).toEqual([]);
    expect(stepsFor(settings(), alice(), { member: false, mailbox: forwarded, tenantHoldsAddress: false })).toEqual(["takeOver"]);
    expect(stepsFor(settings(), alice(), { member: true, mailbox: mailbox(), tenantHoldsAddress: false })).toEqual(["forward"]);
    expect(stepsFor(settings({ deliverToMailboxAndForward: true }), alice(), { member: true, mailbox: forwarded, tenantHoldsAddress: false })).toEqual(["forward"]);
  });

  it("rolls back with the forward off first, then the membership, and repairs a rolled-back user forwarded again", () => {
    expect(stepsFor(settings(), alice("rollback"), { member: true, mailbox: forwarded, tenantHoldsAddress: false })).toEqual(["unforward", "handBack"]);
    // A killed run's join, never forwarded: only the membership goes back.
    expect(stepsFor(settings(), alice("rollback"), { member: true, mailbox: mailbox(), tenantHoldsAddress: false })).toEqual(["handBack"]);
    // Rolled back already, then forwarded again by hand: the forward goes.
    expect(stepsFor(settings(), alice("rollback"), { member: false, mailbox: forwarded, tenantHoldsAddress: false })).toEqual(["unforward"]);
  });

  it("leaves the owner's own forward (to a colleague, outside) alone in a rollback", () => {
    expect(stepsFor(settings(), alice("rollback"), { member: false, mailbox: mailbox({ ForwardingSmtpAddress: "alice@fabrikam.example" }), tenantHoldsAddress: false })).toEqual([]);
  });

  it("keeps a vendor user's membership until the vendor confirms the removal", () => {
    const s = settings({ source: "vendor" });
    expect(stepsFor(s, alice("wait"), { member: true, mailbox: forwarded, tenantHoldsAddress: false })).toEqual(["vendorRemove"]);
    const asked = mailbox({ unconfirmed: { was: "alice@contoso.onmicrosoft.com", vendor: "HostCo", requested: "2026-12-07T00:00:00Z" } });
    expect(stepsFor(s, alice("rollback"), { member: true, mailbox: asked, tenantHoldsAddress: false })).toEqual([]);
    expect(stepsFor(s, alice("rollback"), { member: true, mailbox: mailbox(), tenantHoldsAddress: false })).toEqual(["handBack"]);
  });

  it("turns Gmail's forward on in two steps and off in two, each left out when live already has it", () => {
    const s = settings({ source: "google-workspace" });
    const none = mailbox({ gmail: { forwardingAddresses: [], autoForwarding: { enabled: false, emailAddress: null, disposition: null } } });
    expect(stepsFor(s, alice(), { member: true, mailbox: none, tenantHoldsAddress: false })).toEqual(["gmailAddress", "gmailOn"]);
    const on = mailbox({ ForwardingSmtpAddress: "alice@contoso.onmicrosoft.com", gmail: { forwardingAddresses: [{ forwardingEmail: "alice@contoso.onmicrosoft.com", verificationStatus: "accepted" }], autoForwarding: { enabled: true, emailAddress: "alice@contoso.onmicrosoft.com", disposition: "archive" } } });
    expect(stepsFor(s, alice(), { member: true, mailbox: on, tenantHoldsAddress: false })).toEqual([]);
    expect(stepsFor(s, alice("rollback"), { member: true, mailbox: on, tenantHoldsAddress: false })).toEqual(["gmailOff", "gmailDropAddress", "handBack"]);
  });

  it("models each step's effect as the gate checks it: a pending Gmail address is added but never forwarded to", () => {
    const s = settings({ source: "google-workspace" });
    const ctx = { gmailAccepts: false, vendor: "HostCo", now: "2026-12-07T00:00:00Z" };
    let st: UserState = { mailbox: mailbox({ gmail: { forwardingAddresses: [], autoForwarding: { enabled: false, emailAddress: null, disposition: null } } }), member: false };
    for (const step of stepsFor(s, alice(), { ...st, tenantHoldsAddress: false })) st = applyStep(s, alice(), step, st, ctx);
    expect(st.member).toBe(true);
    expect(st.mailbox?.ForwardingSmtpAddress).toBeNull();
    expect(st.mailbox?.gmail?.forwardingAddresses).toEqual([{ forwardingEmail: "alice@contoso.onmicrosoft.com", verificationStatus: "pending" }]);
  });

  it("puts a kept forward back with the rollback's unforward, and again on a rolled-back user whose mailbox forwards nowhere", () => {
    const kept = { kind: "exchange" as const, forwardingAddress: null, forwardingSmtpAddress: "alice.home@fabrikam.example", deliverToMailboxAndForward: true };
    const ctx = { gmailAccepts: true, vendor: "HostCo", now: "2026-12-07T00:00:00Z" };
    const back = alice("rollback", { kept });
    expect(stepsFor(settings(), back, { member: true, mailbox: forwarded, tenantHoldsAddress: false })).toEqual(["unforward", "handBack"]);
    const after = applyStep(settings(), back, "unforward", { mailbox: forwarded, member: true }, ctx);
    expect(after.mailbox).toMatchObject({ ForwardingSmtpAddress: "alice.home@fabrikam.example", DeliverToMailboxAndForward: true });
    // A run that stopped after the forward went off without the put-back: the step comes again.
    expect(stepsFor(settings(), back, { member: false, mailbox: mailbox(), tenantHoldsAddress: false })).toEqual(["unforward"]);
    // Back already (or the owner set another since): nothing.
    expect(stepsFor(settings(), back, { member: false, mailbox: after.mailbox, tenantHoldsAddress: false })).toEqual([]);
  });
});
