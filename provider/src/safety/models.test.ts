import { gateInput, Inputs } from "../program/program";
import { pendingMembers } from "../resources/groupMembers";
import { initialWorld } from "../simulator/scenario";
import type { World } from "../simulator/model";
import { contosoConfig as config, ORG, waveUser as user, applied } from "../testing/safety";
import { evaluate } from "./gate";

// The gate's model of seed 1's routing (coexist:routing pendingGroup), of Exchange-Online-only
// recipients and of the routing subdomain's tenant address, on worlds built in memory. The e2e
// suites test/e2e/pendingGroup.test.ts and test/e2e/cloudOnly.test.ts drive the same through the CLI.
const ALL = ["alice", "bob", "carol", "dave"];
const listed = (aliases: string[]) => aliases.map((a) => `${a}@contoso.com`);
const pending = (users: ReturnType<typeof user>[], extra: Record<string, unknown> = {}, rolledBack: ReturnType<typeof user>[] = [], sourceUsers = listed(ALL)): Inputs => ({
  config: config({ routing: "pendingGroup", sourceUsers: "users.csv", ...extra }),
  users,
  rolledBack,
  sourceUsers,
});
const world = (extra: Partial<Parameters<typeof initialWorld>[0]> = {}): World => initialWorld({ domain: "contoso.com", organization: ORG, users: ALL, ...extra });
const members = (w: World) => [...(w.tenant.groups.find((g) => g.PrimarySmtpAddress === "accounts@contoso.com")?.Members ?? [])].sort();

describe("the safety gate's routing models", () => {
  it("pendingGroup: passes a first wave, and its end has everyone but the wave in the group of users still at the source", () => {
    const r = evaluate(world(), gateInput(pending([user("alice"), user("bob")])));
    expect(r.findings).toEqual([]);
    expect(members(r.end as World)).toEqual(listed(["carol", "dave"]));
  });

  it("pendingGroup: passes the next wave and a rollback, the rolled-back user back in the group", () => {
    const w1 = applied(world(), pending([user("alice"), user("bob")]));
    const r = evaluate(w1, gateInput(pending([user("alice"), user("carol")], { rollback: ["bob@contoso.com"] }, [user("bob")])));
    expect(r.findings).toEqual([]);
    expect(members(r.end as World)).toEqual(listed(["bob", "dave"]));
    expect(r.homes.get("bob@contoso.com")).toBe("source");
  });

  it("pendingGroup: the fill never adds a user already forwarded to Exchange Online, who would loop as a member", () => {
    // Alice was migrated; the group is then deleted by hand and coexist creates it again.
    const w1 = applied(world(), pending([user("alice")]));
    w1.tenant.groups = [];
    w1.tenant.transportRules = [];
    expect(evaluate(w1, gateInput(pending([user("alice")]))).findings).toEqual([]);
    const { all, added } = pendingMembers(listed(ALL), w1.source.mailboxes, new Set(), "contoso.com");
    expect(added).toEqual(listed(["bob", "carol", "dave"]));
    expect(all).toEqual(added);
  });

  it("pendingGroup: refuses a source user missing from coexist:sourceUsers, whose Exchange Online senders' mail would land in their waiting mailbox", () => {
    const r = evaluate(world(), gateInput(pending([user("alice")], {}, [], listed(["alice", "bob", "carol"]))));
    expect(r.refusals.map((f) => f.user)).toEqual(["dave@contoso.com"]);
    expect(r.refusals[0]!.message).toContain("dave@contoso.com: mail from Exchange Online users would land in Exchange Online, where the user does not live");
    expect(r.refusals[0]!.message).toContain("list it in coexist:sourceUsers");
  });

  it("pendingGroup: refuses a listed source user with no Exchange Online recipient, whom the one-command fill could not add", () => {
    const w = world();
    w.tenant.mailboxes = w.tenant.mailboxes.filter((m) => m.Alias !== "dave");
    const r = evaluate(w, gateInput(pending([user("alice")])));
    expect(r.refusals.map((f) => f.message)).toContainEqual(expect.stringMatching(/^dave@contoso\.com: coexist:sourceUsers lists it, but it has no Exchange Online recipient/));
  });

  it("refuses switching a live stack to the other routing model, naming the live rule", () => {
    const w1 = applied(world(), pending([user("alice")]));
    const r = evaluate(w1, gateInput({ config: config(), users: [user("alice")], rolledBack: [] }));
    expect(r.refusals.find((f) => f.user === "coexist:routing")?.message).toMatch(/^coexist:routing: the stack is set to migratedGroup, but the live coexistence rule 'Coexistence' is the pendingGroup model's \(SentToMemberOf accounts@contoso.com\)/);
  });

  it("routing subdomain: models the address coexist adds to each migrating mailbox, so an accepted subdomain with its MX at Exchange Online passes", () => {
    const w = world({ subdomain: "sub.contoso.com" });
    const r = evaluate(w, gateInput(pending([user("alice", "alice@sub.contoso.com")], { routingTemplate: "{alias}@sub.contoso.com" })));
    expect(r.findings).toEqual([]);
    expect((r.end as World).tenant.mailboxes.find((m) => m.Alias === "alice")?.EmailAddresses).toContain("smtp:alice@sub.contoso.com");
    expect(w.tenant.mailboxes.find((m) => m.Alias === "alice")?.EmailAddresses).not.toContain("smtp:alice@sub.contoso.com");
  });

  it("routing subdomain: refuses one only MatchSubDomains covers, since a mailbox takes an address only in an accepted domain", () => {
    const w = world({ subdomain: "sub.contoso.com" });
    w.tenant.acceptedDomains = w.tenant.acceptedDomains.filter((d) => d.DomainName !== "sub.contoso.com");
    const r = evaluate(w, gateInput(pending([user("alice", "alice@sub.contoso.com")], { routingTemplate: "{alias}@sub.contoso.com", matchSubDomains: true })));
    expect(r.refusals.map((f) => f.user)).toContain("alice@contoso.com");
    expect(r.refusals.map((f) => f.message).join("\n")).toContain("sub.contoso.com is not an accepted domain of its own (only covered by contoso.com's MatchSubDomains)");
  });

  it("migratedGroup: warns about an Exchange-Online-only recipient the rule would send to the source, and a listed one joins the group and passes", () => {
    const w = world({ cloudOnly: ["hire"] });
    const warned = evaluate(w, gateInput({ config: config(), users: [user("alice")], rolledBack: [] }));
    expect(warned.refusals).toEqual([]);
    expect(warned.warnings.filter((f) => f.entry === "exchange").map((f) => f.message)).toEqual([expect.stringContaining("hire@contoso.com: mail from Exchange Online users would bounce")]);
    expect(warned.cloudOnly).toEqual(new Set(["hire@contoso.com"]));
    const listedHire = evaluate(w, gateInput({ config: config({ cloudOnly: ["hire@contoso.com"] }), users: [user("alice")], rolledBack: [] }));
    expect(listedHire.refusals).toEqual([]);
    expect(listedHire.warnings.filter((f) => f.entry === "exchange")).toEqual([]);
    expect(listedHire.end.tenant.groups[0]?.Members).toContain("hire@contoso.com");
    expect(listedHire.homes.get("hire@contoso.com")).toBe("exchange");
  });

  it("pendingGroup: an Exchange-Online-only recipient needs nothing: out of the group, its Exchange Online mail stays there", () => {
    const r = evaluate(world({ cloudOnly: ["hire"] }), gateInput(pending([user("alice")])));
    expect(r.refusals).toEqual([]);
    expect(r.warnings.filter((f) => f.entry === "exchange")).toEqual([]);
  });
});
