import * as fs from "node:fs";
import * as path from "node:path";
import { commandLog, traceMail, undelivered, World } from "@coexist/provider/testing";
import { coexistCli } from "../harness/cli";
import { upWriteByWrite, writeLatch } from "../harness/hold";
import { contosoStack, e2eRunners, misrouted, rehearsalProject, sessionFronts } from "../harness/rehearsal";

// A Google Workspace source end to end through the real CLI, on the simulated Gmail API: the
// routing subdomain Gmail accepts without a verification mail, each user's forwarding address
// and auto-forwarding set only once they are out of the coexistence rule's reach, drift, a
// pending verification named, rollback and cleanup. Mail is checked after every run, and in the
// last suite after every single write.
const WRITE = /^(Set|New|Remove|Add|Enable|Disable|Update)-/;
const USERS = ["alice", "bob", "carol", "dave"];
const SUB = "o365.contoso.com";
const ORG = "contoso.onmicrosoft.com";
const scenario = { domain: "contoso.com", organization: ORG, users: USERS, subdomain: SUB, sourceKind: "google-workspace" as const };
const googleSource = { ...contosoStack.source, imitates: "google-workspace" };

describe.each(e2eRunners)("a Google Workspace source through the real CLI (%s)", (runner) => {
  const project = rehearsalProject("google", { runner });
  const { rehearsal } = project;
  const base = { ...contosoStack, source: googleSource, routingTemplate: `{alias}@${SUB}`, pool: { retryBaseMs: 10, retryMaxMs: 50, retryAttempts: 4 } };
  const wave = (name: string, aliases: string[]) => fs.writeFileSync(path.join(project.dir, "batches", `${name}.csv`), ["EmailAddress", ...aliases.map((a) => `${a}@contoso.com`)].join("\n") + "\n");
  wave("g1", ["alice", "bob"]);
  wave("g2", ["carol"]);
  wave("glast", ["dave"]);
  afterAll(() => project.cleanup());

  async function succeeds(run: Promise<{ code: number; output: string }>) {
    const r = await run;
    expect(r.code === 0 ? "ok" : r.output).toBe("ok");
    return r.output;
  }
  const writesSince = (n: number) => commandLog(rehearsal.stateFile).slice(n).filter((l) => l.cmdlet && WRITE.test(l.cmdlet));
  /** One user's writes, as `role cmdlet` lines in the order they ran. */
  const stepsOf = (alias: string, from: number) =>
    writesSince(from)
      .filter((l) => JSON.stringify(l.parameters).includes(`"${alias}@contoso.com"`))
      .map((l) => `${l.role} ${l.cmdlet}${l.cmdlet === "Set-Mailbox" ? ` ${Object.keys((l.parameters!.EmailAddresses as object) ?? {})[0]}` : ""}${l.cmdlet === "Update-GSGmailAutoForwardingSettings" ? ` Enabled=${String(l.parameters!.Enabled)}` : ""}`);
  const gmail = (alias: string, w: World = rehearsal.world()) => w.source.mailboxes.find((m) => m.Alias === alias)!;
  const expectMail = (inExchange: string[]) => {
    expect(undelivered(rehearsal.world())).toEqual([]);
    expect(misrouted(rehearsal.world(), inExchange)).toEqual([]);
  };

  it("refuses at preview a routing address Gmail would hold as pending, explaining the routing subdomain, and writes nothing", async () => {
    project.writeConfig({ ...base, routingTemplate: "{alias}@{tenant}", waves: ["batches/g1.csv"] });
    await rehearsal.reset(scenario);
    const preview = await rehearsal.run(["preview"]);
    expect(preview.code).not.toBe(0);
    expect(preview.output).toContain("alice@contoso.com: ");
    expect(preview.output).toContain(`Gmail accepts a forwarding address without a verification click only in the user's own domain (contoso.com), a subdomain of it or a domain alias of the Workspace account, and alice@${ORG} is in none of them`);
    expect(preview.output).toContain("set coexist:routingTemplate '{alias}@o365.{domain}'");
    expect(writesSince(0)).toEqual([]);
  });

  it("applies wave 1: per user the group, the subdomain address, the Gmail forwarding address, then auto-forwarding", async () => {
    project.writeConfig({ ...base, waves: ["batches/g1.csv"] });
    const plan = await rehearsal.plan();
    expect(plan).toContain(`Add-GSGmailForwardingAddress -User 'alice@contoso.com' -ForwardingAddress @('alice@${SUB}')`);
    expect(plan).toContain(`Update-GSGmailAutoForwardingSettings -User 'alice@contoso.com' -Enabled:$true -EmailAddress 'alice@${SUB}' -Disposition 'archive'`);
    await succeeds(rehearsal.up());
    for (const u of ["alice", "bob"]) {
      expect(stepsOf(u, 0)).toEqual(["exchange Add-DistributionGroupMember", "exchange Set-Mailbox Add", "google Add-GSGmailForwardingAddress", "google Update-GSGmailAutoForwardingSettings Enabled=true"]);
    }
    expect(gmail("alice").gmail).toEqual({ forwardingAddresses: [{ forwardingEmail: `alice@${SUB}`, verificationStatus: "accepted" }], autoForwarding: { enabled: true, emailAddress: `alice@${SUB}`, disposition: "archive" } });
    expectMail(["alice", "bob"]);
    // Converged: a second run writes nothing.
    const n = commandLog(rehearsal.stateFile).length;
    await succeeds(rehearsal.up());
    expect(writesSince(n)).toEqual([]);
  });

  it("repairs auto-forwarding turned off by hand on a plain up, with no refresh (issue 24)", async () => {
    rehearsal.updateWorld((w) => {
      const m = w.source.mailboxes.find((x) => x.Alias === "bob")!;
      m.gmail!.autoForwarding.enabled = false;
      m.ForwardingSmtpAddress = null;
    });
    const n = commandLog(rehearsal.stateFile).length;
    await succeeds(rehearsal.up());
    // Only the missing step: the address is there, the membership too.
    expect(stepsOf("bob", n)).toEqual(["google Update-GSGmailAutoForwardingSettings Enabled=true"]);
    expect(gmail("bob").gmail?.autoForwarding.enabled).toBe(true);
    expectMail(["alice", "bob"]);
  });

  it("refuses at preview a routing address Gmail holds as pending verification, naming the user, never as silent drift", async () => {
    const saved = JSON.parse(JSON.stringify(gmail("alice"))) as World["source"]["mailboxes"][number];
    rehearsal.updateWorld((w) => {
      const m = w.source.mailboxes.find((x) => x.Alias === "alice")!;
      m.gmail!.forwardingAddresses[0]!.verificationStatus = "pending";
      m.ForwardingSmtpAddress = null;
    });
    try {
      const n = commandLog(rehearsal.stateFile).length;
      const preview = await rehearsal.run(["preview"]);
      expect(preview.code).not.toBe(0);
      expect(preview.output).toContain(`alice@contoso.com: internet mail would land at the source, where the user does not live: Gmail reports alice@${SUB} as pending verification for alice@contoso.com`);
      expect(writesSince(n)).toEqual([]);
    } finally {
      rehearsal.updateWorld((w) => {
        const i = w.source.mailboxes.findIndex((x) => x.Alias === "alice");
        w.source.mailboxes[i] = saved;
      });
    }
  });

  it("applies wave 2 and rolls bob back: auto-forwarding off, the address removed, then out of the group, then his subdomain address", async () => {
    const n = commandLog(rehearsal.stateFile).length;
    project.writeConfig({ ...base, waves: ["batches/g1.csv", "batches/g2.csv"], rollback: ["bob@contoso.com"] });
    await succeeds(rehearsal.up());
    expect(stepsOf("bob", n)).toEqual(["google Update-GSGmailAutoForwardingSettings Enabled=false", "google Remove-CoexistGmailForwardingAddress", "exchange Remove-DistributionGroupMember", "exchange Set-Mailbox Remove"]);
    expect(gmail("bob").gmail?.forwardingAddresses).toEqual([]);
    expectMail(["alice", "carol"]);
    const r = await coexistCli(project, rehearsal.stack, "status", ["--json"]);
    expect(r.code === 0 ? "ok" : r.out).toBe("ok");
    const status = JSON.parse(r.out) as { anomalies: string[]; totals: Record<string, number>; reads: { count: number } };
    expect(status.anomalies).toEqual([]);
    expect(status.totals).toMatchObject({ users: 4, inExchange: 2, atSource: 2 });
  });

  it("migrates the last users, then after MX cutover cleans up: forwards off and addresses removed, mail in Exchange Online", async () => {
    project.writeConfig({ ...base, waves: ["batches/g1.csv", "batches/g2.csv", "batches/glast.csv"] });
    await succeeds(rehearsal.up());
    expectMail(["alice", "bob", "carol", "dave"]);
    const cutover = await coexistCli(project, rehearsal.stack, "rehearse", ["mx-cutover"]);
    expect(cutover.code === 0 ? "ok" : cutover.out).toBe("ok");
    await succeeds(rehearsal.destroy());
    const w = rehearsal.world();
    expect(w.tenant.groups).toEqual([]);
    expect(w.tenant.transportRules).toEqual([]);
    expect(w.source.mailboxes.filter((m) => m.gmail?.autoForwarding.enabled || (m.gmail?.forwardingAddresses.length ?? 0) > 0)).toEqual([]);
    for (const u of USERS) expect(traceMail(w, { to: `${u}@contoso.com`, entry: "internet" }).outcome).toBe("delivered-exchange");
  });
  it("served every session through the runner under test", () => {
    const fronts = sessionFronts(rehearsal.stateFile);
    expect(fronts.length).toBeGreaterThan(0);
    expect(new Set(fronts)).toEqual(new Set([runner]));
  });
});

// "Loop-free at every step" with Gmail's two-step forward: one write at a time, every user traced between two writes.
describe("a Google Workspace source, checked after every single write", () => {
  const project = rehearsalProject("googlesteps");
  const { rehearsal } = project;
  const latch = writeLatch(path.join(project.dir, "hold", "writes"));
  const holding = { faults: { holdWritesWhile: latch.file } };
  const config = {
    ...contosoStack,
    exchange: { ...contosoStack.exchange, ...holding },
    source: { ...googleSource, ...holding },
    routingTemplate: `{alias}@${SUB}`,
    pool: { retryBaseMs: 10, retryMaxMs: 50, retryAttempts: 4 },
  };
  fs.writeFileSync(path.join(project.dir, "batches", "gsteps.csv"), "EmailAddress\nalice@contoso.com\nbob@contoso.com\n");
  afterAll(() => {
    latch.release();
    project.cleanup();
  });

  async function upStepByStep(): Promise<number> {
    const { result, writes } = await upWriteByWrite(rehearsal, latch, (k) => expect({ after: k, undelivered: undelivered(rehearsal.world()).map((r) => r.user) }).toEqual({ after: k, undelivered: [] }));
    expect(result.code === 0 ? "ok" : result.output).toBe("ok");
    return writes;
  }

  it("a first wave: no user's mail loops or bounces between any two writes", async () => {
    project.writeConfig({ ...config, waves: ["batches/gsteps.csv"] });
    await rehearsal.reset({ domain: "contoso.com", organization: ORG, users: ["alice", "bob", "carol"], subdomain: SUB, sourceKind: "google-workspace" });
    // Six shared writes, then four per user.
    expect(await upStepByStep()).toBeGreaterThanOrEqual(14);
    expect(misrouted(rehearsal.world(), ["alice", "bob"])).toEqual([]);
  });

  it("a rollback: nor between any two writes of it", async () => {
    project.writeConfig({ ...config, waves: ["batches/gsteps.csv"], rollback: ["bob@contoso.com"] });
    expect(await upStepByStep()).toBe(4);
    expect(misrouted(rehearsal.world(), ["alice"])).toEqual([]);
  });
});
