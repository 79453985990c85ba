import * as fs from "node:fs";
import * as path from "node:path";
import { commandLog, undelivered, userRows, World } from "@coexist/provider/testing";
import { coexistCli } from "../harness/cli";
import { upWriteByWrite, writeLatch } from "../harness/hold";
import { contosoStack, e2eRunners, misrouted, rehearsalProject, sessionFronts } from "../harness/rehearsal";

// A vendor-managed source (seed 2's vendor, no API) end to end through the real CLI: coexist does
// the tenant side and writes a worksheet for the vendor; `rehearse vendor-apply` plays the vendor
// and writes its confirmations. A rollback keeps the user in Migrated Users until the vendor has
// confirmed removing the forward. Mail is checked after every run; nothing ever connects to the source.
const WRITE = /^(Set|New|Remove|Add|Enable|Disable|Update)-/;
const USERS = ["alice", "bob", "carol", "dave"];
const ORG = "contoso.onmicrosoft.com";
const GROUP = "migrated@contoso.com";
const TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/;

describe.each(e2eRunners)("a vendor-managed source through the real CLI (%s)", (runner) => {
  const project = rehearsalProject("vendor", { runner });
  const { rehearsal } = project;
  const base = {
    ...contosoStack,
    source: { ...contosoStack.source, imitates: "vendor" },
    vendor: { name: "HostCo" },
    sourceUsers: "batches/vendor-users.csv",
    pool: { retryBaseMs: 10, retryMaxMs: 50, retryAttempts: 4 },
  };
  const file = (name: string, lines: string[]) => fs.writeFileSync(path.join(project.dir, "batches", name), lines.join("\n") + "\n");
  file("vendor-users.csv", ["EmailAddress", ...USERS.map((u) => `${u}@contoso.com`)]);
  file("v1.csv", ["EmailAddress", "alice@contoso.com", "bob@contoso.com"]);
  file("v2.csv", ["EmailAddress", "carol@contoso.com"]);
  file("v3.csv", ["EmailAddress", "dave@contoso.com"]);
  const worksheet = path.join(project.dir, "worksheets", "vendor.csv");
  const confirmed = path.join(project.dir, "worksheets", "vendor.confirmed.csv");
  afterAll(() => project.cleanup());

  async function succeeds(run: Promise<{ code: number; output: string }>) {
    const r = await run;
    expect(r.code === 0 ? "ok" : r.output).toBe("ok");
    return r.output;
  }
  const rows = () => fs.readFileSync(worksheet, "utf8").trim().split("\n").map((l) => l.split(","));
  const members = () => [...(rehearsal.world().tenant.groups.find((g) => g.PrimarySmtpAddress === GROUP)?.Members ?? [])].sort();
  const roles = () => new Set(commandLog(rehearsal.stateFile).filter((l) => l.cmdlet).map((l) => l.role));
  const vendorApply = async (args: string[] = []) => {
    const r = await coexistCli(project, rehearsal.stack, "rehearse", ["vendor-apply", ...args]);
    expect(r.code === 0 ? "ok" : r.out).toBe("ok");
    return r.out;
  };

  it("applies wave 1: both users join Migrated Users, and the worksheet asks the vendor for their forwards", async () => {
    project.writeConfig({ ...base, waves: ["batches/v1.csv"] });
    await rehearsal.reset({ domain: "contoso.com", organization: ORG, users: USERS, sourceKind: "vendor" });
    // The review shows what the vendor will be asked, beside the cmdlets.
    const plan = await rehearsal.plan();
    expect(plan).toContain(`# worksheet: add alice@contoso.com → alice@${ORG} (written once the cmdlets above succeed)`);
    await succeeds(rehearsal.up());
    expect(members()).toEqual(["alice@contoso.com", "bob@contoso.com"]);
    const [header, ...body] = rows();
    expect(header).toEqual(["Mailbox", "ForwardTo", "Action", "Time"]);
    // Oldest first: alice's and bob's requests may fall in different seconds (see the rollback below).
    expect(body.map((r) => r[3]!)).toEqual(body.map((r) => r[3]!).sort());
    expect(body.map((r) => r.slice(0, 3)).sort()).toEqual([
      ["alice@contoso.com", `alice@${ORG}`, "add"],
      ["bob@contoso.com", `bob@${ORG}`, "add"],
    ]);
    for (const r of body) expect(r[3]).toMatch(TIME);
    // Nothing was ever run at the source; until the vendor applies the rows, mail still reaches the users at the source.
    expect(roles()).toEqual(new Set(["exchange"]));
    expect(undelivered(rehearsal.world())).toEqual([]);
    // A second up adds no row.
    await succeeds(rehearsal.up());
    expect(rows()).toHaveLength(3);
  });

  it("status, while the adds are sent but not confirmed, shows internet mail at the source until HostCo applies them and in Exchange Online after", async () => {
    const r = await coexistCli(project, rehearsal.stack, "status");
    expect(r.code === 0 ? "ok" : r.out).toBe("ok");
    const lines = r.out.split("\n");
    expect(lines[0]).toMatch(/^ {2}Totals: 4 users, 2 migrated, 2 at the source, 0 anomalies, next up would refuse 0, 2 waiting for the vendor$/);
    expect(lines[1]).toMatch(/^ {2}Note: 2 users wait for HostCo to apply a request not confirmed yet/);
    for (const u of ["alice", "bob"]) {
      expect(lines.find((l) => l.startsWith(`  ${u}@contoso.com `))).toMatch(/ add sent \d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z +source, or Exchange Online once applied +Exchange Online +source, or Exchange Online once applied$/);
    }
    // The simulated vendor has applied nothing yet: the first place named is where mail ends today.
    const today = userRows(rehearsal.world()).filter((x) => x.user !== "carol@contoso.com" && x.user !== "dave@contoso.com");
    expect(today.map((x) => [x.user, x.internet, x.source])).toEqual([
      ["alice@contoso.com", "delivered-source", "delivered-source"],
      ["bob@contoso.com", "delivered-source", "delivered-source"],
    ]);
    expect(lines.find((l) => l.startsWith("  carol@contoso.com "))).toMatch(/ - +source +source +source$/);
  });

  it("drops the rows the vendor confirmed from the worksheet on the next up; a partial vendor leaves the rest", async () => {
    await vendorApply(["--only", "1"]);
    const n = commandLog(rehearsal.stateFile).length;
    await succeeds(rehearsal.up());
    expect(rows().slice(1).map((r) => r[0])).toEqual(["bob@contoso.com"]);
    await vendorApply();
    await succeeds(rehearsal.up());
    expect(rows()).toEqual([["Mailbox", "ForwardTo", "Action", "Time"]]);
    expect(commandLog(rehearsal.stateFile).slice(n).filter((l) => l.cmdlet && WRITE.test(l.cmdlet))).toEqual([]);
    expect(fs.readFileSync(confirmed, "utf8").split("\n")[0]).toBe("Mailbox,Action,ConfirmedAt");
    expectMail(["alice", "bob"]);
  });

  function expectMail(inExchange: string[]) {
    expect(undelivered(rehearsal.world())).toEqual([]);
    expect(misrouted(rehearsal.world(), inExchange)).toEqual([]);
  }

  it("rolls bob back and waits: the removal is asked for, bob stays in the group, up warns and status says so", async () => {
    project.writeConfig({ ...base, waves: ["batches/v1.csv", "batches/v2.csv"], rollback: ["bob@contoso.com"] });
    expect(await rehearsal.plan()).toContain(`# worksheet: remove bob@contoso.com → bob@${ORG} (the membership stays until the vendor confirms it)`);
    const out = await succeeds(rehearsal.up());
    expect(out).toContain(`bob@contoso.com: rolled back, waiting for HostCo to remove the forward to bob@${ORG}`);
    expect(members()).toEqual(["alice@contoso.com", "bob@contoso.com", "carol@contoso.com"]);
    // Oldest request first, then by mailbox: bob's removal and carol's add come from one up, in
    // the same second or not (under load, or through runner.ps1, carol's may be a second older).
    const open = rows().slice(1);
    expect(open.map((r) => r[3]!)).toEqual(open.map((r) => r[3]!).sort());
    expect(open.map((r) => r.slice(0, 3)).sort()).toEqual([
      ["bob@contoso.com", `bob@${ORG}`, "remove"],
      ["carol@contoso.com", `carol@${ORG}`, "add"],
    ]);
    const r = await coexistCli(project, rehearsal.stack, "status");
    expect(r.code === 0 ? "ok" : r.out).toBe("ok");
    expect(r.out).toMatch(/bob@contoso\.com .*remove requested \d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z \(waiting\)/);
    expect(r.out).toMatch(/alice@contoso\.com .*add confirmed +Exchange Online +Exchange Online +Exchange Online$/m);
    // Until HostCo removes bob's forward, his mail still reaches Exchange Online.
    expect(r.out).toMatch(/bob@contoso\.com .*\(waiting\) +Exchange Online, or source once applied +Exchange Online +Exchange Online, or source once applied$/m);
    expect(undelivered(rehearsal.world())).toEqual([]);
  });

  it("refuses the cleanup while bob's rollback waits for the vendor: he lives at the source though still in the group", async () => {
    const mx = rehearsal.world().mx["contoso.com"];
    rehearsal.updateWorld((w) => void (w.mx["contoso.com"] = "exchange"));
    try {
      const n = commandLog(rehearsal.stateFile).length;
      const down = await rehearsal.destroy();
      expect(down.code).not.toBe(0);
      expect(down.output).toMatch(/refusing to clean up: \d+ users? of contoso\.com still live on the source[^:]*: [^.]*bob@contoso\.com/);
      expect(commandLog(rehearsal.stateFile).slice(n).filter((l) => l.cmdlet && WRITE.test(l.cmdlet))).toEqual([]);
    } finally {
      rehearsal.updateWorld((w) => void (w.mx["contoso.com"] = mx!));
    }
  });

  it("refuses at preview to drop a user the vendor may still forward from every wave, naming the fix, and applies nothing", async () => {
    const n = commandLog(rehearsal.stateFile).length;
    project.writeConfig({ ...base, waves: ["batches/v1.csv"], rollback: ["bob@contoso.com"] });
    const preview = await rehearsal.run(["preview"]);
    expect(preview.code).not.toBe(0);
    expect(preview.output).toContain(`carol@contoso.com: the worksheet asked HostCo to forward this user to carol@${ORG} (not confirmed yet), but the user is in no wave`);
    expect(preview.output).toContain("list them in coexist:rollback");
    expect(commandLog(rehearsal.stateFile).slice(n).filter((l) => l.cmdlet && WRITE.test(l.cmdlet))).toEqual([]);
  });

  it("lets bob leave the group once the vendor confirmed the removal", async () => {
    project.writeConfig({ ...base, waves: ["batches/v1.csv", "batches/v2.csv"], rollback: ["bob@contoso.com"] });
    await vendorApply();
    const n = commandLog(rehearsal.stateFile).length;
    await succeeds(rehearsal.up());
    expect(members()).toEqual(["alice@contoso.com", "carol@contoso.com"]);
    expect(commandLog(rehearsal.stateFile).slice(n).filter((l) => l.cmdlet && WRITE.test(l.cmdlet)).map((l) => `${l.cmdlet} ${String(l.parameters!.Member)}`)).toEqual(["Remove-DistributionGroupMember bob@contoso.com"]);
    expect(rows()).toEqual([["Mailbox", "ForwardTo", "Action", "Time"]]);
    expectMail(["alice", "carol"]);
  });

  it("cleans up after MX cutover: rules, connector and group gone, the worksheet asks for every forward's removal", async () => {
    // The last wave (bob again, and dave), applied by the vendor, so nobody is left at the source.
    project.writeConfig({ ...base, waves: ["batches/v1.csv", "batches/v2.csv", "batches/v3.csv"] });
    await succeeds(rehearsal.up());
    await vendorApply();
    await succeeds(rehearsal.up());
    expectMail(USERS);
    const cutover = await coexistCli(project, rehearsal.stack, "rehearse", ["mx-cutover"]);
    expect(cutover.code === 0 ? "ok" : cutover.out).toBe("ok");
    await succeeds(rehearsal.destroy());
    const w = rehearsal.world();
    expect(w.tenant.groups).toEqual([]);
    expect(w.tenant.transportRules).toEqual([]);
    expect(rows().slice(1).map((r) => `${r[0]} ${r[2]}`).sort()).toEqual(USERS.map((u) => `${u}@contoso.com remove`));
    expect(roles()).toEqual(new Set(["exchange"]));
  });
  it("served every session through the runner under test", () => {
    const fronts = sessionFronts(rehearsal.stateFile);
    expect(fronts.length).toBeGreaterThan(0);
    expect(new Set(fronts)).toEqual(new Set([runner]));
  });
});

// Loop-free at every step with a person in the loop: one write at a time, every user traced
// between two writes, and at each of those points both with and without the vendor having
// applied what the worksheet asks so far.
describe("a vendor-managed source, checked after every single write", () => {
  const project = rehearsalProject("vendorsteps");
  const { rehearsal } = project;
  const latch = writeLatch(path.join(project.dir, "hold", "writes"));
  const config = {
    ...contosoStack,
    exchange: { ...contosoStack.exchange, faults: { holdWritesWhile: latch.file } },
    source: { ...contosoStack.source, imitates: "vendor" },
    vendor: { name: "HostCo" },
    sourceUsers: "batches/vsteps-users.csv",
    pool: { retryBaseMs: 10, retryMaxMs: 50, retryAttempts: 4 },
  };
  const file = (name: string, lines: string[]) => fs.writeFileSync(path.join(project.dir, "batches", name), lines.join("\n") + "\n");
  file("vsteps-users.csv", ["EmailAddress", "alice@contoso.com", "bob@contoso.com", "carol@contoso.com"]);
  file("vsteps.csv", ["EmailAddress", "alice@contoso.com", "bob@contoso.com"]);
  const worksheet = path.join(project.dir, "worksheets", "vendorsteps.csv");
  afterAll(() => {
    latch.release();
    project.cleanup();
  });

  /** The world as the vendor would leave it if it applied every row of the worksheet now. */
  function ifApplied(w: World): World {
    const copy = JSON.parse(JSON.stringify(w)) as World;
    const rows = fs.existsSync(worksheet) ? fs.readFileSync(worksheet, "utf8").trim().split("\n").slice(1) : [];
    for (const [mailbox, forwardTo, action] of rows.map((l) => l.split(","))) {
      const m = copy.source.mailboxes.find((x) => x.PrimarySmtpAddress === mailbox)!;
      m.ForwardingSmtpAddress = action === "add" ? forwardTo! : null;
    }
    return copy;
  }
  async function upStepByStep(): Promise<number> {
    const { result, writes } = await upWriteByWrite(rehearsal, latch, (k) => {
      const w = rehearsal.world();
      expect({ after: k, undelivered: undelivered(w).map((r) => r.user) }).toEqual({ after: k, undelivered: [] });
      expect({ after: k, ifApplied: undelivered(ifApplied(w)).map((r) => r.user) }).toEqual({ after: k, ifApplied: [] });
    });
    expect(result.code === 0 ? "ok" : result.output).toBe("ok");
    return writes;
  }

  it("a first wave: no user's mail loops or bounces between any two writes, whether or not the vendor has applied the rows yet", async () => {
    project.writeConfig({ ...config, waves: ["batches/vsteps.csv"] });
    await rehearsal.reset({ domain: "contoso.com", organization: ORG, users: ["alice", "bob", "carol"], sourceKind: "vendor" });
    expect(await upStepByStep()).toBeGreaterThanOrEqual(8);
  });

  it("a rollback that waits: nor between any two writes of it, nor of its release once the vendor confirmed", async () => {
    const apply = await coexistCli(project, rehearsal.stack, "rehearse", ["vendor-apply"]);
    expect(apply.code === 0 ? "ok" : apply.out).toBe("ok");
    project.writeConfig({ ...config, waves: ["batches/vsteps.csv"], rollback: ["bob@contoso.com"] });
    // The removal is a worksheet row; the membership stays, and nothing is written to Exchange
    // (the plan is from the live world: bob is already out of the rule's reach).
    const n = commandLog(rehearsal.stateFile).length;
    expect(await upStepByStep()).toBe(0);
    expect(commandLog(rehearsal.stateFile).slice(n).filter((l) => l.cmdlet && WRITE.test(l.cmdlet))).toEqual([]);
    expect(fs.readFileSync(worksheet, "utf8")).toMatch(/bob@contoso\.com,bob@[^,]+,remove,/);
    const confirm = await coexistCli(project, rehearsal.stack, "rehearse", ["vendor-apply"]);
    expect(confirm.code === 0 ? "ok" : confirm.out).toBe("ok");
    expect(await upStepByStep()).toBe(1);
    expect(misrouted(rehearsal.world(), ["alice"])).toEqual([]);
  });
});
