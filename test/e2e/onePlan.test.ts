import { commandLog, undelivered } from "@coexist/provider/testing";
import { contosoStack, exportedState, misrouted, rehearsalProject } from "../harness/rehearsal";

// Issue 24: `pulumi up` reconciles every user from the live tenant and source, and the safety gate
// proves exactly the steps it runs. Each case is a state Pulumi's saved state does not know
// about (a hand edit, a killed run, a source-side change): a plain `pulumi up` (no refresh)
// repairs it, and mail is traced for every user after every run.
const WRITE = /^(Set|New|Remove|Add|Update|Enable|Disable)-/;
const USERS = ["alice", "bob", "carol", "dave", "erin", "frank"];

describe("one plan: a plain pulumi up converges every user from what is live", () => {
  const project = rehearsalProject("oneplan");
  const { rehearsal } = project;
  const base = { ...contosoStack, pool: { retryBaseMs: 10, retryMaxMs: 50, retryAttempts: 4 } };
  afterAll(() => project.cleanup());

  const succeeds = async (run: Promise<{ code: number; output: string }>) => {
    const r = await run;
    expect(r.code === 0 ? "ok" : r.output).toBe("ok");
    return r.output;
  };
  const expectMail = (inExchange: string[]) => expect(misrouted(rehearsal.world(), inExchange)).toEqual([]);
  const writesSince = (n: number) =>
    commandLog(rehearsal.stateFile)
      .slice(n)
      .filter((l) => l.cmdlet && WRITE.test(l.cmdlet))
      .map((l) => `${l.cmdlet} ${String((l.parameters as Record<string, unknown> | undefined)?.Identity ?? "")} ${String((l.parameters as Record<string, unknown> | undefined)?.Member ?? "")}`.trim());
  const mailbox = (alias: string) => rehearsal.world().source.mailboxes.find((m) => m.Alias === alias)!;
  const members = () => [...(rehearsal.world().tenant.groups[0]?.Members ?? [])].sort();

  it("migrates wave 1 and holds the whole stack in a handful of resources", async () => {
    project.writeConfig({ ...base, waves: ["batches/wave1.csv", "batches/wave2.csv"] });
    await rehearsal.reset({ domain: "contoso.com", organization: "contoso.onmicrosoft.com", users: USERS });
    await succeeds(rehearsal.up());
    expectMail(["alice", "bob", "carol", "dave", "erin"]);
    const { urns } = await exportedState(rehearsal);
    // The five shared objects, the users' one resource, the stack and the provider: not one per user.
    expect(urns.filter((u) => u.includes("MigratedMailboxes"))).toHaveLength(1);
    expect(urns.length).toBeLessThanOrEqual(8);
  });

  it("repairs a migrated user taken out of the group by hand, on a plain up with no refresh", async () => {
    rehearsal.updateWorld((w) => void (w.tenant.groups[0]!.Members = w.tenant.groups[0]!.Members.filter((m) => m !== "bob@contoso.com")));
    // Today the hand edit loops bob's Exchange Online senders' mail (forwarded, routed to the source).
    expect(misrouted(rehearsal.world(), ["alice", "bob", "carol", "dave", "erin"]).map((r) => r.user)).toEqual(["bob@contoso.com"]);
    const preview = await succeeds(rehearsal.run(["preview"]));
    expect(preview).toContain("bob@contoso.com (migrate):");
    expect(await rehearsal.plan()).toMatch(/repair bob@contoso\.com\n\s+Add-DistributionGroupMember -Identity 'migrated@contoso\.com' -Member 'bob@contoso\.com'/);
    const n = commandLog(rehearsal.stateFile).length;
    await succeeds(rehearsal.up());
    expect(writesSince(n)).toEqual(["Add-DistributionGroupMember migrated@contoso.com bob@contoso.com"]);
    expectMail(["alice", "bob", "carol", "dave", "erin"]);
  });

  it("repairs a migrated user whose source forward was turned off by hand", async () => {
    rehearsal.updateWorld((w) => void (w.source.mailboxes.find((m) => m.Alias === "carol")!.ForwardingSmtpAddress = null));
    const n = commandLog(rehearsal.stateFile).length;
    await succeeds(rehearsal.up());
    expect(writesSince(n)).toEqual(["Set-Mailbox carol@contoso.com"]);
    expect(mailbox("carol").ForwardingSmtpAddress).toBe("carol@contoso.onmicrosoft.com");
    expectMail(["alice", "bob", "carol", "dave", "erin"]);
  });

  it("turns off a rolled-back user's forward set again at the source, instead of leaving it to loop", async () => {
    project.writeConfig({ ...base, waves: ["batches/wave1.csv", "batches/wave2.csv"], rollback: ["erin@contoso.com"] });
    await succeeds(rehearsal.up());
    expectMail(["alice", "bob", "carol", "dave"]);
    // Forwarded again by hand (or by a completed migration batch) while the rule routes erin to the source.
    rehearsal.updateWorld((w) => void (w.source.mailboxes.find((m) => m.Alias === "erin")!.ForwardingSmtpAddress = "erin@contoso.onmicrosoft.com"));
    expect(misrouted(rehearsal.world(), ["alice", "bob", "carol", "dave"]).map((r) => r.user)).toEqual(["erin@contoso.com"]);
    const n = commandLog(rehearsal.stateFile).length;
    await succeeds(rehearsal.up());
    expect(writesSince(n)).toEqual(["Set-Mailbox erin@contoso.com"]);
    expectMail(["alice", "bob", "carol", "dave"]);
  });

  it("rolls back a user whose group join reached Exchange before the run was killed, once listed in coexist:rollback", async () => {
    const w3 = `${project.dir}/batches/late.csv`;
    require("node:fs").writeFileSync(w3, "EmailAddress\nfrank@contoso.com\n");
    project.writeConfig({ ...base, waves: ["batches/wave1.csv", "batches/wave2.csv", "batches/late.csv"], rollback: ["erin@contoso.com"] });
    // The runner dies right after applying frank's group join: Pulumi never hears of it.
    rehearsal.updateWorld((w) => void (w.killSchedule = { writes: 0, kills: [{ write: 1, point: "after-apply" as const, fired: false }] }));
    const killed = await rehearsal.up();
    rehearsal.updateWorld((w) => void delete w.killSchedule);
    expect(killed.code).not.toBe(0);
    expect(undelivered(rehearsal.world())).toEqual([]);
    expect(members()).toContain("frank@contoso.com");
    expect(mailbox("frank").ForwardingSmtpAddress).toBeNull();
    // The consultant rolls the wave back instead of finishing it.
    project.writeConfig({ ...base, waves: ["batches/wave1.csv", "batches/wave2.csv", "batches/late.csv"], rollback: ["erin@contoso.com", "frank@contoso.com"] });
    const n = commandLog(rehearsal.stateFile).length;
    await succeeds(rehearsal.up());
    expect(writesSince(n)).toEqual(["Remove-DistributionGroupMember migrated@contoso.com frank@contoso.com"]);
    expect(members()).not.toContain("frank@contoso.com");
    expectMail(["alice", "bob", "carol", "dave"]);
    // Converged: a further run writes nothing.
    const m = commandLog(rehearsal.stateFile).length;
    await succeeds(rehearsal.up());
    expect(writesSince(m)).toEqual([]);
  });
});

describe("one plan: a vendor source with seed 1's model (pendingGroup)", () => {
  const project = rehearsalProject("vendorpending");
  const { rehearsal } = project;
  const fs = require("node:fs") as typeof import("node:fs");
  const file = (name: string, lines: string[]) => fs.writeFileSync(`${project.dir}/batches/${name}`, lines.join("\n") + "\n");
  const base = {
    ...contosoStack,
    source: { ...contosoStack.source, imitates: "vendor" },
    vendor: { name: "HostCo" },
    routing: "pendingGroup",
    sourceUsers: "batches/vp-users.csv",
    pool: { retryBaseMs: 10, retryMaxMs: 50, retryAttempts: 4 },
  };
  afterAll(() => project.cleanup());
  const succeeds = async (run: Promise<{ code: number; output: string }>) => {
    const r = await run;
    expect(r.code === 0 ? "ok" : r.output).toBe("ok");
  };
  const members = () => [...(rehearsal.world().tenant.groups[0]?.Members ?? [])].sort();

  it("fills the group of users still at the source from the vendor ledger, never a user the vendor may forward, and converges once the vendor applies", async () => {
    file("vp-users.csv", ["EmailAddress", ...["alice", "bob", "carol"].map((u) => `${u}@contoso.com`)]);
    file("vp1.csv", ["EmailAddress", "alice@contoso.com"]);
    project.writeConfig({ ...base, waves: ["batches/vp1.csv"] });
    await rehearsal.reset({ domain: "contoso.com", organization: "contoso.onmicrosoft.com", users: ["alice", "bob", "carol"], sourceKind: "vendor" });
    await succeeds(rehearsal.up());
    // alice left the group before her forward was asked for; bob and carol wait at the source.
    expect(members()).toEqual(["bob@contoso.com", "carol@contoso.com"]);
    expect(undelivered(rehearsal.world())).toEqual([]);
    const { coexistCli } = require("../harness/cli") as typeof import("../harness/cli");
    const apply = await coexistCli(project, rehearsal.stack, "rehearse", ["vendor-apply"]);
    expect(apply.code === 0 ? "ok" : apply.out).toBe("ok");
    await succeeds(rehearsal.up());
    expect(members()).toEqual(["bob@contoso.com", "carol@contoso.com"]);
    expect(misrouted(rehearsal.world(), ["alice"])).toEqual([]);
  });
});
