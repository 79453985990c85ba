import { commandLog, undelivered, userRows } from "@coexist/provider/testing";
import { contosoStack, e2eRunners, misrouted, rehearsalProject, sessionFronts } from "../harness/rehearsal";

// The demo's sequence through the real CLI and the real coexist program, with the simulated
// tenant's state and the routing oracle checked after every step, and a wave interrupted by
// crashing runners and then re-run.
const WRITE = /^(Set|New|Remove|Add|Enable|Disable)-/;
const USERS = ["alice", "bob", "carol", "dave", "erin", "frank"];

describe.each(e2eRunners)("migration waves through the real CLI (%s)", (runner) => {
  const project = rehearsalProject("e2e", { runner });
  const { rehearsal } = project;
  const base = {
    ...contosoStack,
    pool: { retryBaseMs: 10, retryMaxMs: 50, retryAttempts: 4 },
  };
  afterAll(() => project.cleanup());

  /** No user's mail loops or bounces from any entry point, and each ends where expected. */
  const expectMail = (inExchange: string[]) => expect(misrouted(rehearsal.world(), inExchange)).toEqual([]);
  /** A CLI run that must succeed; on failure the assertion shows the CLI's output. */
  async function succeeds(run: Promise<{ code: number; output: string }>) {
    const r = await run;
    expect(r.code === 0 ? "ok" : r.output).toBe("ok");
  }
  const members = () => [...(rehearsal.world().tenant.groups[0]?.Members ?? [])].sort();
  const writesSince = (n: number) => commandLog(rehearsal.stateFile).slice(n).filter((l) => l.cmdlet && WRITE.test(l.cmdlet));

  it("rejects a malformed wave at preview and up with file:line:column, applying nothing", async () => {
    project.writeConfig({ ...base, waves: ["batches/wave1.csv", "batches/bad.csv"] });
    await rehearsal.reset({ domain: "contoso.com", organization: "contoso.onmicrosoft.com", users: USERS });
    require("node:fs").writeFileSync(`${project.dir}/batches/bad.csv`, "EmailAddress\nzoe@fabrikam.com\n");
    const preview = await rehearsal.run(["preview"]);
    expect(preview.code).not.toBe(0);
    expect(preview.output).toContain("batches/bad.csv:2:1: EmailAddress: zoe@fabrikam.com is outside the shared domain contoso.com");
    const up = await rehearsal.up();
    expect(up.code).not.toBe(0);
    expect(commandLog(rehearsal.stateFile).filter((l) => l.cmdlet)).toEqual([]);
  });

  it("reviews wave 1 as the exact cmdlets, in the loop-free order per user", async () => {
    project.writeConfig({ ...base, waves: ["batches/wave1.csv"] });
    const plan = await rehearsal.plan();
    const alice = plan.split("\n").filter((l) => l.includes("'alice@contoso.com'"));
    expect(alice.map((l) => l.trim().split(" ")[0])).toEqual(["Add-DistributionGroupMember", "Set-Mailbox"]);
    expect(plan).toContain("New-TransportRule -Name 'Coexistence'");
    expect(writesSince(0)).toEqual([]); // reviewing changes nothing
  });

  it("applies wave 1", async () => {
    await succeeds(rehearsal.up());
    expect(members()).toEqual(["alice@contoso.com", "bob@contoso.com", "carol@contoso.com"]);
    expectMail(["alice", "bob", "carol"]);
  });

  it("survives a wave 2 interrupted by crashing runners, then converges on a plain re-run", async () => {
    // The runner applying each of the wave's first writes dies right after applying it: group
    // joins happen, their outcome is unknown to the provider, so it stops before turning on
    // forwarding. (A world kill schedule counts writes only: the safety gate's reads at the
    // start of the run are not what this rehearses.)
    project.writeConfig({ ...base, waves: ["batches/wave1.csv", "batches/wave2.csv"] });
    rehearsal.updateWorld((w) => void (w.killSchedule = { writes: 0, kills: [1, 2].map((write) => ({ write, point: "after-apply" as const, fired: false })) }));
    const interrupted = await rehearsal.up();
    rehearsal.updateWorld((w) => void delete w.killSchedule);
    expect(interrupted.code).not.toBe(0);
    expect(interrupted.output).toMatch(/may or may not have taken effect/);
    expectMailSafe();
    expect(rehearsal.world().source.mailboxes.find((m) => m.Alias === "dave")?.ForwardingSmtpAddress).toBeNull();
    await succeeds(rehearsal.up());
    expect(members()).toEqual(["alice", "bob", "carol", "dave", "erin"].map((a) => `${a}@contoso.com`));
    expectMail(["alice", "bob", "carol", "dave", "erin"]);
    // A second run after convergence writes nothing.
    const n = commandLog(rehearsal.stateFile).length;
    await succeeds(rehearsal.up());
    expect(writesSince(n)).toEqual([]);
  });

  /** Whatever point a run stopped at: no loop, no bounce (each user either side, not both). */
  const expectMailSafe = () => expect(undelivered(rehearsal.world())).toEqual([]);

  it("renames the connector: the new one first, the rule moves over, the old one goes last", async () => {
    project.writeConfig({ ...base, waves: ["batches/wave1.csv", "batches/wave2.csv"], names: { connector: "Coexistence to source" } });
    await succeeds(rehearsal.up());
    const w = rehearsal.world();
    expect(w.tenant.outboundConnectors.map((c) => c.Name)).toEqual(["Coexistence to source"]);
    expect(w.tenant.transportRules.find((r) => r.Name === "Coexistence")?.RouteMessageOutboundConnector).toBe("Coexistence to source");
    expectMail(["alice", "bob", "carol", "dave", "erin"]);
  });

  it("rolls one user back: forwarding off, then out of the group", async () => {
    project.writeConfig({ ...base, waves: ["batches/wave1.csv", "batches/wave2.csv"], names: { connector: "Coexistence to source" }, rollback: ["bob@contoso.com"] });
    const n = commandLog(rehearsal.stateFile).length;
    await succeeds(rehearsal.up());
    expect(writesSince(n).map((l) => l.cmdlet)).toEqual(["Set-Mailbox", "Remove-DistributionGroupMember"]);
    expectMail(["alice", "carol", "dave", "erin"]);
  });

  it("refuses the cleanup before MX cutover and while users live on the source, then cleans up in seed 2's order", async () => {
    const n = commandLog(rehearsal.stateFile).length;
    const early = await rehearsal.destroy();
    expect(early.code).not.toBe(0);
    expect(early.output).toContain("refusing to clean up: the MX of contoso.com points at");
    // The reason in full once per place the CLI shows errors (the resource's line and
    // Diagnostics), from one resource; the other deletes in flight give its cause too, so it is
    // never lost whichever the CLI shows (issue 27); no JavaScript stack trace and no "Error: X: Error: X".
    expect(early.output).not.toMatch(/\bat .*\.js:\d+:\d+\)?$/m);
    expect(early.output).not.toMatch(/Error: coexist: refusing[^\n]*: (Error|CleanupRefused): coexist/);
    const diagnostics = early.output.slice(early.output.indexOf("Diagnostics:"));
    const refusals = diagnostics.split("\n").filter((l) => l.includes("refusing to clean up"));
    expect(refusals.filter((l) => l.includes("Cut MX over first"))).toHaveLength(1);
    expect(refusals.filter((l) => !l.includes("refusing to clean up: the MX of contoso.com points at the source, not Exchange Online"))).toEqual([]);
    expect(writesSince(n)).toEqual([]);
    expectMail(["alice", "carol", "dave", "erin"]);

    rehearsal.updateWorld((w) => void (w.mx["contoso.com"] = "exchange"));
    // bob was rolled back and frank was never in a wave: both still live on the source.
    const stranded = await rehearsal.destroy();
    expect(stranded.code).not.toBe(0);
    expect(stranded.output).toContain("refusing to clean up: 2 users of contoso.com still live on the source (no forwarding to Exchange Online): bob@contoso.com, frank@contoso.com.");
    expect(writesSince(n)).toEqual([]);
    // Deliberately accepted (they leave the company): recorded by an up, then the cleanup runs.
    project.writeConfig({ ...base, waves: ["batches/wave1.csv", "batches/wave2.csv"], names: { connector: "Coexistence to source" }, rollback: ["bob@contoso.com"], acknowledge: ["bob@contoso.com", "frank@contoso.com"] });
    await succeeds(rehearsal.up());
    await succeeds(rehearsal.destroy());
    const w = rehearsal.world();
    expect([w.tenant.transportRules, w.tenant.outboundConnectors, w.tenant.groups]).toEqual([[], [], []]);
    expect(w.tenant.acceptedDomains.find((d) => d.Name === "contoso.com")?.DomainType).toBe("Authoritative");
    expect(w.source.mailboxes.filter((m) => m.ForwardingSmtpAddress !== null)).toEqual([]);
    for (const r of userRows(w)) expect(r.internet).toBe("delivered-exchange");
    // Rules, then the connector, then the group, then the domain back to Authoritative.
    const order = writesSince(n)
      .map((l) => (l.cmdlet === "Set-AcceptedDomain" ? "domain" : l.cmdlet === "Remove-TransportRule" ? "rule" : l.cmdlet === "Remove-OutboundConnector" ? "connector" : l.cmdlet === "Remove-DistributionGroup" ? "group" : ""))
      .filter((x) => x !== "");
    expect(order).toEqual(["rule", "rule", "connector", "group", "domain"]);
  });
  it("served every session through the runner under test", () => {
    const fronts = sessionFronts(rehearsal.stateFile);
    expect(fronts.length).toBeGreaterThan(0);
    expect(new Set(fronts)).toEqual(new Set([runner]));
  });
});
