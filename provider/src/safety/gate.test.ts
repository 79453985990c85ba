import * as fs from "node:fs";
import { gateInput, Inputs } from "../program/program";
import { traceMail } from "../oracle/routing";
import type { World } from "../simulator/model";
import { contosoConfig as config, contosoWorld as world, ORG, waveUser as user, applied } from "../testing/safety";
import { CMDLET_READING, evaluate, formatRefusal } from "./gate";
import { liveSnapshot } from "./live";
import { commandLog, freshWorld, simTarget } from "../testing/simulator";

// The gate on worlds built in memory (the e2e suite test/e2e/safety.test.ts drives it through
// the real CLI). Each case names the state the problem appears in.
const inputs = (users: ReturnType<typeof user>[], extra: Record<string, unknown> = {}, rolledBack: ReturnType<typeof user>[] = []): Inputs => ({ config: config(extra), users, rolledBack });

describe("the mail-flow safety gate", () => {
  it("passes a first wave on a fresh tenant, though today Exchange Online senders' mail for users at the source lands in their waiting mailboxes", () => {
    const r = evaluate(world(["alice", "bob", "carol"]), gateInput(inputs([user("alice"), user("bob")])));
    expect(r.findings).toEqual([]);
    expect(r.homes).toEqual(new Map([["alice@contoso.com", "exchange"], ["bob@contoso.com", "exchange"], ["carol@contoso.com", "source"]]));
  });

  it("passes the next wave and a rollback on top of the first", () => {
    const w1 = applied(world(["alice", "bob", "carol"]), inputs([user("alice"), user("bob")]));
    const r = evaluate(w1, gateInput(inputs([user("alice"), user("carol")], { rollback: ["bob@contoso.com"] }, [user("bob")])));
    expect(r.findings).toEqual([]);
    expect(r.homes.get("bob@contoso.com")).toBe("source");
  });

  it("refuses clearing a ForwardingAddress in a first wave: until the user's own step, Exchange Online senders' mail follows it once the coexistence rule exists", () => {
    const w = world(["alice", "bob"]);
    w.source.mailboxes[0]!.ForwardingAddress = "bob";
    const r = evaluate(w, gateInput(inputs([user("alice")], { clearForwardingAddress: true })));
    expect(r.refusals.map((f) => f.message)).toEqual([
      "alice@contoso.com: mail from Exchange Online users would be delivered to another mailbox (bob@contoso.com) while the shared objects are set up (once the coexistence rule is created): via exchange → source to bob@contoso.com",
    ]);
  });

  it("refuses a source mailbox that holds its own routing address, and the acknowledgement turns it into a warning", () => {
    const w = world(["alice", "bob"]);
    w.source.mailboxes[0]!.EmailAddresses.push(`smtp:alice@${ORG}`);
    const refused = evaluate(w, gateInput(inputs([user("alice")])));
    expect(refused.refusals.map((f) => `${f.user} ${f.entry}`)).toEqual(["alice@contoso.com internet", "alice@contoso.com source"]);
    expect(formatRefusal(refused, "prod")).toContain("pulumi config set --stack prod --path 'coexist:acknowledge[0]' alice@contoso.com");
    const acked = evaluate(w, gateInput(inputs([user("alice")], { acknowledge: ["alice@contoso.com"] })));
    expect(acked.refusals).toEqual([]);
    expect(acked.warnings).toHaveLength(2);
  });

  it("refuses a rollback of a user whose mailbox is gone from the source, at the end state", () => {
    const w1 = applied(world(["alice", "bob"]), inputs([user("alice")]));
    w1.source.mailboxes = w1.source.mailboxes.filter((m) => m.Alias !== "alice");
    const r = evaluate(w1, gateInput(inputs([], { rollback: ["alice@contoso.com"] }, [user("alice")])));
    expect(r.refusals.map((f) => f.message)).toContain("alice@contoso.com: internet mail would bounce: 550 5.1.1 recipient alice@contoso.com not found at the source");
  });

  it("checks each user's passing state with the others before and after theirs: two users forwarding to each other's routing addresses", () => {
    const r = evaluate(world(["alice", "bob"]), gateInput(inputs([user("alice", `bob@${ORG}`), user("bob", `alice@${ORG}`)])));
    expect(r.refusals.map((f) => f.user)).toEqual(expect.arrayContaining(["alice@contoso.com", "bob@contoso.com"]));
    expect(r.refusals[0]!.message).toContain(`the routing address bob@${ORG} belongs to bob@contoso.com, not to alice@contoso.com`);
  });

  it("refuses a state unsafe under only New-TransportRule.md's reading of SentToScope InOrganization: after MX cutover, users still at the source", () => {
    // The conditions page: a mailbox "in the organization" matches without authentication, so the
    // rule sends bob's and carol's anonymous internet mail to the source. New-TransportRule.md:
    // only "over an authenticated connection", so it stays in their waiting mailboxes.
    const w = world(["alice", "bob", "carol"]);
    w.mx["contoso.com"] = "exchange";
    const r = evaluate(w, gateInput(inputs([user("alice")])));
    expect(r.refusals.map((f) => f.message)).toEqual([
      `bob@contoso.com: internet mail would land in Exchange Online, where the user does not live (as it does today)${CMDLET_READING}: via internet → exchange to bob@contoso.com`,
      `carol@contoso.com: internet mail would land in Exchange Online, where the user does not live (as it does today)${CMDLET_READING}: via internet → exchange to bob@contoso.com`.replace("to bob@", "to carol@"),
    ]);
  });

  it("refuses migrating a user whose Exchange Online recipient is still a mail user pointing at the source: its forwarded mail would loop", () => {
    // Microsoft's Google Workspace migration makes bob a MailUser whose ExternalEmailAddress is at Google.
    const w = world(["alice", "bob"]);
    w.mx["gsuite.contoso.com"] = "source";
    w.tenant.mailboxes = w.tenant.mailboxes.filter((m) => m.Alias !== "bob");
    w.tenant.mailRecipients = [{ Guid: "mailuser-bob", Name: "bob", Alias: "bob", PrimarySmtpAddress: "bob@contoso.com", EmailAddresses: ["SMTP:bob@contoso.com", `smtp:bob@${ORG}`], RecipientType: "MailUser", ExternalEmailAddress: "bob@gsuite.contoso.com" }];
    w.source.mailboxes.find((m) => m.Alias === "bob")!.EmailAddresses.push("smtp:bob@gsuite.contoso.com");
    expect(evaluate(w, gateInput(inputs([user("alice")]))).findings).toEqual([]);
    const r = evaluate(w, gateInput(inputs([user("alice"), user("bob")])));
    expect(r.refusals.filter((f) => f.user === "bob@contoso.com").map((f) => f.entry)).toEqual(["internet", "exchange", "source"]);
    expect(r.refusals.find((f) => f.user === "bob@contoso.com")!.message).toContain(`bob@contoso.com: internet mail would loop: the routing address bob@${ORG} belongs to the mail user bob@contoso.com, not to bob@contoso.com's Exchange Online mailbox (there is none)`);
  });

  it("reads the coexist group's members before any rule names it, so a first wave stopped before the rules resumes", async () => {
    const { stateFile, dir, store } = freshWorld({ domain: "contoso.com", organization: ORG, users: ["alice", "bob"] });
    store.update((w) => {
      w.tenant.groups.push({ ...evaluate(w, gateInput(inputs([user("alice")]))).end.tenant.groups[0]!, Members: ["alice@contoso.com"] });
      w.source.mailboxes[0]!.ForwardingSmtpAddress = `alice@${ORG}`;
    });
    const target = simTarget(stateFile);
    const snap = await liveSnapshot({ exchange: target, source: target, smartHosts: ["mail.contoso-source.example"], sourceIpRanges: ["198.51.100.25"], domain: "contoso.com" }, ["contoso.com", ORG], ["migrated@contoso.com"]);
    expect(snap.tenant.groups[0]?.Members).toEqual(["alice@contoso.com"]);
    expect(evaluate(snap, gateInput(inputs([user("alice"), user("bob")]))).findings).toEqual([]);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it("costs the same number of reads for 3 users as for 300: list reads, never one per user", async () => {
    const counts: number[] = [];
    for (const n of [3, 300]) {
      const aliases = Array.from({ length: n }, (_, i) => `user${i}`);
      const { stateFile, dir } = freshWorld({ domain: "contoso.com", organization: ORG, users: aliases });
      const target = simTarget(stateFile);
      const before = evaluate(world(aliases), gateInput(inputs(aliases.slice(0, 2).map((a) => user(a)))));
      const snap = await liveSnapshot({ exchange: target, source: target, smartHosts: ["mail.contoso-source.example"], sourceIpRanges: ["198.51.100.25"], domain: "contoso.com" }, ["contoso.com", ORG]);
      counts.push(snap.reads.count);
      expect(snap.source.mailboxes).toHaveLength(n);
      expect(evaluate(snap, gateInput(inputs(aliases.slice(0, 2).map((a) => user(a))))).findings).toEqual(before.findings);
      // Reads only: the simulator logged no write.
      expect(commandLog(stateFile).filter((l) => l.cmdlet && !l.cmdlet.startsWith("Get-"))).toEqual([]);
      fs.rmSync(dir, { recursive: true, force: true });
    }
    expect(counts[0]).toBe(counts[1]);
    // Tenant: domains, connectors, rules, recipients; source: mailboxes, accepted domains, send connectors.
    expect(counts[0]).toBe(7);
  });

  it("reads the source's accepted domains and send connectors, so a live snapshot traces a cloud-only mailbox's relayed mail as the world does", async () => {
    const { stateFile, dir, store } = freshWorld({ domain: "contoso.com", organization: ORG, users: ["alice"], sourceRelay: true });
    store.update((w) => void w.tenant.mailboxes.push({ Guid: "hire", Name: "hire", Alias: "hire", PrimarySmtpAddress: "hire@contoso.com", EmailAddresses: ["SMTP:hire@contoso.com"] }));
    const target = simTarget(stateFile);
    const snap = await liveSnapshot({ exchange: target, source: target, smartHosts: ["mail.contoso-source.example"], sourceIpRanges: ["198.51.100.25"], domain: "contoso.com" }, ["contoso.com", ORG]);
    expect(snap.source.sendConnectors?.map((c) => [c.Name, c.SmartHosts])).toEqual([["To Exchange Online", ["contoso.mail.protection.outlook.com"]]]);
    expect(traceMail(snap, { to: "hire@contoso.com", entry: "internet" })).toMatchObject({ outcome: "delivered-exchange", deliveredTo: "hire@contoso.com" });
    fs.rmSync(dir, { recursive: true, force: true });
  });
});
