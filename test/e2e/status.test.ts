import { commandLog, contosoWorld, simGuid } from "@coexist/provider/testing";
import { coexistCli } from "../harness/cli";
import { contosoStack, rehearsalProject } from "../harness/rehearsal";

// `npm run status` and `npm run trace` against a rehearsal stack: read-only reports of the live
// snapshot, run as a user runs them (the CLI scripts, in the project directory).
const WRITE = /^(Set|New|Remove|Add|Enable|Disable)-/;

describe("status and trace through the real CLI", () => {
  const project = rehearsalProject("status");
  const { rehearsal } = project;
  afterAll(() => project.cleanup());

  const cli = (name: "status" | "trace", args: string[]) => coexistCli(project, rehearsal.stack, name, args);
  const writes = () => commandLog(rehearsal.stateFile).filter((l) => l.cmdlet && WRITE.test(l.cmdlet)).length;
  /** The cmdlets the simulator received since the log had `n` lines: reads only, and some (the log is not silent). */
  const logLength = () => commandLog(rehearsal.stateFile).length;
  const cmdletsSince = (n: number) => [...new Set(commandLog(rehearsal.stateFile).slice(n).flatMap((l) => (l.cmdlet ? [l.cmdlet] : [])))].sort();

  it("reports the migrated users and no anomaly after a wave, writing nothing", async () => {
    project.writeConfig({ ...contosoStack, waves: ["batches/wave1.csv"] });
    await rehearsal.reset({ domain: "contoso.com", organization: "contoso.onmicrosoft.com", users: ["alice", "bob", "carol", "dave"] });
    const up = await rehearsal.up();
    expect(up.code === 0 ? "ok" : up.output).toBe("ok");
    const before = writes();
    const n = logLength();
    const r = await cli("status", ["--json"]);
    expect(r.code === 0 ? "ok" : r.out).toBe("ok");
    expect(cmdletsSince(n)).toEqual(["Get-AcceptedDomain", "Get-DistributionGroupMember", "Get-Mailbox", "Get-OutboundConnector", "Get-Recipient", "Get-SendConnector", "Get-TransportRule"]);
    const status = JSON.parse(r.out) as { rows: { user: string; inGroup: boolean; internet: string }[]; anomalies: string[]; totals: Record<string, number> };
    expect(status.rows.filter((x) => x.inGroup).map((x) => x.user)).toEqual(["alice@contoso.com", "bob@contoso.com", "carol@contoso.com"]);
    expect(status.rows.find((x) => x.user === "dave@contoso.com")?.internet).toBe("delivered-source");
    expect(status.anomalies).toEqual([]);
    expect(status.totals).toMatchObject({ users: 4, inExchange: 3, atSource: 1, anomalies: 0 });
    expect(writes()).toBe(before);
  });

  it("names a forward turned off by hand, and the text report starts with its totals, writing nothing", async () => {
    rehearsal.updateWorld((w) => void (w.source.mailboxes.find((m) => m.Alias === "bob")!.ForwardingSmtpAddress = null));
    const before = writes();
    const r = await cli("status", []);
    expect(r.code).toBe(0);
    expect(r.out).toContain("bob@contoso.com: in the group but not forwarded");
    expect(r.out).toContain("bob@contoso.com: in a wave but not (fully) applied: run pulumi up (it plans from what is live, so a change by hand is repaired too)");
    expect(r.out.split("\n")[0]).toMatch(/^ {2}Totals: 4 users, 2 migrated, 2 at the source, \d+ anomalies/);
    const csv = await cli("status", ["--csv"]);
    expect(csv.out.split("\n")[0]).toBe("user,home,inGroup,forwardsTo,internet,exchange,source");
    expect(csv.out).toContain("bob@contoso.com,exchange,true,,delivered-source,");
    expect(writes()).toBe(before);
  });

  it("names a user taken out of the group by hand, with the loop their mail from Exchange Online users now makes", async () => {
    rehearsal.updateWorld((w) => {
      const g = w.tenant.groups.find((x) => x.PrimarySmtpAddress === "migrated@contoso.com")!;
      g.Members = g.Members.filter((m) => m !== "carol@contoso.com");
    });
    const r = await cli("status", ["--json"]);
    expect(r.code).toBe(0);
    const { anomalies } = JSON.parse(r.out) as { anomalies: string[] };
    expect(anomalies).toContain("carol@contoso.com: forwarded but not in the group");
    expect(anomalies.some((a) => a.startsWith("carol@contoso.com: mail from Exchange Online users: LOOP: mail loop"))).toBe(true);
  });

  it("traces one user's mail hop by hop from each entry point, writing nothing", async () => {
    const before = writes();
    const r = await cli("trace", ["alice@contoso.com"]);
    expect(r.code === 0 ? "ok" : r.out).toBe("ok");
    expect(r.out).toContain("internet mail: internet → source → exchange: delivered in Exchange Online (alice@contoso.com)");
    expect(r.out).toContain("  source: forwarding to alice@contoso.onmicrosoft.com (ForwardingSmtpAddress of alice@contoso.com)");
    expect(r.out).toContain("mail from Exchange Online users: exchange: delivered in Exchange Online (alice@contoso.com)");
    expect(writes()).toBe(before);
  });

  it("for 500 users prints the totals first, then the anomalies, and the table only with --full", async () => {
    // 496 more users at the source, in no wave: a world as big as a real customer's, built without an up.
    const more = contosoWorld(Array.from({ length: 496 }, (_, n) => `user${String(n).padStart(3, "0")}`));
    const fresh = <T extends { Guid: string }>(ms: T[], from: number) => ms.map((m, n) => ({ ...m, Guid: simGuid(from + n) }));
    rehearsal.updateWorld((w) => {
      w.tenant.mailboxes.push(...fresh(more.tenant.mailboxes.filter((m) => m.Alias !== "admin"), 10_000));
      w.source.mailboxes.push(...fresh(more.source.mailboxes, 20_000));
    });
    const r = await cli("status", []);
    expect(r.code === 0 ? "ok" : r.out).toBe("ok");
    const lines = r.out.trimEnd().split("\n");
    expect(lines[0]).toMatch(/^ {2}Totals: 500 users, 1 migrated, 499 at the source, \d+ anomalies, next up would refuse 0$/);
    expect(lines[1]).toBe("  Anomalies:");
    expect(lines).toContain("    carol@contoso.com: forwarded but not in the group");
    expect(lines[lines.length - 1]).toBe("  The table of 500 users is left out (more than 50 rows): add --full to print every row, or --csv for one row per user.");
    expect(lines.length).toBeLessThan(50);
    const full = (await cli("status", ["--full"])).out.trimEnd().split("\n");
    expect(full.slice(0, lines.length - 1)).toEqual(lines.slice(0, -1));
    const users = full.slice(lines.length + 1).map((l) => l.trim().split(" ")[0]!);
    expect(users).toHaveLength(500);
    expect(users).toEqual([...users].sort((a, b) => a.localeCompare(b)));
  });
});
