import { diff } from "../definition";
import { definitions } from "../handlers";
import { MigratedMailboxesInputs, usersIn, wireOf } from "./migratedMailboxes";
import { packSteps, packUsers, unpackSteps, unpackUsers } from "./packed";

const users = {
  "bob@contoso.com": { forwardTo: "bob@contoso.onmicrosoft.com", action: "rollback" as const },
  "alice@contoso.com": { forwardTo: "alice@contoso.onmicrosoft.com", action: "migrate" as const, sourceIdentity: "Alice Smith" },
  "carol@contoso.com": { forwardTo: "carol@contoso.onmicrosoft.com", action: "wait" as const, proxyAddress: "carol@contoso.mail.onmicrosoft.com" },
};
const settings = { domain: "contoso.com", group: "migrated@contoso.com", deliverToMailboxAndForward: false, clearForwardingAddress: false };

describe("packed users and steps", () => {
  it("round-trip, sorted by address, with no field names", () => {
    const packed = packUsers(users);
    expect(packed).toBe(
      '[["alice@contoso.com","migrate","alice@contoso.onmicrosoft.com","Alice Smith"],["bob@contoso.com","rollback","bob@contoso.onmicrosoft.com"],["carol@contoso.com","wait","carol@contoso.onmicrosoft.com",null,"carol@contoso.mail.onmicrosoft.com"]]',
    );
    expect(unpackUsers(packed)).toEqual(users);
    expect(unpackSteps(packSteps({ "b@x.com": ["forward"], "a@x.com": ["takeOver", "forward"], "c@x.com": [] }))).toEqual({ "a@x.com": ["takeOver", "forward"], "b@x.com": ["forward"] });
  });

  it("parse the same packed or as maps (a state written before packing)", () => {
    const steps = { "alice@contoso.com": ["takeOver" as const] };
    const fromMaps = MigratedMailboxesInputs.parse({ ...settings, users, steps });
    expect(MigratedMailboxesInputs.parse({ ...settings, users: packUsers(users), steps: packSteps(steps) })).toEqual(fromMaps);
    expect(MigratedMailboxesInputs.parse(wireOf(fromMaps))).toEqual(fromMaps);
    expect(usersIn({ users })).toEqual(users);
    expect(usersIn({ users: packUsers(users) })).toEqual(users);
  });

  it("report a malformed packed value by property", () => {
    expect(MigratedMailboxesInputs.safeParse({ ...settings, users: "not json" }).success).toBe(false);
    expect(MigratedMailboxesInputs.safeParse({ ...settings, users: '[["alice@contoso.com","dance","alice@contoso.onmicrosoft.com"]]' }).success).toBe(false);
  });

  it("diff a state's map against the same users packed as no change", () => {
    const old = { ...settings, users };
    expect(diff(definitions.migratedMailboxes as never, old, { ...settings, users: packUsers(users), steps: "[]" }).changes).toBe(false);
    expect(diff(definitions.migratedMailboxes as never, old, { ...settings, users: packUsers({ ...users, "bob@contoso.com": { ...users["bob@contoso.com"], action: "migrate" } }), steps: "[]" }).changes).toBe(true);
    expect(diff(definitions.migratedMailboxes as never, old, { ...settings, users: packUsers(users), steps: packSteps({ "bob@contoso.com": ["handBack"] }) }).changes).toBe(true);
  });
});
