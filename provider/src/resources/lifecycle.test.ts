import * as c from "../exchange/cmdlets";
import { ExchangeError } from "../exchange/errors";
import { closeAllPools } from "../pool/registry";
import { commandLog, freshWorld, readWorld, simTarget } from "../testing/simulator";
import { ProviderConfig } from "../config/provider";
import { contextFrom } from "./context";
import { check, diff } from "./definition";
import { definitions } from "./handlers";
import { MigratedMailboxesInputs } from "./migratedMailboxes/migratedMailboxes";
import { readKeptForwards } from "./migratedMailboxes/keptForwards";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

// The resource lifecycles called directly against the simulated tenant (the e2e tests drive the
// same code through the real CLI).
function setup() {
  const sim = freshWorld();
  const target = simTarget(sim.stateFile);
  const ctx = contextFrom(
    ProviderConfig.parse({
      exchange: target,
      source: target,
      pool: { maxSessions: 2, commandTimeoutSeconds: 5, connectTimeoutSeconds: 5, retryAttempts: 2, retryBaseMs: 1, retryMaxMs: 2 },
    }),
  );
  return { sim, ctx };
}
afterEach(() => closeAllPools());

const connectorInputs = { name: "Shared Name Space with External Entity TRSC", smartHosts: ["mail.contoso-source.example"], tlsSettings: null, tlsDomain: null, comment: "" };

describe("resource lifecycles", () => {
  it("adopts an identical connector left by an interrupted run instead of failing or duplicating it", async () => {
    const { sim, ctx } = setup();
    await ctx.exchange.run(
      c.NewOutboundConnector({ Name: connectorInputs.name, IsTransportRuleScoped: true, SmartHosts: connectorInputs.smartHosts, UseMXRecord: false }),
    );
    const { id, outs } = await definitions.partnerConnector.create(ctx, connectorInputs);
    expect(id).toBe(readWorld(sim.stateFile).tenant.outboundConnectors[0]?.Guid);
    expect(outs.smartHosts).toEqual(connectorInputs.smartHosts);
    expect(readWorld(sim.stateFile).tenant.outboundConnectors).toHaveLength(1);
  });

  it("refuses to adopt a conflicting connector and says what differs", async () => {
    const { ctx } = setup();
    await ctx.exchange.run(c.NewOutboundConnector({ Name: connectorInputs.name, IsTransportRuleScoped: true, SmartHosts: ["other.example.net"], UseMXRecord: false }));
    await expect(definitions.partnerConnector.create(ctx, connectorInputs)).rejects.toThrow(/already exists in Exchange with different settings \(smart hosts are other\.example\.net\)/);
  });

  const bypassInputs = { name: "Inbound from Shared Namespace", senderIpRanges: ["198.51.100.25"], comments: "", enabled: true };
  const liveBypassRule = async (sim: ReturnType<typeof setup>["sim"], ctx: ReturnType<typeof setup>["ctx"], setScl: number | string) => {
    await ctx.exchange.run(c.NewTransportRule({ Name: bypassInputs.name, SenderIpRanges: bypassInputs.senderIpRanges, SetSCL: -1, Mode: "Enforce" }));
    // As Exchange may print it: SclValue's text, not a number.
    sim.store.update((w) => void ((w.tenant.transportRules[0] as { SetSCL: unknown }).SetSCL = setScl));
  };

  it("adopts a live source-bypass rule whose SetSCL reads back as the string '-1' without an update", async () => {
    const { sim, ctx } = setup();
    await liveBypassRule(sim, ctx, "-1");
    const { id } = await definitions.sourceBypassRule.create(ctx, bypassInputs);
    expect(id).toBe(readWorld(sim.stateFile).tenant.transportRules[0]?.Guid);
    expect(commandLog(sim.stateFile).map((l) => l.cmdlet)).not.toContain("Set-TransportRule");
    expect(readWorld(sim.stateFile).tenant.transportRules).toHaveLength(1);
  });

  it("refuses to adopt a same-named rule that sets another SCL, and says so", async () => {
    const { sim, ctx } = setup();
    await liveBypassRule(sim, ctx, "5");
    await expect(definitions.sourceBypassRule.create(ctx, bypassInputs)).rejects.toThrow(/SetSCL is "5"/);
  });

  it("treats only not-found as gone: a throttled read is an error, never a deletion", async () => {
    const { sim, ctx } = setup();
    const { id, outs } = await definitions.partnerConnector.create(ctx, connectorInputs);
    const throttledCtx = contextFrom(
      ProviderConfig.parse({
        exchange: simTarget(sim.stateFile, { faults: { seed: 1, throttleRate: 1, transientRate: 0, crashRate: 0, hangRate: 0, crashPoint: "after-apply" } }),
        source: simTarget(sim.stateFile),
        pool: { maxSessions: 1, commandTimeoutSeconds: 5, connectTimeoutSeconds: 5, retryAttempts: 2, retryBaseMs: 1, retryMaxMs: 2 },
      }),
    );
    await expect(definitions.partnerConnector.read(throttledCtx, id, outs)).rejects.toBeInstanceOf(ExchangeError);
    sim.store.update((w) => void (w.tenant.outboundConnectors = []));
    expect(await definitions.partnerConnector.read(ctx, id, outs)).toBeUndefined();
  });

  it("joins the group before forwarding, and converges when an earlier run stopped in between", async () => {
    const { sim, ctx } = setup();
    await definitions.migratedUsersGroup.create(ctx, { name: "Migrated Users", primarySmtpAddress: "migrated@contoso.com", managedBy: ["admin"], hiddenFromAddressLists: true });
    // An interrupted run: alice joined, forwarding never set.
    await ctx.exchange.run(c.AddDistributionGroupMember({ Identity: "migrated@contoso.com", Member: "alice@contoso.com", BypassSecurityGroupManagerCheck: true }));
    // The plan of a run before the interrupted one (both steps): the join is done already, and is no error.
    const inputs = MigratedMailboxesInputs.parse({
      domain: "contoso.com",
      group: "migrated@contoso.com",
      users: { "alice@contoso.com": { forwardTo: "alice@contoso.onmicrosoft.com", action: "migrate" } },
      steps: { "alice@contoso.com": ["takeOver", "forward"] },
    });
    const { outs } = await definitions.migratedMailboxes.create(ctx, inputs);
    expect(outs).not.toHaveProperty("steps");
    const w = readWorld(sim.stateFile);
    expect(w.tenant.groups[0]?.Members).toEqual(["alice@contoso.com"]);
    expect(w.source.mailboxes.find((m) => m.Alias === "alice")?.ForwardingSmtpAddress).toBe("alice@contoso.onmicrosoft.com");
  });

  it("rolls back a user whose saved ForwardingAddress names a recipient deleted since: the forward goes off without it, recorded, never left on (issue 26)", async () => {
    const { sim, ctx } = setup();
    await definitions.migratedUsersGroup.create(ctx, { name: "Migrated Users", primarySmtpAddress: "migrated@contoso.com", managedBy: ["admin"], hiddenFromAddressLists: true });
    sim.store.update((w) => void (w.source.mailboxes.find((m) => m.Alias === "alice")!.ForwardingAddress = "bob"));
    // The program hands over the forward the gate proved (kept: the ForwardingAddress the forward clears).
    const keptFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "coexist-kept-")), "forwards", "dev.json");
    const kept = { "alice@contoso.com": { kind: "exchange", forwardingAddress: "bob", forwardingSmtpAddress: null, deliverToMailboxAndForward: false } };
    const base = { domain: "contoso.com", group: "migrated@contoso.com", clearForwardingAddress: true, keptFile, kept };
    const alice = (action: string) => ({ "alice@contoso.com": { forwardTo: "alice@contoso.onmicrosoft.com", action } });
    const { outs } = await definitions.migratedMailboxes.create(ctx, MigratedMailboxesInputs.parse({ ...base, users: alice("migrate"), steps: { "alice@contoso.com": ["takeOver", "forward"] } }));
    expect(readKeptForwards(keptFile).get("alice@contoso.com")).toMatchObject({ forwardingAddress: "bob" });
    // bob leaves the company: his mailbox goes, and Set-Mailbox -ForwardingAddress bob now finds no object.
    sim.store.update((w) => void (w.source.mailboxes = w.source.mailboxes.filter((m) => m.Alias !== "bob")));
    const back = await definitions.migratedMailboxes.update(ctx, "users", outs, MigratedMailboxesInputs.parse({ ...base, users: alice("rollback"), steps: { "alice@contoso.com": ["unforward", "handBack"] } }));
    expect(back.notRestored).toEqual({ "alice@contoso.com": "bob" });
    expect(readKeptForwards(keptFile).size).toBe(0);
    const w = readWorld(sim.stateFile);
    // Not forwarded, and only then back in the rule's reach: her mail stays at the source, no loop.
    expect(w.source.mailboxes.find((m) => m.Alias === "alice")).toMatchObject({ ForwardingSmtpAddress: null, ForwardingAddress: null });
    expect(w.tenant.groups[0]?.Members).toEqual([]);
  });

  it("keeps a ForwardingAddress set at the source after the gate's read: the forward clears it, so it is kept to put back", async () => {
    const { sim, ctx } = setup();
    await definitions.migratedUsersGroup.create(ctx, { name: "Migrated Users", primarySmtpAddress: "migrated@contoso.com", managedBy: ["admin"], hiddenFromAddressLists: true });
    sim.store.update((w) => void (w.source.mailboxes.find((m) => m.Alias === "alice")!.ForwardingAddress = "bob"));
    const keptFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "coexist-kept-")), "forwards", "dev.json");
    // The program's plan knew of no forward to keep (kept: {}).
    const inputs = { domain: "contoso.com", group: "migrated@contoso.com", clearForwardingAddress: true, keptFile, users: { "alice@contoso.com": { forwardTo: "alice@contoso.onmicrosoft.com", action: "migrate" } }, steps: { "alice@contoso.com": ["takeOver", "forward"] } };
    await definitions.migratedMailboxes.create(ctx, MigratedMailboxesInputs.parse(inputs));
    expect(readWorld(sim.stateFile).source.mailboxes.find((m) => m.Alias === "alice")?.ForwardingAddress).toBeNull();
    expect(readKeptForwards(keptFile).get("alice@contoso.com")).toEqual({ kind: "exchange", forwardingAddress: "bob", forwardingSmtpAddress: null, deliverToMailboxAndForward: false });
  });

  it("records the domain type it found and makes the domain Authoritative again on delete", async () => {
    const { sim, ctx } = setup();
    const { id, outs } = await definitions.acceptedDomainRelay.create(ctx, { domain: "contoso.com", matchSubDomains: true });
    expect(outs.originalDomainType).toBe("Authoritative");
    expect(readWorld(sim.stateFile).tenant.acceptedDomains.find((d) => d.Name === "contoso.com")).toMatchObject({ DomainType: "InternalRelay", MatchSubDomains: true });
    await definitions.acceptedDomainRelay.delete(ctx, id, outs);
    expect(readWorld(sim.stateFile).tenant.acceptedDomains.find((d) => d.Name === "contoso.com")).toMatchObject({ DomainType: "Authoritative", MatchSubDomains: false });
  });

  it("reports every invalid input by property at check time", () => {
    const result = check(definitions.partnerConnector as never, { smartHosts: ["not a host!"], name: "x".repeat(65) });
    expect(result.failures?.map((f) => f.property).sort()).toEqual(["name", "smartHosts.0"]);
    expect(result.failures?.every((f) => f.reason.startsWith("PartnerConnector: "))).toBe(true);
  });

  it("lets unknown values through check during preview", () => {
    const result = check(definitions.coexistenceRule as never, { connector: "04da6b54-80e4-46f7-96ec-b56ff0331ba9", exceptMembersOf: "migrated@contoso.com" });
    expect(result.failures).toBeUndefined();
  });

  it("compares smart hosts as a case-insensitive set and replaces only on a rename, new one first", () => {
    const olds = { ...connectorInputs, smartHosts: ["B.example.com", "a.example.com"], enabled: true, isTransportRuleScoped: true, connectorType: "Partner" };
    expect(diff(definitions.partnerConnector as never, olds, { ...connectorInputs, smartHosts: ["a.example.com", "b.example.com"] }).changes).toBe(false);
    expect(diff(definitions.partnerConnector as never, olds, { ...connectorInputs, smartHosts: ["c.example.com"] })).toMatchObject({ changes: true, replaces: [] });
    expect(diff(definitions.partnerConnector as never, olds, { ...connectorInputs, smartHosts: olds.smartHosts, name: "New" })).toMatchObject({
      replaces: ["name"],
      deleteBeforeReplace: false, // a new name cannot clash: create it, move the rule, then delete
    });
  });

  it("changes the users' resource only when a step is planned or a declaration changed, never replacing it", () => {
    const declared = { domain: "contoso.com", group: "migrated@contoso.com", deliverToMailboxAndForward: false, clearForwardingAddress: false, users: { "a@contoso.com": { forwardTo: "a@contoso.onmicrosoft.com", action: "migrate" } } };
    // Outputs keep no steps: the same declaration with none planned is no change.
    expect(diff(definitions.migratedMailboxes as never, declared, { ...declared, steps: {} }).changes).toBe(false);
    expect(diff(definitions.migratedMailboxes as never, declared, { ...declared, steps: { "a@contoso.com": ["forward"] } })).toMatchObject({ changes: true, replaces: [] });
    expect(diff(definitions.migratedMailboxes as never, declared, { ...declared, group: "other@contoso.com", steps: {} })).toMatchObject({ changes: true, replaces: [] });
  });
});
