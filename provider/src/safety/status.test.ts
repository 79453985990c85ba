import { gateInput, Inputs } from "../program/program";
import { renderWorld, userRows } from "../rehearsal/report";
import type { World } from "../simulator/model";
import { contosoConfig as config, contosoWorld as world, ORG, waveUser as user, applied } from "../testing/safety";
import { CMDLET_READING, evaluate } from "./gate";
import { ANOMALY_LINES, mailRows, renderStatus, renderTrace, statusCsv, statusOf, TABLE_ROWS } from "./status";

const GROUP = "migrated@contoso.com";

// `npm run status` and `npm run trace` computed on worlds built in memory (the e2e suite
// test/e2e/status.test.ts runs them through the real CLI against a rehearsal).
const inputs = (migrated: string[], rolledBack: string[] = []): Inputs => ({
  config: config({ rollback: rolledBack.map((a) => `${a}@contoso.com`) }),
  users: migrated.map((a) => user(a)),
  rolledBack: rolledBack.map((a) => user(a)),
});

/** `status` for the stack `i` on the world `w`, as the CLI computes it. */
const status = (w: World, i: Inputs) => statusOf(w, "contoso.com", GROUP, evaluate(w, gateInput(i)));

describe("status", () => {
  it("shows a wave's users in Exchange Online from every entry point, the others at the source, and no anomaly", () => {
    const i = inputs(["alice", "bob"]);
    const s = status(applied(world(["alice", "bob", "carol"]), i), i);
    expect(s.rows.map((r) => [r.user, r.home, r.inGroup, r.forwardsTo, r.internet, r.exchange, r.source])).toEqual([
      ["alice@contoso.com", "exchange", true, `alice@${ORG}`, "delivered-exchange", "delivered-exchange", "delivered-exchange"],
      ["bob@contoso.com", "exchange", true, `bob@${ORG}`, "delivered-exchange", "delivered-exchange", "delivered-exchange"],
      ["carol@contoso.com", "source", false, null, "delivered-source", "delivered-source", "delivered-source"],
    ]);
    expect(s.anomalies).toEqual([]);
    expect(s.notes).toEqual([]);
    expect(s.totals).toEqual({ users: 3, inExchange: 2, atSource: 1, anomalies: 0, refusedNextUp: 0, waitingForVendor: 0 });
  });

  it("names a wave not applied yet, and counts its users at the source until it is", () => {
    const w = applied(world(["alice", "bob", "carol"]), inputs(["alice"]));
    const s = status(w, inputs(["alice", "bob"]));
    expect(s.anomalies).toEqual(["bob@contoso.com: in a wave but not (fully) applied: run pulumi up (it plans from what is live, so a change by hand is repaired too)"]);
    expect(s.totals).toMatchObject({ inExchange: 1, atSource: 2, refusedNextUp: 0 });
  });

  it("names a migrated user whose forwarding was turned off at the source, and where their mail now lands", () => {
    const i = inputs(["alice", "bob"]);
    const w = applied(world(["alice", "bob"]), i);
    w.source.mailboxes.find((m) => m.Alias === "bob")!.ForwardingSmtpAddress = null;
    const s = status(w, i);
    expect(s.anomalies).toEqual([
      "bob@contoso.com: in the group but not forwarded",
      "bob@contoso.com: in a wave but not (fully) applied: run pulumi up (it plans from what is live, so a change by hand is repaired too)",
      "bob@contoso.com: mail from Exchange Online users lands in Exchange Online, but the user is at the source: exchange: delivered in Exchange Online (bob@contoso.com)",
    ]);
    expect(s.rows.find((r) => r.user === "bob@contoso.com")).toMatchObject({ inGroup: true, forwardsTo: null, internet: "delivered-source" });
  });

  it("names a forwarded user taken out of the group by hand, and the loop their mail from Exchange Online users makes", () => {
    const i = inputs(["alice", "bob"]);
    const w = applied(world(["alice", "bob"]), i);
    const g = w.tenant.groups.find((x) => x.PrimarySmtpAddress === GROUP)!;
    g.Members = g.Members.filter((m) => m !== "bob@contoso.com");
    const bob = status(w, i).anomalies.filter((a) => a.startsWith("bob@"));
    expect(bob[0]).toBe("bob@contoso.com: forwarded but not in the group");
    expect(bob[1]).toBe("bob@contoso.com: in a wave but not (fully) applied: run pulumi up (it plans from what is live, so a change by hand is repaired too)");
    expect(bob.some((a) => /^bob@contoso\.com: mail from Exchange Online users: LOOP: mail loop/.test(a))).toBe(true);
  });

  it("names a user still migrated whom the stack rolls back, until pulumi up applies the rollback", () => {
    const w = applied(world(["alice", "bob"]), inputs(["alice", "bob"]));
    const s = status(w, inputs(["alice"], ["bob"]));
    expect(s.rows.find((r) => r.user === "bob@contoso.com")?.home).toBe("source");
    expect(s.anomalies).toEqual(["bob@contoso.com: migrated, but the stack says the source (rolled back or in no wave): pulumi up applies a pending rollback; otherwise this was set by hand: put the user in a wave, or undo it"]);
  });

  it("lists what the next pulumi up would refuse as anomalies: a wave user the source has no mailbox for", () => {
    const s = status(world(["alice"]), inputs(["alice", "zoe"]));
    expect(s.anomalies).toContain("zoe@contoso.com: no source mailbox");
    expect(s.anomalies.filter((a) => a.startsWith("next pulumi up would refuse: zoe@contoso.com:")).length).toBeGreaterThan(0);
    expect(s.totals.refusedNextUp).toBeGreaterThan(0);
  });

  it("frames a tenant with no coexistence yet with a note (the missing group is no anomaly) and judges by MX: everyone at the source", () => {
    const s = status(world(["alice"]), inputs([]));
    expect(s.notes).toEqual([`the group ${GROUP} does not exist: coexistence is not set up yet, or was cleaned up (MX at the source)`]);
    expect(s.totals).toMatchObject({ users: 1, inExchange: 0, atSource: 1 });
    // Exchange Online senders' mail lands in the waiting mailbox: true today, so it is named.
    expect(s.anomalies).toEqual(["alice@contoso.com: mail from Exchange Online users lands in Exchange Online, but the user is at the source: exchange: delivered in Exchange Online (alice@contoso.com)"]);
  });

  it("after the cleanup, with MX at Exchange Online, counts everyone migrated and lets source senders' mail stay at the retiring source", () => {
    const w = world(["alice"]);
    w.mx["contoso.com"] = "exchange";
    const s = status(w, inputs([]));
    expect(s.totals).toMatchObject({ users: 1, inExchange: 1, atSource: 0 });
    // Only New-TransportRule.md's reading of SentToScope InOrganization (authenticated connections
    // only) leaves a re-created coexistence rule's internet mail for alice in Exchange Online, where
    // the next up (alice in no wave) would have her at the source; the gate checks both readings.
    expect(s.anomalies).toEqual([
      `next pulumi up would refuse: alice@contoso.com: internet mail would land in Exchange Online, where the user does not live (as it does today)${CMDLET_READING}: via internet → exchange to alice@contoso.com`,
    ]);
  });

  it("renders the totals line first, then the anomalies one a line, then the table; the CSV has a header and a row per user", () => {
    const i = inputs(["alice"]);
    const w = applied(world(["alice", "bob"]), i);
    w.source.mailboxes.find((m) => m.Alias === "alice")!.ForwardingSmtpAddress = null;
    const s = status(w, i);
    const text = renderStatus(s).split("\n");
    expect(text[0]).toBe(`  Totals: 2 users, 0 migrated, 2 at the source, ${s.anomalies.length} anomalies, next up would refuse 0`);
    expect(text[1]).toBe("  Anomalies:");
    expect(text).toContain("    alice@contoso.com: in the group but not forwarded");
    const head = text.findIndex((l) => /^ {2}User +Lives in +In group +Source forwards to +From internet +From EXO user +From source user$/.test(l));
    expect(head).toBeGreaterThan(text.indexOf("    alice@contoso.com: in the group but not forwarded"));
    expect(text.slice(head + 2).map((l) => l.trim().split(" ")[0])).toEqual(["alice@contoso.com", "bob@contoso.com"]);
    expect(statusCsv(s).split("\n")).toEqual([
      "user,home,inGroup,forwardsTo,internet,exchange,source",
      "alice@contoso.com,exchange,true,,delivered-source,delivered-exchange,delivered-source",
      "bob@contoso.com,source,false,,delivered-source,delivered-source,delivered-source",
    ]);
  });

  it(`for 500 users prints the totals, then the anomalies, and leaves the table out past ${TABLE_ROWS} rows, saying --full prints every row`, () => {
    const aliases = Array.from({ length: 500 }, (_, n) => `user${String(n).padStart(3, "0")}`);
    const i = inputs(aliases.slice(0, 3));
    const w = applied(world(aliases), i);
    w.source.mailboxes.find((m) => m.Alias === "user001")!.ForwardingSmtpAddress = null;
    const s = status(w, i);
    const short = renderStatus(s).split("\n");
    expect(short[0]).toBe(`  Totals: 500 users, 2 migrated, 498 at the source, ${s.anomalies.length} anomalies, next up would refuse 0`);
    expect(short.slice(1, 3)).toEqual(["  Anomalies:", "    user001@contoso.com: in the group but not forwarded"]);
    expect(short[short.length - 1]).toBe(`  The table of 500 users is left out (more than ${TABLE_ROWS} rows): add --full to print every row, or --csv for one row per user.`);
    expect(short.length).toBeLessThan(TABLE_ROWS);
    const full = renderStatus(s, { full: true }).split("\n");
    expect(full.slice(0, short.length - 1)).toEqual(short.slice(0, -1));
    const rows = full.slice(short.length + 1).map((l) => l.trim().split(" ")[0]);
    expect(rows).toEqual([...aliases].sort().map((a) => `${a}@contoso.com`));
  });

  it(`for a wave of 500 not applied yet prints its anomalies by kind, a count and the first users each, past ${ANOMALY_LINES} lines; --full prints each`, () => {
    const aliases = Array.from({ length: 500 }, (_, n) => `user${String(n).padStart(3, "0")}`);
    const i = inputs(aliases);
    const w = applied(world(aliases), inputs(aliases.slice(0, 2)));
    w.source.mailboxes.find((m) => m.Alias === "user000")!.ForwardingSmtpAddress = null;
    const s = status(w, i);
    expect(s.anomalies.length).toBeGreaterThan(498);
    const short = renderStatus(s).split("\n");
    expect(short[0]).toBe(`  Totals: 500 users, 1 migrated, 499 at the source, ${s.anomalies.length} anomalies, next up would refuse 0`);
    expect(short[1]).toBe(`  Anomalies, by kind (${s.anomalies.length}; --full prints each with its detail, \`trace\` one user's hops):`);
    const kinds = short.slice(2, short.indexOf(""));
    expect(kinds.length).toBeLessThanOrEqual(ANOMALY_LINES);
    expect(kinds[0]).toBe(
      "    499 × in a wave but not (fully) applied: run pulumi up (it plans from what is live, so a change by hand is repaired too): user000@contoso.com, user002@contoso.com, user003@contoso.com and 496 more",
    );
    expect(kinds).toContain("    1 × in the group but not forwarded: user000@contoso.com");
    // Every anomaly is in some kind, once.
    expect(s.anomalyKinds.reduce((n, k) => n + k.users.length, 0)).toBe(s.anomalies.length);
    const full = renderStatus(s, { full: true }).split("\n");
    expect(full.filter((l) => / in a wave but not \(fully\) applied/.test(l))).toHaveLength(499);
  });

  it("shows a ForwardingAddress, which wins over the forward coexist sets, in the forwards-to column", () => {
    const w = world(["alice", "bob"]);
    w.source.mailboxes[0]!.ForwardingAddress = "bob";
    expect(mailRows(w, ["alice@contoso.com"], GROUP)[0]!.forwardsTo).toBe("bob (ForwardingAddress)");
  });
});

describe("the rehearsal's world report", () => {
  it("prints the rows status computes, one per source mailbox, with the world's group", () => {
    const w = applied(world(["alice", "bob"]), inputs(["alice"]));
    expect(userRows(w)).toEqual(mailRows(w, ["alice@contoso.com", "bob@contoso.com"], GROUP));
    expect(renderWorld(w, "contoso.com").split("\n").slice(3)).toEqual([
      "  User               In group  Source forwards to             From internet    From EXO user    From source user",
      "  -----------------  --------  -----------------------------  ---------------  ---------------  ----------------",
      "  alice@contoso.com  yes       alice@contoso.onmicrosoft.com  Exchange Online  Exchange Online  Exchange Online ",
      "  bob@contoso.com    no        -                              source           source           source          ",
    ]);
  });
});

describe("trace", () => {
  it("prints each entry point's route on one labelled line, then its hops", () => {
    const w = applied(world(["alice"]), inputs(["alice"]));
    const lines = renderTrace(w, "alice@contoso.com").split("\n");
    expect(lines.filter((l) => !l.startsWith("  "))).toEqual([
      "internet mail: internet → source → exchange: delivered in Exchange Online (alice@contoso.com)",
      "mail from Exchange Online users: exchange: delivered in Exchange Online (alice@contoso.com)",
      "mail from source users: source → exchange: delivered in Exchange Online (alice@contoso.com)",
    ]);
    expect(lines).toContain(`  source: forwarding to alice@${ORG} (ForwardingSmtpAddress of alice@contoso.com)`);
  });
});
