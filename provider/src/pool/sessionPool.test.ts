import * as fs from "node:fs";
import * as path from "node:path";
import * as c from "../exchange/cmdlets";
import { Role } from "../exchange/protocol";
import { AnyTarget, SimulatorTarget } from "../exchange/targets";
import { closeTestPools, commandLog, exchangeFailure, freshWorld, readWorld, simTarget, testPool } from "../testing/simulator";
import { defaultPoolOptions, PoolOptions, SessionPool } from "./sessionPool";

afterEach(() => closeTestPools());

const pool = (role: Role, target: AnyTarget, options: Partial<PoolOptions> = {}): SessionPool => testPool(role, target, options);

const rejection = exchangeFailure;

const GROUP = "Migrated Users";
const CONNECTOR = "Shared Name Space with External Entity TRSC";

describe("the session pool against the simulated tenant", () => {
  it("runs every Exchange Online cmdlet coexist drives, with the effects Exchange has", async () => {
    const { stateFile } = freshWorld();
    const exo = pool("exchange", simTarget(stateFile));
    const run = (cmd: ReturnType<typeof c.GetAcceptedDomain>) => exo.run(cmd);

    await run(c.SetAcceptedDomain({ Identity: "contoso.com", DomainType: "InternalRelay", MatchSubDomains: true }));
    expect(await run(c.GetAcceptedDomain({ Identity: "contoso.com" }))).toMatchObject([{ DomainType: "InternalRelay", MatchSubDomains: true }]);

    await run(c.NewDistributionGroup({ Name: GROUP, PrimarySmtpAddress: "Migrated@contoso.com", ManagedBy: ["admin"] }));
    await run(c.SetDistributionGroup({ Identity: GROUP, HiddenFromAddressListsEnabled: true, BypassSecurityGroupManagerCheck: true }));
    expect(await run(c.GetDistributionGroup({ Identity: "migrated@contoso.com" }))).toMatchObject([
      { Name: GROUP, PrimarySmtpAddress: "migrated@contoso.com", HiddenFromAddressListsEnabled: true, ManagedBy: ["admin"] },
    ]);
    await run(c.AddDistributionGroupMember({ Identity: GROUP, Member: "alice@contoso.com", BypassSecurityGroupManagerCheck: true }));
    await run(c.AddDistributionGroupMember({ Identity: GROUP, Member: "bob@contoso.com", BypassSecurityGroupManagerCheck: true }));
    await run(c.RemoveDistributionGroupMember({ Identity: GROUP, Member: "bob@contoso.com", Confirm: false, BypassSecurityGroupManagerCheck: true }));
    expect(await run(c.GetDistributionGroupMember({ Identity: GROUP, ResultSize: "Unlimited" }))).toEqual([
      expect.objectContaining({ PrimarySmtpAddress: "alice@contoso.com" }),
    ]);

    await run(
      c.NewOutboundConnector({
        Name: CONNECTOR,
        ConnectorType: "Partner",
        IsTransportRuleScoped: true,
        SmartHosts: ["mail.contoso-source.example"],
        UseMXRecord: false,
        Comment: "TransportRule Scoped Connector for shared namespace contoso.com",
      }),
    );
    await run(c.SetOutboundConnector({ Identity: CONNECTOR, SmartHosts: ["mail2.contoso-source.example"] }));
    expect(await run(c.GetOutboundConnector({ Identity: CONNECTOR }))).toMatchObject([{ SmartHosts: ["mail2.contoso-source.example"], Enabled: true }]);

    await run(
      c.NewTransportRule({
        Name: "Coexistence",
        SentToScope: "InOrganization",
        RouteMessageOutboundConnector: CONNECTOR,
        ExceptIfSentToMemberOf: [GROUP],
        SetSCL: -1,
        Mode: "Enforce",
        RuleErrorAction: "Ignore",
        SenderAddressLocation: "Header",
        StopRuleProcessing: false,
      }),
    );
    await run(c.NewTransportRule({ Name: "Inbound from Shared Namespace", SenderIpRanges: ["198.51.100.25"], SetSCL: -1 }));
    await run(c.SetTransportRule({ Identity: "Coexistence", Comments: "Redirect in-org mail to the source except for members of a group" }));
    await run(c.DisableTransportRule({ Identity: "Coexistence", Confirm: false }));
    expect(await run(c.GetTransportRule({ Identity: "Coexistence" }))).toMatchObject([
      { State: "Disabled", Priority: 0, ExceptIfSentToMemberOf: ["migrated@contoso.com"], RouteMessageOutboundConnector: CONNECTOR },
    ]);
    await run(c.EnableTransportRule({ Identity: "Coexistence" }));

    // A connector still referenced by a rule cannot go; rules first, then the connector.
    const refused = await rejection(run(c.RemoveOutboundConnector({ Identity: CONNECTOR, Confirm: false })));
    expect([refused.kind, refused.message]).toEqual(["other", expect.stringContaining("still referencing the specified connector")]);
    await run(c.RemoveTransportRule({ Identity: "Coexistence", Confirm: false }));
    await run(c.RemoveTransportRule({ Identity: "Inbound from Shared Namespace", Confirm: false }));
    await run(c.RemoveOutboundConnector({ Identity: CONNECTOR, Confirm: false }));
    await run(c.RemoveDistributionGroup({ Identity: GROUP, Confirm: false, BypassSecurityGroupManagerCheck: true }));

    const world = readWorld(stateFile);
    expect(world.tenant.transportRules).toEqual([]);
    expect(world.tenant.outboundConnectors).toEqual([]);
    expect(world.tenant.groups).toEqual([]);
    expect(exo.stats.connects).toBe(1); // one warm session served the whole sequence
  });

  it("runs the source cmdlets: forwarding and proxy addresses on a source mailbox", async () => {
    const { stateFile } = freshWorld();
    const source = pool("source", simTarget(stateFile));
    await source.run(
      c.SetMailbox({
        Identity: "alice@contoso.com",
        ForwardingSmtpAddress: "alice@contoso.onmicrosoft.com",
        DeliverToMailboxAndForward: false,
        EmailAddresses: { Add: ["smtp:alice@contoso.onmicrosoft.com"] },
      }),
    );
    expect(await source.run(c.GetMailbox({ Identity: "alice" }))).toMatchObject([
      { ForwardingSmtpAddress: "smtp:alice@contoso.onmicrosoft.com", EmailAddresses: ["SMTP:alice@contoso.com", "smtp:alice@contoso.onmicrosoft.com"] },
    ]);
    await source.run(c.SetMailbox({ Identity: "alice", ForwardingSmtpAddress: null, EmailAddresses: { Remove: ["alice@contoso.onmicrosoft.com"] } }));
    expect(await source.run(c.GetMailbox({ Identity: "alice" }))).toMatchObject([{ ForwardingSmtpAddress: null, EmailAddresses: ["SMTP:alice@contoso.com"] }]);
    // The source runner refuses Exchange Online cmdlets, and vice versa.
    expect((await rejection(source.run(c.GetTransportRule({ Identity: "Coexistence" })))).kind).toBe("invalid-parameter");
  });

  it("reports every error kind the way callers can act on", async () => {
    const { stateFile } = freshWorld();
    const exo = pool("exchange", simTarget(stateFile));
    await exo.run(c.NewDistributionGroup({ Name: GROUP, PrimarySmtpAddress: "migrated@contoso.com", ManagedBy: ["admin"] }));
    await exo.run(c.AddDistributionGroupMember({ Identity: GROUP, Member: "alice", BypassSecurityGroupManagerCheck: true }));

    const notFound = await rejection(exo.run(c.GetOutboundConnector({ Identity: "nope" })));
    expect([notFound.kind, notFound.reason]).toEqual(["not-found", "ManagementObjectNotFoundException"]);
    expect(notFound.message).toMatch(/couldn't be found on/);

    const member = await rejection(exo.run(c.AddDistributionGroupMember({ Identity: GROUP, Member: "alice", BypassSecurityGroupManagerCheck: true })));
    expect([member.kind, member.reason]).toEqual(["already-exists", "MemberAlreadyExistsException"]);

    const proxy = await rejection(exo.run(c.NewDistributionGroup({ Name: "Other", PrimarySmtpAddress: "MIGRATED@contoso.com", ManagedBy: ["admin"] })));
    expect(proxy.kind).toBe("already-exists");

    const relay = await rejection(exo.run(c.SetAcceptedDomain({ Identity: "contoso.com", DomainType: "ExternalRelay" })));
    expect(relay.message).toContain("External relay domains aren't allowed");

    const bound = await rejection(exo.run({ cmdlet: "Set-AcceptedDomain", parameters: { Identity: "contoso.com", DomainType: "Nope" } }));
    expect(bound.kind).toBe("invalid-parameter");

    const owner = await rejection(exo.run(c.RemoveDistributionGroup({ Identity: GROUP, Confirm: false })));
    expect(owner.kind).toBe("auth");

    const scoped = await rejection(
      exo.run(c.NewOutboundConnector({ Name: "x", IsTransportRuleScoped: true, RecipientDomains: ["contoso.com"], SmartHosts: ["a.example.com"], UseMXRecord: false })),
    );
    expect([scoped.kind, scoped.message]).toEqual(["invalid-parameter", expect.stringContaining("RecipientDomains must be specified")]);

    const other = await rejection(exo.run(c.NewTransportRule({ Name: "r", RouteMessageOutboundConnector: "missing" })));
    expect(other.message).toContain("Unable to find outbound connector");

    const throttled = pool("exchange", simTarget(stateFile, { faults: { seed: 1, throttleRate: 1, transientRate: 0, crashRate: 0, hangRate: 0, crashPoint: "after-apply" } }), {
      retry: { attempts: 2, baseMs: 1, maxMs: 2 },
    });
    expect((await rejection(throttled.run(c.GetAcceptedDomain({ Identity: "contoso.com" })))).kind).toBe("throttled");
    const transient = pool("exchange", simTarget(stateFile, { faults: { seed: 1, transientRate: 1, throttleRate: 0, crashRate: 0, hangRate: 0, crashPoint: "after-apply" } }), {
      retry: { attempts: 2, baseMs: 1, maxMs: 2 },
    });
    expect((await rejection(transient.run(c.GetAcceptedDomain({ Identity: "contoso.com" })))).kind).toBe("transient");
  });

  it("retries throttled commands with backoff until the budget allows them", async () => {
    const { stateFile } = freshWorld();
    const exo = pool("exchange", simTarget(stateFile, { throttle: { budget: 3, windowMs: 200 } }), {
      maxSessions: 1,
      retry: { attempts: 10, baseMs: 50, maxMs: 400 },
    });
    const answers = await Promise.all(Array.from({ length: 8 }, () => exo.run(c.GetAcceptedDomain({ Identity: "contoso.com" }))));
    expect(answers).toHaveLength(8);
    expect(exo.stats.retries).toBeGreaterThan(0);
    const throttledInLog = commandLog(stateFile).filter((l) => l.kind === "throttled");
    expect(throttledInLog.length).toBe(exo.stats.retries);
  });

  it("replaces a runner that crashes mid-batch and retries only what is safe to retry", async () => {
    const { stateFile } = freshWorld();
    const crashy = simTarget(stateFile, { faults: { seed: 7, crashAfter: 3, crashPoint: "after-apply", transientRate: 0, throttleRate: 0, crashRate: 0, hangRate: 0 } });
    const exo = pool("exchange", crashy, { maxSessions: 1 });
    // Idempotent writes and reads survive: every runner dies on its third command.
    for (const type of ["InternalRelay", "Authoritative", "InternalRelay", "Authoritative", "InternalRelay"] as const) {
      await exo.run(c.SetAcceptedDomain({ Identity: "contoso.com", DomainType: type }));
    }
    expect(readWorld(stateFile).tenant.acceptedDomains.find((d) => d.Name === "contoso.com")?.DomainType).toBe("InternalRelay");
    expect(exo.stats.replaced).toBeGreaterThanOrEqual(2);

    // A non-idempotent write whose runner dies is reported as an unknown outcome, not retried.
    await exo.run(c.GetAcceptedDomain({ Identity: "contoso.com" }));
    const lost = await rejection(exo.run(c.NewDistributionGroup({ Name: GROUP, PrimarySmtpAddress: "migrated@contoso.com", ManagedBy: ["admin"] })));
    expect([lost.kind, lost.reason]).toEqual(["transient", "OutcomeUnknown"]);
    // It did take effect (the crash came after applying): a re-run must adopt, not duplicate.
    expect(readWorld(stateFile).tenant.groups.map((g) => g.Name)).toEqual([GROUP]);
    expect(commandLog(stateFile).filter((l) => l.cmdlet === "New-DistributionGroup")).toHaveLength(1);
  });

  it("replaces a hung runner after the command timeout", async () => {
    const { stateFile } = freshWorld();
    const hangs = simTarget(stateFile, { faults: { seed: 3, hangAfter: 2, crashPoint: "after-apply", transientRate: 0, throttleRate: 0, crashRate: 0, hangRate: 0 } });
    // Far above what an answered command takes even on a loaded machine (at 300 ms, a slow but
    // answered command counted as hung under a CPU hog), so only the hung ones time out.
    const exo = pool("exchange", hangs, { maxSessions: 1, commandTimeoutMs: 2_500 });
    const started = Date.now();
    // Every runner hangs on its second command: commands 2 and 3 each cost one replacement.
    for (let i = 0; i < 3; i++) await exo.run(c.GetAcceptedDomain({ Identity: "contoso.com" }));
    expect(exo.stats.replaced).toBe(2);
    expect(exo.stats.commands).toBe(3);
    expect(Date.now() - started).toBeGreaterThanOrEqual(2 * 2_500);
  }, 30_000);

  it("gives a bulk command (-Members, -ResultSize Unlimited) the bulk timeout, above Exchange Online's REST timeout, and any other command the plain one", async () => {
    const { stateFile } = freshWorld();
    // Each member named costs 60 ms: an Update of 5 takes 300 ms, past the plain timeout of 100 ms.
    const target = simTarget(stateFile, { latency: { connectMs: 0, cmdletMs: 0, perItemMs: 60 } });
    // The group first, on a pool with the default timeouts: a loaded machine may take over 100 ms for any write.
    await testPool("exchange", simTarget(stateFile)).run(c.NewDistributionGroup({ Name: "Accounts", PrimarySmtpAddress: "accounts@contoso.com", ManagedBy: ["admin"] }));
    const exo = testPool("exchange", target, { commandTimeoutMs: 100, bulkCommandTimeoutMs: 30_000, retry: { attempts: 1, baseMs: 1, maxMs: 1 } });
    const members = ["alice", "bob", "carol", "admin", "alice"].map((a) => (a === "admin" ? "admin@contoso.onmicrosoft.com" : `${a}@contoso.com`));
    await exo.run(c.UpdateDistributionGroupMember({ Identity: "accounts@contoso.com", Members: members, Confirm: false, BypassSecurityGroupManagerCheck: true }));
    expect(readWorld(stateFile).tenant.groups[0]?.Members).toHaveLength(4);
    const slow = testPool("exchange", simTarget(stateFile, { latency: { connectMs: 0, cmdletMs: 300 } }), { commandTimeoutMs: 100, bulkCommandTimeoutMs: 30_000, retry: { attempts: 1, baseMs: 1, maxMs: 1 } });
    expect((await exchangeFailure(slow.run(c.GetAcceptedDomain({ Identity: "contoso.com" })))).message).toMatch(/no answer within 100 ms/);
  });

  it("fails a tenant command past Exchange Online's REST timeout as the REST client does, applying nothing", async () => {
    const { stateFile } = freshWorld();
    const target = simTarget(stateFile, { latency: { connectMs: 0, cmdletMs: 0, perItemMs: 50, restTimeoutMs: 120 } });
    const exo = testPool("exchange", target, { retry: { attempts: 1, baseMs: 1, maxMs: 1 } });
    await exo.run(c.NewDistributionGroup({ Name: "Accounts", PrimarySmtpAddress: "accounts@contoso.com", ManagedBy: ["admin"] }));
    const update = (n: number) => c.UpdateDistributionGroupMember({ Identity: "accounts@contoso.com", Members: ["alice", "bob", "carol"].slice(0, n).map((a) => `${a}@contoso.com`), Confirm: false, BypassSecurityGroupManagerCheck: true });
    const failed = await exchangeFailure(exo.run(update(3)));
    expect(failed).toMatchObject({ kind: "transient", reason: "TaskCanceledException" });
    expect(failed.message).toContain("HttpClient.Timeout of 0 seconds elapsing");
    expect(readWorld(stateFile).tenant.groups[0]?.Members).toEqual([]);
    await exo.run(update(2));
    expect(readWorld(stateFile).tenant.groups[0]?.Members).toEqual(["alice@contoso.com", "bob@contoso.com"]);
  });

  it("closes a session in the middle of a command that never ends, fails what waits for a session, and resolves once the session is given back", async () => {
    const { stateFile } = freshWorld();
    const exo = pool("exchange", simTarget(stateFile, { faults: { hangAfter: 1 } as never }), { maxSessions: 1, commandTimeoutMs: 60_000 });
    const busy = exo.run(c.GetAcceptedDomain({ Identity: "contoso.com" }));
    const waiting = exo.run(c.GetAcceptedDomain({ Identity: "contoso.com" }));
    const outcomes = Promise.allSettled([busy, waiting]);
    for (const deadline = Date.now() + 15_000; !commandLog(stateFile).some((l) => l.fault === "hang"); await new Promise((r) => setTimeout(r, 20))) {
      if (Date.now() > deadline) throw new Error("the command never reached the runner");
    }
    expect(readWorld(stateFile).sessions).toHaveLength(1);
    await exo.close();
    expect(readWorld(stateFile).sessions).toEqual([]);
    const [a, b] = await outcomes;
    expect([a.status, b.status]).toEqual(["rejected", "rejected"]);
    expect((b as PromiseRejectedResult).reason).toEqual(new Error("the session pool is closed"));
  });

  it("serves many concurrent callers through at most maxSessions sessions without losing a write", async () => {
    const users = Array.from({ length: 60 }, (_, i) => `user${i}`);
    const { stateFile } = freshWorld({ domain: "contoso.com", organization: "contoso.onmicrosoft.com", users });
    const setup = pool("exchange", simTarget(stateFile), { maxSessions: 1 });
    await setup.run(c.NewDistributionGroup({ Name: GROUP, PrimarySmtpAddress: "migrated@contoso.com", ManagedBy: ["admin"] }));
    await setup.close();

    // Every write waits at the simulator's latch until three are waiting, one per session: on a
    // loaded machine the first sessions could otherwise drain the queue before the third one
    // connects (the count of sessions would then measure the machine, not the pool).
    const latch = path.join(path.dirname(stateFile), "hold");
    fs.writeFileSync(latch, "0");
    const exo = pool("exchange", simTarget(stateFile, { latency: { connectMs: 20, cmdletMs: 5 }, faults: { holdWritesWhile: latch } }), { maxSessions: 3 });
    const all = Promise.all(
      users.map((u) => exo.run(c.AddDistributionGroupMember({ Identity: GROUP, Member: `${u}@contoso.com`, BypassSecurityGroupManagerCheck: true }))),
    );
    const held = () => (fs.existsSync(`${latch}.held`) ? fs.readFileSync(`${latch}.held`, "utf8").split("\n").filter((l) => l !== "").length : 0);
    while (held() < 3) await new Promise((r) => setTimeout(r, 20));
    fs.rmSync(latch);
    await all;
    expect(exo.stats.connects).toBe(3);
    expect(new Set(commandLog(stateFile).filter((l) => l.cmdlet === "Add-DistributionGroupMember").map((l) => l.session)).size).toBe(3);
    expect(readWorld(stateFile).tenant.groups[0]?.Members.sort()).toEqual(users.map((u) => `${u}@contoso.com`).sort());
  });

  it("shares the sessions it has when Exchange refuses more connections", async () => {
    const { stateFile } = freshWorld();
    // The simulator caps sessions for the source only: a Remote PowerShell runspace quota.
    const target: SimulatorTarget = simTarget(stateFile, { maxSessions: 2 });
    const source = pool("source", target, { maxSessions: 5 });
    const answers = await Promise.all(Array.from({ length: 20 }, () => source.run(c.GetMailbox({ Identity: "alice" }))));
    expect(answers).toHaveLength(20);
    expect(source.size).toBeGreaterThanOrEqual(1);
    expect(source.size).toBeLessThanOrEqual(2);
  });

  it("refuses a cmdlet off the allow-list before anything reaches a runner", async () => {
    const { stateFile } = freshWorld();
    const exo = pool("exchange", simTarget(stateFile));
    const refused = await rejection(exo.run({ cmdlet: "Remove-Mailbox", parameters: { Identity: "alice" } }));
    expect(refused.reason).toBe("CommandNotFoundException");
    expect(commandLog(stateFile)).toEqual([]);
    expect(exo.stats.connects).toBe(0);
  });

  it("fails at once, with no retries, when the runner's executable does not exist", async () => {
    const target: AnyTarget = { kind: "exchange-onprem", connectionUri: "https://ex01.contoso.com/PowerShell/", authentication: "Kerberos", username: "svc", password: "not-in-any-message" };
    // Today's default backoff (2 s doubling, six attempts) would take about a minute.
    const source = pool("source", target, { launch: { command: "/nonexistent/pwsh", args: [] }, retry: defaultPoolOptions.retry });
    const t0 = Date.now();
    const refused = await rejection(source.run(c.GetMailbox({ Identity: "alice" })));
    expect(Date.now() - t0).toBeLessThan(2_000);
    expect(refused.reason).toBe("RunnerNotFound");
    expect(refused.message).toMatch(/\/nonexistent\/pwsh was not found .*install PowerShell 7\.6/);
    expect(source.stats).toMatchObject({ connects: 0, retries: 0 });
  });

  it("never lets a secret through in an error message", async () => {
    const password = "S3cr3t-P@ss!";
    // A stand-in runner that fails the connect by echoing the password, as a careless module might.
    const echo = `
      const rl = require("readline").createInterface({ input: process.stdin });
      console.log(JSON.stringify({ type: "hello", runner: "echo", protocol: 1 }));
      rl.on("line", (l) => { const r = JSON.parse(l);
        console.log(JSON.stringify({ id: r.id, ok: false, error: { kind: "auth", message: "logon failed for secret " + r.target.password } })); });`;
    const target: AnyTarget = { kind: "exchange-onprem", connectionUri: "http://ex01.contoso.com/PowerShell/", authentication: "Kerberos", username: "svc", password };
    const lines: string[] = [];
    const source = pool("source", target, { launch: { command: process.execPath, args: ["-e", echo] }, retry: { attempts: 1, baseMs: 1, maxMs: 1 }, debug: (l) => lines.push(l) });
    const refused = await rejection(source.run(c.GetMailbox({ Identity: "alice" })));
    expect(refused.kind).toBe("auth");
    expect(refused.message).toContain("logon failed for secret ***");
    expect(refused.message).not.toContain(password);
    expect(lines.join("\n")).not.toContain(password);
  });
});
