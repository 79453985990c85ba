import * as c from "../exchange/cmdlets";
import { closeAllPools } from "../pool/registry";
import { commandLog, freshWorld, readWorld, simTarget } from "../testing/simulator";
import { ProviderConfig } from "../config/provider";
import { contextFrom } from "./context";
import { handlerFor } from "./definition";
import { definitions } from "./handlers";
import { marked, ownerOf, unmarked } from "./ownership";

function setup(adopt: string[] = []) {
  const sim = freshWorld();
  const target = simTarget(sim.stateFile);
  const ctx = contextFrom(
    ProviderConfig.parse({
      exchange: target,
      source: target,
      adopt,
      pool: { maxSessions: 2, commandTimeoutSeconds: 5, connectTimeoutSeconds: 5, retryAttempts: 2, retryBaseMs: 1, retryMaxMs: 2 },
    }),
  );
  return { sim, ctx };
}
afterEach(() => closeAllPools());

const A = "coexist/contoso-a";
const B = "coexist/contoso-b";
const connector = { name: "Shared Name Space with External Entity TRSC", smartHosts: ["mail.contoso-source.example"], tlsSettings: null, tlsDomain: null, comment: "TransportRule Scoped Connector for shared namespace contoso.com" };
const group = { name: "Migrated Users", primarySmtpAddress: "migrated@contoso.com", managedBy: ["admin"], hiddenFromAddressLists: true };
const bypass = { name: "Inbound from Shared Namespace", senderIpRanges: ["198.51.100.25"], comments: "", enabled: true };

describe("the owner marker", () => {
  it("is appended to the comment coexist sets, which stays readable, and parses back", () => {
    expect(marked("TransportRule Scoped Connector for shared namespace contoso.com", A)).toBe(`TransportRule Scoped Connector for shared namespace contoso.com [coexist:${A}]`);
    expect(marked("", A)).toBe(`[coexist:${A}]`);
    expect(ownerOf(marked("x", A))).toBe(A);
    expect(unmarked(marked("x", A))).toBe("x");
  });

  it("replaces a marker already there rather than stacking a second, and the last marker names the owner", () => {
    expect(marked(`x [coexist:${B}]`, A)).toBe(`x [coexist:${A}]`);
    expect(ownerOf(`[coexist:${B}] x [coexist:${A}]`)).toBe(A);
    expect(ownerOf("Managed by coexist: members are users")).toBeUndefined();
    expect(ownerOf(null)).toBeUndefined();
  });
});

describe("ownership of the partner connector", () => {
  it("writes this stack's marker into the Comment it creates, and reads the comment back without it", async () => {
    const { sim, ctx } = setup();
    const { outs } = await definitions.partnerConnector.create(ctx, { ...connector, owner: A });
    expect(readWorld(sim.stateFile).tenant.outboundConnectors[0]?.Comment).toBe(`${connector.comment} [coexist:${A}]`);
    expect(outs.comment).toBe(connector.comment);
  });

  it("refuses to adopt another stack's connector, naming it, the owning stack and the fix, before writing anything", async () => {
    const { sim, ctx } = setup();
    await definitions.partnerConnector.create(ctx, { ...connector, owner: A });
    const writes = commandLog(sim.stateFile).filter((l) => l.cmdlet?.startsWith("Set-") || l.cmdlet?.startsWith("New-")).length;
    await expect(definitions.partnerConnector.create(ctx, { ...connector, owner: B })).rejects.toThrow(
      new RegExp(`Outbound connector '${connector.name}' belongs to stack ${A} .*coexist:names\\.connector.*destroy it from stack ${A}`),
    );
    expect(commandLog(sim.stateFile).filter((l) => l.cmdlet?.startsWith("Set-") || l.cmdlet?.startsWith("New-"))).toHaveLength(writes);
  });

  it("adopts its own marked connector silently (a re-run after a killed create)", async () => {
    const { sim, ctx } = setup();
    await ctx.exchange.run(c.NewOutboundConnector({ Name: connector.name, IsTransportRuleScoped: true, SmartHosts: connector.smartHosts, UseMXRecord: false, Comment: `${connector.comment} [coexist:${A}]` }));
    const { id } = await definitions.partnerConnector.create(ctx, { ...connector, owner: A });
    expect(id).toBe(readWorld(sim.stateFile).tenant.outboundConnectors[0]?.Guid);
  });

  it("refuses an unmarked connector unless coexist:adopt lists it, and marks it when adopted", async () => {
    const unmarkedConnector = c.NewOutboundConnector({ Name: connector.name, IsTransportRuleScoped: true, SmartHosts: connector.smartHosts, UseMXRecord: false });
    const refused = setup();
    await refused.ctx.exchange.run(unmarkedConnector);
    await expect(definitions.partnerConnector.create(refused.ctx, { ...connector, owner: A })).rejects.toThrow(/no stack's marker is in its Comment.*list 'Shared Name Space with External Entity TRSC' in coexist:adopt/);

    const { sim, ctx } = setup(["shared name space with external entity trsc"]);
    await ctx.exchange.run(unmarkedConnector);
    await definitions.partnerConnector.create(ctx, { ...connector, owner: A });
    expect(ownerOf(readWorld(sim.stateFile).tenant.outboundConnectors[0]?.Comment)).toBe(A);
  });

  it("is refused at the engine's check, before create, when the engine would create over another stack's connector", async () => {
    const { ctx } = setup();
    await definitions.partnerConnector.create(ctx, { ...connector, owner: A });
    const handler = handlerFor(definitions.partnerConnector as never);
    // The provider process's context (context.ts), as configure() leaves it.
    (globalThis as Record<symbol, unknown>)[Symbol.for("coexist.context")] = { ctx: { ...ctx, config: { ...ctx.config, previewCommands: false } } };
    const result = await handler.check({}, { ...connector, owner: B });
    expect(result.failures?.[0]?.reason).toMatch(new RegExp(`belongs to stack ${A}`));
  });

  it("does not delete a connector whose live marker names another stack", async () => {
    const { sim, ctx } = setup();
    const { id, outs } = await definitions.partnerConnector.create(ctx, { ...connector, owner: A });
    await expect(definitions.partnerConnector.delete(ctx, id, { ...outs, owner: B })).rejects.toThrow(new RegExp(`belongs to stack ${A} .*not deleted`));
    expect(readWorld(sim.stateFile).tenant.outboundConnectors).toHaveLength(1);
    await definitions.partnerConnector.delete(ctx, id, outs);
    expect(readWorld(sim.stateFile).tenant.outboundConnectors).toHaveLength(0);
  });
});

describe("ownership of the group", () => {
  it("writes the marker into the Notes New-DistributionGroup sets, readable with Get-Group", async () => {
    const { ctx } = setup();
    const { id } = await definitions.migratedUsersGroup.create(ctx, { ...group, owner: A });
    const [g] = (await ctx.exchange.run(c.GetGroup({ Identity: id }))) as c.GroupObject[];
    expect(g?.Notes).toBe(`Managed by coexist: members are users whose mailbox lives in Exchange Online. [coexist:${A}]`);
  });

  it("refuses another stack's group and does not delete it", async () => {
    const { sim, ctx } = setup();
    const { id, outs } = await definitions.migratedUsersGroup.create(ctx, { ...group, owner: A });
    await expect(definitions.migratedUsersGroup.create(ctx, { ...group, owner: B })).rejects.toThrow(new RegExp(`Group 'Migrated Users' belongs to stack ${A}`));
    await expect(definitions.migratedUsersGroup.delete(ctx, id, { ...outs, owner: B })).rejects.toThrow(/not deleted/);
    expect(readWorld(sim.stateFile).tenant.groups).toHaveLength(1);
  });

  it("adopts an unmarked group listed in coexist:adopt by its address, marking its Notes", async () => {
    const { sim, ctx } = setup(["migrated@contoso.com"]);
    await ctx.exchange.run(c.NewDistributionGroup({ Name: "Migrated Users", PrimarySmtpAddress: "migrated@contoso.com", ManagedBy: ["admin"], Notes: "made by hand" }));
    await definitions.migratedUsersGroup.create(ctx, { ...group, owner: A });
    expect(readWorld(sim.stateFile).tenant.groups[0]?.Notes).toBe(`made by hand [coexist:${A}]`);
  });
});

describe("ownership of the transport rules", () => {
  it("marks the rule's Comments, refuses another stack's rule and an unmarked one not in coexist:adopt", async () => {
    const { sim, ctx } = setup();
    const { id, outs } = await definitions.sourceBypassRule.create(ctx, { ...bypass, owner: A });
    expect(readWorld(sim.stateFile).tenant.transportRules[0]?.Comments).toBe(`[coexist:${A}]`);
    expect(outs.comments).toBe("");
    await expect(definitions.sourceBypassRule.create(ctx, { ...bypass, owner: B })).rejects.toThrow(/coexist:names\.bypassRule/);
    await expect(definitions.sourceBypassRule.delete(ctx, id, { ...outs, owner: B })).rejects.toThrow(/not deleted/);

    sim.store.update((w) => void (w.tenant.transportRules[0]!.Comments = null));
    await expect(definitions.sourceBypassRule.create(ctx, { ...bypass, owner: B })).rejects.toThrow(/coexist:adopt/);
  });
});
