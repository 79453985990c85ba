import * as fs from "node:fs";
import * as path from "node:path";
import { commandLog, traceMail, undelivered, World } from "@coexist/provider/testing";
import { coexistCli } from "../harness/cli";
import { upWriteByWrite, writeLatch } from "../harness/hold";
import { contosoStack, e2eRunners, misrouted, rehearsalProject, sessionFronts } from "../harness/rehearsal";

// Seed 1's routing model end to end through the real CLI: a group of the users still at the
// source (filled in one command), users leaving it one by one as they migrate, a catch-all
// routing subdomain whose addresses coexist gives each migrated mailbox, and a new hire who
// exists only in Exchange Online and gets every message there. Mail is checked after every run.
const WRITE = /^(Set|New|Remove|Add|Enable|Disable|Update)-/;
const USERS = ["alice", "bob", "carol", "dave", "erin", "frank"];
const HIRE = "hire@contoso.com";
const GROUP = "accounts@contoso.com";

describe.each(e2eRunners)("seed 1's model (coexist:routing pendingGroup) through the real CLI (%s)", (runner) => {
  const project = rehearsalProject("pending", { runner });
  const { rehearsal } = project;
  const base = {
    ...contosoStack,
    routing: "pendingGroup",
    sourceUsers: "batches/source-users.csv",
    routingTemplate: "{alias}@sub.contoso.com",
    matchSubDomains: true,
    pool: { retryBaseMs: 10, retryMaxMs: 50, retryAttempts: 4 },
  };
  afterAll(() => project.cleanup());
  // Waves with no ForwardTo column: every routing address comes from the subdomain template.
  const wave = (name: string, aliases: string[]) => fs.writeFileSync(path.join(project.dir, "batches", `${name}.csv`), ["EmailAddress", ...aliases.map((a) => `${a}@contoso.com`)].join("\n") + "\n");
  wave("s1", ["alice", "bob", "carol"]);
  wave("s2", ["dave", "erin"]);
  wave("last", ["frank"]);

  async function succeeds(run: Promise<{ code: number; output: string }>) {
    const r = await run;
    expect(r.code === 0 ? "ok" : r.output).toBe("ok");
    return r.output;
  }
  const group = (w: World = rehearsal.world()) => w.tenant.groups.find((g) => g.PrimarySmtpAddress === GROUP);
  const members = () => [...(group()?.Members ?? [])].sort();
  const writesSince = (n: number) => commandLog(rehearsal.stateFile).slice(n).filter((l) => l.cmdlet && WRITE.test(l.cmdlet));
  const at = (aliases: string[]) => aliases.map((a) => `${a}@contoso.com`);
  /** Where the hire's mail ends from each entry point. */
  const hireOutcomes = () => (["internet", "exchange", "source"] as const).map((entry) => traceMail(rehearsal.world(), { to: HIRE, entry }).outcome);
  /** Nobody's mail loops or bounces; migrated users' ends in Exchange Online, everyone else's at the source; the hire's in Exchange Online. */
  const expectMail = (inExchange: string[]) => {
    expect(undelivered(rehearsal.world())).toEqual([]);
    expect(misrouted(rehearsal.world(), inExchange)).toEqual([]);
    expect(hireOutcomes()).toEqual(["delivered-exchange", "delivered-exchange", "delivered-exchange"]);
  };
  /** The writes for one user, as `role cmdlet` lines, in the order they ran. */
  const stepsOf = (alias: string, from: number) =>
    writesSince(from)
      .filter((l) => l.cmdlet !== "Update-DistributionGroupMember" && JSON.stringify(l.parameters).includes(`"${alias}@contoso.com"`))
      .map((l) => `${l.role} ${l.cmdlet}${l.cmdlet === "Set-Mailbox" && l.role === "exchange" ? ` ${Object.keys((l.parameters!.EmailAddresses as object) ?? {})[0]}` : ""}`);

  it("builds a rehearsal world before the list of source users exists, since the list is read from that world", async () => {
    project.writeConfig({ ...base, sourceUsers: "batches/not-written-yet.csv", cloudOnly: [], waves: ["batches/s1.csv"] });
    await rehearsal.reset({ domain: "contoso.com", organization: "contoso.onmicrosoft.com", users: [] });
    const init = await coexistCli(project, rehearsal.stack, "rehearse", ["init", "--force"]);
    expect(init.code === 0 ? "ok" : init.out).toBe("ok");
    expect(rehearsal.world().source.mailboxes.map((m) => m.Alias)).toEqual(["alice", "bob", "carol"]);
  });

  it("refuses pendingGroup without the list of source users, naming the key, and applies nothing; source-users still writes it", async () => {
    const { sourceUsers: _none, ...withoutList } = base;
    project.writeConfig({ ...withoutList, waves: ["batches/s1.csv"] });
    await rehearsal.reset({ domain: "contoso.com", organization: "contoso.onmicrosoft.com", users: USERS, subdomain: "sub.contoso.com", cloudOnly: ["hire"], sourceRelay: true });
    const preview = await rehearsal.run(["preview"]);
    expect(preview.code).not.toBe(0);
    expect(preview.output).toContain("coexist:sourceUsers is required with coexist:routing pendingGroup");
    const list = await coexistCli(project, rehearsal.stack, "sourceUsers");
    expect(list.code === 0 ? list.out.trim().split("\n") : list.out).toEqual(["EmailAddress", ...at(USERS)]);
    expect(writesSince(0)).toEqual([]);
  });

  it("writes the list of source users from the source with a read-only command", async () => {
    project.writeConfig({ ...base, waves: [] });
    const out = await coexistCli(project, rehearsal.stack, "sourceUsers", ["--out", "batches/source-users.csv"]);
    expect(out.code === 0 ? "ok" : out.out).toBe("ok");
    expect(fs.readFileSync(path.join(project.dir, "batches", "source-users.csv"), "utf8").trim().split("\n")).toEqual(["EmailAddress", ...at(USERS)]);
    expect(writesSince(0)).toEqual([]);
  });

  it("reviews wave 1: the group filled in one command, then per user leave the group, the subdomain address, the forward", async () => {
    project.writeConfig({ ...base, waves: ["batches/s1.csv"] });
    const plan = await rehearsal.plan();
    expect(plan).toContain("Update-DistributionGroupMember -Identity 'accounts@contoso.com' -Members @('alice@contoso.com'");
    expect(plan).toContain("New-TransportRule -Name 'Coexistence'");
    expect(plan).toContain("-SentToMemberOf @('accounts@contoso.com')");
    const alice = plan.split("\n").filter((l) => l.includes("'alice@contoso.com'") && !l.includes("Update-DistributionGroupMember"));
    expect(alice.map((l) => l.trim().split(" ")[0])).toEqual(["Remove-DistributionGroupMember", "Set-Mailbox", "Set-Mailbox"]);
    expect(writesSince(0)).toEqual([]);
  });

  it("applies wave 1: everyone else stays in the group, each migrated user left it before the address and the forward", async () => {
    await succeeds(rehearsal.up());
    expect(members()).toEqual(at(["dave", "erin", "frank"]));
    expect(writesSince(0).filter((l) => l.cmdlet === "Update-DistributionGroupMember")).toHaveLength(1);
    expect(writesSince(0).filter((l) => l.cmdlet === "Add-DistributionGroupMember")).toHaveLength(0);
    for (const u of ["alice", "bob", "carol"]) expect(stepsOf(u, 0)).toEqual(["exchange Remove-DistributionGroupMember", "exchange Set-Mailbox Add", "source Set-Mailbox"]);
    const w = rehearsal.world();
    expect(w.tenant.mailboxes.find((m) => m.Alias === "alice")?.EmailAddresses.map((a) => a.toLowerCase().replace(/^smtp:/, ""))).toContain("alice@sub.contoso.com");
    expect(w.source.mailboxes.find((m) => m.Alias === "alice")?.ForwardingSmtpAddress?.replace(/^smtp:/i, "")).toBe("alice@sub.contoso.com");
    expect(group(w)?.Members).not.toContain(HIRE);
    expectMail(["alice", "bob", "carol"]);
  });

  it("applies wave 2 and rolls bob back: his forward off first, then back in the group, then his subdomain address gone", async () => {
    const n = commandLog(rehearsal.stateFile).length;
    project.writeConfig({ ...base, waves: ["batches/s1.csv", "batches/s2.csv"], rollback: ["bob@contoso.com"] });
    await succeeds(rehearsal.up());
    expect(members()).toEqual(at(["bob", "frank"]));
    expect(stepsOf("bob", n)).toEqual(["source Set-Mailbox", "exchange Add-DistributionGroupMember", "exchange Set-Mailbox Remove"]);
    expect(stepsOf("dave", n)).toEqual(["exchange Remove-DistributionGroupMember", "exchange Set-Mailbox Add", "source Set-Mailbox"]);
    expect(rehearsal.world().tenant.mailboxes.find((m) => m.Alias === "bob")?.EmailAddresses.map((a) => a.toLowerCase().replace(/^smtp:/, ""))).not.toContain("bob@sub.contoso.com");
    expectMail(["alice", "carol", "dave", "erin"]);
    // Converged: a second run writes nothing.
    const m = commandLog(rehearsal.stateFile).length;
    await succeeds(rehearsal.up());
    expect(writesSince(m)).toEqual([]);
    // status reads the model: migrated users are forwarded and out of the group, the hire lives in Exchange Online.
    const r = await coexistCli(project, rehearsal.stack, "status", ["--json"]);
    expect(r.code === 0 ? "ok" : r.out).toBe("ok");
    const status = JSON.parse(r.out) as { rows: { user: string; home: string }[]; anomalies: string[]; totals: Record<string, number> };
    expect(status.anomalies).toEqual([]);
    expect(status.rows.find((x) => x.user === HIRE)?.home).toBe("exchange");
    expect(status.totals).toMatchObject({ users: 7, inExchange: 5, atSource: 2 });
  });

  it("refuses to switch a live stack to the other model at preview, naming the key and the live rule", async () => {
    const n = commandLog(rehearsal.stateFile).length;
    project.writeConfig({ ...base, routing: "migratedGroup", waves: ["batches/s1.csv", "batches/s2.csv"], rollback: ["bob@contoso.com"] });
    const preview = await rehearsal.run(["preview"]);
    expect(preview.code).not.toBe(0);
    expect(preview.output).toContain("coexist:routing: the stack is set to migratedGroup, but the live coexistence rule 'Coexistence' is the pendingGroup model's");
    expect(writesSince(n)).toEqual([]);
  });

  it("refuses the cleanup for a user still at the source whom someone took out of the pending group by hand since the last up, naming them, and writes nothing", async () => {
    project.writeConfig({ ...base, waves: ["batches/s1.csv", "batches/s2.csv"], rollback: ["bob@contoso.com"] });
    const n = commandLog(rehearsal.stateFile).length;
    rehearsal.updateWorld((w) => {
      w.mx["contoso.com"] = "exchange";
      group(w)!.Members = group(w)!.Members.filter((m) => m !== "frank@contoso.com");
    });
    expect(members()).toEqual(at(["bob"]));
    const r = await rehearsal.destroy();
    expect(r.code).not.toBe(0);
    expect(r.output).toContain("refusing to clean up: 2 users of contoso.com still live on the source (no forwarding to Exchange Online): bob@contoso.com, frank@contoso.com.");
    expect(writesSince(n)).toEqual([]);
    // Put back as it was, for the cleanup below.
    rehearsal.updateWorld((w) => {
      w.mx["contoso.com"] = "source";
      group(w)!.Members.push("frank@contoso.com");
    });
  });

  it("migrates the last users, then after MX cutover cleans up: rule, connector and group gone, forwards off, mail in Exchange Online", async () => {
    project.writeConfig({ ...base, waves: ["batches/s1.csv", "batches/s2.csv", "batches/last.csv"] });
    await succeeds(rehearsal.up());
    expect(members()).toEqual([]);
    expectMail(USERS);
    const cutover = await coexistCli(project, rehearsal.stack, "rehearse", ["mx-cutover"]);
    expect(cutover.code === 0 ? "ok" : cutover.out).toBe("ok");
    expectMail(USERS);
    await succeeds(rehearsal.destroy());
    const w = rehearsal.world();
    expect(w.tenant.groups).toEqual([]);
    expect(w.tenant.transportRules).toEqual([]);
    expect(w.tenant.outboundConnectors).toEqual([]);
    expect(w.tenant.acceptedDomains.find((d) => d.DomainName === "contoso.com")?.DomainType).toBe("Authoritative");
    expect(w.source.mailboxes.filter((m) => m.ForwardingSmtpAddress)).toEqual([]);
    expect(hireOutcomes().slice(0, 2)).toEqual(["delivered-exchange", "delivered-exchange"]);
    for (const u of USERS) expect(traceMail(w, { to: `${u}@contoso.com`, entry: "internet" }).outcome).toBe("delivered-exchange");
  });
  it("served every session through the runner under test", () => {
    const fronts = sessionFronts(rehearsal.stateFile);
    expect(fronts.length).toBeGreaterThan(0);
    expect(new Set(fronts)).toEqual(new Set([runner]));
  });
});

// "Loop-free at every step", write by write: the simulator's write latch lets one more write
// through at a time, and between two writes every user's mail and the hire's are traced.
describe("seed 1's model, checked after every single write", () => {
  const project = rehearsalProject("pendingsteps");
  const { rehearsal } = project;
  const latch = writeLatch(path.join(project.dir, "hold", "writes"));
  const holding = { faults: { holdWritesWhile: latch.file } };
  const config = {
    ...contosoStack,
    exchange: { ...contosoStack.exchange, ...holding },
    source: { ...contosoStack.source, ...holding },
    routing: "pendingGroup",
    sourceUsers: "batches/steps-users.csv",
    routingTemplate: "{alias}@sub.contoso.com",
    pool: { retryBaseMs: 10, retryMaxMs: 50, retryAttempts: 4 },
  };
  const file = (name: string, lines: string[]) => fs.writeFileSync(path.join(project.dir, "batches", name), lines.join("\n") + "\n");
  file("steps-users.csv", ["EmailAddress", "alice@contoso.com", "bob@contoso.com", "carol@contoso.com"]);
  file("steps.csv", ["EmailAddress", "alice@contoso.com", "bob@contoso.com"]);
  afterAll(() => {
    latch.release();
    project.cleanup();
  });

  /** Runs `pulumi up`, one write at a time, checking every user's and the hire's mail between writes; returns the number of writes. */
  async function upStepByStep(): Promise<number> {
    const { result, writes } = await upWriteByWrite(rehearsal, latch, (k) => {
      const w = rehearsal.world();
      expect({ after: k, undelivered: undelivered(w).map((r) => r.user) }).toEqual({ after: k, undelivered: [] });
      const hire = (["internet", "exchange", "source"] as const).map((entry) => traceMail(w, { to: HIRE, entry }).outcome);
      expect({ after: k, hire }).toEqual({ after: k, hire: ["delivered-exchange", "delivered-exchange", "delivered-exchange"] });
    });
    expect(result.code === 0 ? "ok" : result.output).toBe("ok");
    return writes;
  }

  it("a first wave: no user's mail and not the hire's loops or bounces between any two writes", async () => {
    project.writeConfig({ ...config, waves: ["batches/steps.csv"] });
    await rehearsal.reset({ domain: "contoso.com", organization: "contoso.onmicrosoft.com", users: ["alice", "bob", "carol"], subdomain: "sub.contoso.com", cloudOnly: ["hire"], sourceRelay: true });
    expect(await upStepByStep()).toBeGreaterThanOrEqual(12);
    expect(misrouted(rehearsal.world(), ["alice", "bob"])).toEqual([]);
  });

  it("a rollback: nor between any two writes of it", async () => {
    project.writeConfig({ ...config, waves: ["batches/steps.csv"], rollback: ["bob@contoso.com"] });
    expect(await upStepByStep()).toBe(3);
    expect(misrouted(rehearsal.world(), ["alice"])).toEqual([]);
  });
});
