import { traceMail } from "@coexist/provider";
import { commandLog, freshWorld, readWorld } from "@coexist/provider/testing";
import { throwawayProject, ThrowawayProject } from "../harness/pulumi";
import { e2eRunners, runnerPs1Env, sessionFronts } from "../harness/rehearsal";

// Seed 2's recipe with every coexist resource, driven by a little config: which smart hosts,
// which users are migrated.
const program = `
const pulumi = require("@pulumi/pulumi");
const c = require("@coexist/provider");
const cfg = new pulumi.Config();
// Declared after an await, as the coexist program does: resource stack traces (kept in state)
// then hold the program's own frames, not the SDK's start-up frames.
module.exports = (async () => {
await Promise.resolve();
const domain = "contoso.com";
const relay = new c.AcceptedDomainRelay("domain", { domain });
const group = new c.MigratedUsersGroup("group", { name: "Migrated Users", primarySmtpAddress: "Migrated@contoso.com", managedBy: ["admin"] });
const connector = new c.PartnerConnector("connector", {
  name: "Shared Name Space with External Entity TRSC",
  smartHosts: cfg.requireObject("smartHosts"),
  comment: "TransportRule Scoped Connector for shared namespace contoso.com",
});
// Names are plain values from config, so dependencies are explicit (and state stays small).
new c.CoexistenceRule("coexistence", { name: "Coexistence", connector: "Shared Name Space with External Entity TRSC", exceptMembersOf: "migrated@contoso.com" }, { dependsOn: [connector, group] });
new c.SourceBypassRule("inbound", { name: "Inbound from Shared Namespace", senderIpRanges: ["198.51.100.25"] });
// Every user in one resource with this run's plan (the coexist program works the steps out from
// the live tenant and source; here the test gives them).
const users = {};
for (const alias of cfg.requireObject("migrated")) users[alias + "@contoso.com"] = { forwardTo: alias + "@contoso.onmicrosoft.com", action: "migrate" };
for (const alias of cfg.getObject("rolledBack") ?? []) users[alias + "@contoso.com"] = { forwardTo: alias + "@contoso.onmicrosoft.com", action: "rollback" };
new c.MigratedMailboxes("users", { domain, group: "migrated@contoso.com", users, steps: cfg.getObject("steps") ?? {} }, { dependsOn: [group] });
return {};
})();
`;

const WRITE = /^(Set|New|Remove|Add|Enable|Disable)-/;

describe.each(e2eRunners)("coexistence resources through the real CLI (%s)", (runner) => {
  let project: ThrowawayProject;
  const sim = freshWorld();
  afterAll(() => project?.cleanup());

  const since = (n: number) => commandLog(sim.stateFile).slice(n).filter((l) => l.cmdlet);
  const where = (to: string, entry: "internet" | "exchange" | "source") => traceMail(readWorld(sim.stateFile), { to, entry }).outcome;

  it("creates every object with seed 2's values, and mail for migrated users lands in Exchange Online", async () => {
    const target = JSON.stringify({ kind: "simulator", stateFile: sim.stateFile });
    project = await throwawayProject("coexist", { "index.js": program }, {
      exchange: { value: target },
      source: { value: target },
      domain: { value: "contoso.com" },
      smartHosts: { value: JSON.stringify(["mail.contoso-source.example"]) },
      migrated: { value: JSON.stringify(["alice", "bob"]) },
      steps: { value: JSON.stringify({ "alice@contoso.com": ["takeOver", "forward"], "bob@contoso.com": ["takeOver", "forward"] }) },
    }, runner === "runner.ps1" ? runnerPs1Env() : {});
    const up = await project.stack.up();
    expect(up.summary.result).toBe("succeeded");

    const w = readWorld(sim.stateFile);
    expect(w.tenant.acceptedDomains.find((d) => d.Name === "contoso.com")).toMatchObject({ DomainType: "InternalRelay", MatchSubDomains: false });
    expect(w.tenant.groups).toEqual([expect.objectContaining({ Name: "Migrated Users", PrimarySmtpAddress: "migrated@contoso.com", ManagedBy: ["admin"] })]);
    expect(w.tenant.groups[0]?.Members.sort()).toEqual(["alice@contoso.com", "bob@contoso.com"]);
    expect(w.tenant.outboundConnectors).toEqual([
      expect.objectContaining({ Name: "Shared Name Space with External Entity TRSC", ConnectorType: "Partner", IsTransportRuleScoped: true, UseMXRecord: false, SmartHosts: ["mail.contoso-source.example"], Enabled: true }),
    ]);
    const rule = w.tenant.transportRules.find((r) => r.Name === "Coexistence");
    expect(rule).toMatchObject({
      SentToScope: "InOrganization",
      RouteMessageOutboundConnector: "Shared Name Space with External Entity TRSC",
      ExceptIfSentToMemberOf: ["migrated@contoso.com"],
      SetSCL: -1,
      Mode: "Enforce",
      RuleErrorAction: "Ignore",
      SenderAddressLocation: "Header",
      StopRuleProcessing: false,
      State: "Enabled",
    });
    expect(w.tenant.transportRules.find((r) => r.Name === "Inbound from Shared Namespace")).toMatchObject({ SenderIpRanges: ["198.51.100.25"], SetSCL: -1 });
    expect(w.source.mailboxes.find((m) => m.Alias === "alice")?.ForwardingSmtpAddress).toBe("alice@contoso.onmicrosoft.com");
    expect(w.source.mailboxes.find((m) => m.Alias === "carol")?.ForwardingSmtpAddress).toBeNull();

    for (const entry of ["internet", "exchange", "source"] as const) {
      expect(where("alice@contoso.com", entry)).toBe("delivered-exchange");
      expect(where("bob@contoso.com", entry)).toBe("delivered-exchange");
      expect(where("carol@contoso.com", entry)).toBe("delivered-source");
    }
    // The per-user order: group membership before forwarding.
    const aliceSteps = commandLog(sim.stateFile).filter((l) => JSON.stringify(l.parameters ?? {}).includes("alice@contoso.com") && l.cmdlet && WRITE.test(l.cmdlet));
    expect(aliceSteps.map((l) => l.cmdlet)).toEqual(["Add-DistributionGroupMember", "Set-Mailbox"]);
  });

  it("changes nothing, and writes nothing, on a second up with no steps planned", async () => {
    await project.stack.setConfig("steps", { value: "{}" });
    const before = commandLog(sim.stateFile).length;
    const up = await project.stack.up();
    expect(up.summary.resourceChanges).toEqual({ same: 6 + 1 }); // 6 resources and the stack
    expect(since(before).filter((l) => WRITE.test(l.cmdlet!))).toEqual([]);
  });

  it("updates the connector in place when the smart hosts change", async () => {
    const guid = readWorld(sim.stateFile).tenant.outboundConnectors[0]!.Guid;
    const before = commandLog(sim.stateFile).length;
    await project.stack.setConfig("smartHosts", { value: JSON.stringify(["mail.contoso-source.example", "198.51.100.26"]) });
    const up = await project.stack.up();
    expect(up.summary.resourceChanges).toMatchObject({ update: 1 });
    const [connector] = readWorld(sim.stateFile).tenant.outboundConnectors;
    expect(connector).toMatchObject({ Guid: guid, SmartHosts: ["mail.contoso-source.example", "198.51.100.26"] });
    expect(since(before).filter((l) => WRITE.test(l.cmdlet!)).map((l) => l.cmdlet)).toEqual(["Set-OutboundConnector"]);
  });

  it("shows an out-of-band change of a shared object as drift on refresh; the users' repair is a planned step", async () => {
    // Someone disables the coexistence rule and turns off alice's forwarding by hand.
    sim.store.update((w) => {
      w.tenant.transportRules.find((r) => r.Name === "Coexistence")!.State = "Disabled";
      w.source.mailboxes.find((m) => m.Alias === "alice")!.ForwardingSmtpAddress = null;
    });
    const refresh = await project.stack.refresh();
    // The users' resource reads nothing on refresh: every run plans them from what is live.
    expect(refresh.summary.resourceChanges).toMatchObject({ update: 1 });
    await project.stack.setConfig("steps", { value: JSON.stringify({ "alice@contoso.com": ["forward"] }) });
    const before = commandLog(sim.stateFile).length;
    await project.stack.up();
    const w = readWorld(sim.stateFile);
    expect(w.tenant.transportRules.find((r) => r.Name === "Coexistence")?.State).toBe("Enabled");
    expect(w.source.mailboxes.find((m) => m.Alias === "alice")?.ForwardingSmtpAddress).toBe("alice@contoso.onmicrosoft.com");
    expect(since(before).filter((l) => WRITE.test(l.cmdlet!) && l.cmdlet !== "Set-TransportRule" && l.cmdlet !== "Enable-TransportRule").map((l) => `${l.cmdlet} ${String(l.parameters?.Identity)}`)).toEqual(["Set-Mailbox alice@contoso.com"]);
    await project.stack.setConfig("steps", { value: "{}" });
  });

  it("keeps every resource's state entry under 2 KB", async () => {
    const state = await project.stack.exportStack();
    const dynamic = state.deployment.resources.filter((r: { type: string }) => r.type.startsWith("pulumi-nodejs:dynamic:"));
    expect(dynamic).toHaveLength(6);
    const sizes = dynamic.map((r: { urn: string }) => ({ urn: r.urn.split("::").pop(), bytes: JSON.stringify(r).length }));
    if (process.env.COEXIST_SHOW_STATE) console.log(JSON.stringify(dynamic.find((r: { urn: string }) => r.urn.endsWith("::coexistence"))));
    expect(sizes.filter((s: { urn: string; bytes: number }) => s.urn !== "users" && s.bytes >= 2048)).toEqual([]);
    // The users' resource grows with its users, at most 300 bytes each (issue 24): what the entry
    // holds beyond the same entry with no users, per user.
    const users = dynamic.find((r: { urn: string }) => r.urn.endsWith("::users"));
    const empty = JSON.parse(JSON.stringify(users));
    // The users travel and stay packed, a JSON string of rows (migratedMailboxes/packed.ts).
    empty.inputs.users = "[]";
    empty.outputs.users = "[]";
    const perUser = (JSON.stringify(users).length - JSON.stringify(empty).length) / (JSON.parse(users.outputs.users as string) as unknown[]).length;
    expect(perUser).toBeLessThanOrEqual(300);
    expect(JSON.stringify(empty).length).toBeLessThan(2048);
  });

  it("rolls a user back in the loop-free order: forwarding off, then out of the group", async () => {
    const before = commandLog(sim.stateFile).length;
    await project.stack.setConfig("migrated", { value: JSON.stringify(["alice"]) });
    await project.stack.setConfig("rolledBack", { value: JSON.stringify(["bob"]) });
    await project.stack.setConfig("steps", { value: JSON.stringify({ "bob@contoso.com": ["unforward", "handBack"] }) });
    await project.stack.up();
    await project.stack.setConfig("steps", { value: "{}" });
    expect(since(before).filter((l) => WRITE.test(l.cmdlet!)).map((l) => l.cmdlet)).toEqual(["Set-Mailbox", "Remove-DistributionGroupMember"]);
    for (const entry of ["internet", "exchange", "source"] as const) expect(where("bob@contoso.com", entry)).toBe("delivered-source");
  });

  it("cleans up on destroy: rules, connector, group and forwarding gone, the domain Authoritative again", async () => {
    const coexistenceGuid = readWorld(sim.stateFile).tenant.transportRules.find((r) => r.Name === "Coexistence")?.Guid;
    // Cleanup is refused while MX still points at the source, and nothing is touched.
    const before = commandLog(sim.stateFile).length;
    await expect(project.stack.destroy()).rejects.toThrow(/refusing to clean up: the MX of contoso.com points at/);
    expect(since(before).filter((l) => WRITE.test(l.cmdlet!))).toEqual([]);
    sim.store.update((w) => void (w.mx["contoso.com"] = "exchange"));
    // bob (rolled back) and carol (never migrated) still live on the source: refused too.
    const atMx = commandLog(sim.stateFile).length;
    await expect(project.stack.destroy()).rejects.toThrow(/refusing to clean up: 2 users of contoso.com still live on the source \(no forwarding to Exchange Online\): bob@contoso.com, carol@contoso.com\./);
    expect(since(atMx).filter((l) => WRITE.test(l.cmdlet!))).toEqual([]);
    // Accepted deliberately; an up records the setting for the destroy's provider.
    await project.stack.setConfig("acknowledge", { value: JSON.stringify(["bob@contoso.com", "carol@contoso.com"]) });
    await project.stack.up();
    await project.stack.destroy();
    const w = readWorld(sim.stateFile);
    expect(w.tenant.transportRules).toEqual([]);
    expect(w.tenant.outboundConnectors).toEqual([]);
    expect(w.tenant.groups).toEqual([]);
    expect(w.tenant.acceptedDomains.find((d) => d.Name === "contoso.com")).toMatchObject({ DomainType: "Authoritative", MatchSubDomains: false });
    expect(w.source.mailboxes.every((m) => m.ForwardingSmtpAddress === null)).toBe(true);
    // Rules go before the connector they reference (Exchange would refuse otherwise).
    const log = commandLog(sim.stateFile);
    const connectorRemoved = log.findIndex((l) => l.cmdlet === "Remove-OutboundConnector");
    const ruleRemoved = log.findIndex((l) => l.cmdlet === "Remove-TransportRule" && l.parameters?.Identity === coexistenceGuid);
    expect(log[connectorRemoved]?.ok).toBe(true); // first time: nothing referenced it any more
    expect(ruleRemoved).toBeGreaterThanOrEqual(0);
    expect(ruleRemoved).toBeLessThan(connectorRemoved);
    // After MX cutover and cleanup, mail for the migrated user lands in Exchange Online directly.
    expect(where("alice@contoso.com", "internet")).toBe("delivered-exchange");
  });

  it("served every session through the runner under test", () => {
    const fronts = sessionFronts(sim.stateFile);
    expect(fronts.length).toBeGreaterThan(0);
    expect(new Set(fronts)).toEqual(new Set([runner]));
  });
});
