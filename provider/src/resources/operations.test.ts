import * as c from "../exchange/cmdlets";
import { Command } from "../exchange/command";
import { ExchangeError } from "../exchange/errors";
import { SessionPool } from "../pool/sessionPool";
import { closeTestPools, commandLog, freshWorld, readWorld, simTarget, testPool } from "../testing/simulator";
import { createOnce, getOne } from "./operations";

/** A pool whose Exchange answers every Get with the given objects, as for a non-existent Identity. */
const answering = (objects: Record<string, unknown>[]) => ({ run: async (_: Command) => objects }) as unknown as SessionPool;

const alice = { Identity: "Alice", Name: "Alice", Alias: "alice", Guid: "a-1", PrimarySmtpAddress: "alice@contoso.com", EmailAddresses: ["SMTP:alice@contoso.com", "smtp:a@contoso.com"] };
const bob = { Identity: "Bob", Name: "Bob", Alias: "bob", Guid: "b-2", PrimarySmtpAddress: "bob@contoso.com", EmailAddresses: ["SMTP:bob@contoso.com"], SamAccountName: "bobby" };

describe("getOne", () => {
  it("takes the object asked for, not the first one Exchange returned", async () => {
    const got = await getOne(answering([alice, bob]), c.GetMailbox({ Identity: "bob@contoso.com" }));
    expect(got).toBe(bob);
  });

  it("treats a list of other objects as absent: Get-* returns all objects for a non-existent Identity", async () => {
    expect(await getOne(answering([alice, bob]), c.GetMailbox({ Identity: "carol@contoso.com" }))).toBeUndefined();
  });

  it("matches by name, alias, GUID, proxy address and domain\\account, ignoring case", async () => {
    for (const id of ["ALICE", "alice", "a-1", "A@contoso.com"]) {
      expect(await getOne(answering([bob, alice]), c.GetMailbox({ Identity: id }))).toBe(alice);
    }
    expect(await getOne(answering([alice, bob]), c.GetMailbox({ Identity: "CONTOSO\\bobby" }))).toBe(bob);
  });

  it("refuses two matches as ambiguous instead of picking one", async () => {
    const twin = { ...alice, Guid: "a-2" };
    await expect(getOne(answering([alice, twin]), c.GetMailbox({ Identity: "alice@contoso.com" }))).rejects.toThrow(ExchangeError);
    await expect(getOne(answering([alice, twin]), c.GetMailbox({ Identity: "alice@contoso.com" }))).rejects.toThrow(/matches multiple entries/);
  });

  it("matches an accepted domain by its domain name", async () => {
    const domains = [{ Identity: "fabrikam.com", Name: "fabrikam.com", DomainName: "fabrikam.com" }, { Identity: "Contoso", Name: "Contoso", DomainName: "contoso.com" }];
    expect(await getOne(answering(domains), c.GetAcceptedDomain({ Identity: "contoso.com" }))).toBe(domains[1]);
  });
});

describe("createOnce: a New-* whose outcome is unknown is read back, then adopted or made once more", () => {
  // Through the pool and the simulator: the world's kill schedule stops the runner at the New's
  // write, before or after it is applied; reads do not count against it.
  const group = (): Command => c.NewDistributionGroup({ Name: "Accounts", PrimarySmtpAddress: "accounts@contoso.com", ManagedBy: ["admin"] });
  async function run(point: "before-apply" | "after-apply" | "throttled") {
    const { stateFile, store } = freshWorld();
    if (point !== "throttled") store.update((w) => void (w.killSchedule = { writes: 0, kills: [{ write: 1, point, fired: false }] }));
    const target = simTarget(stateFile, point === "throttled" ? { faults: { throttleRate: 1, seed: 3 } } : {});
    const pool = testPool("exchange", target, { retry: { attempts: 3, baseMs: 1, maxMs: 2 } });
    const reader = testPool("exchange", simTarget(stateFile));
    try {
      const made = await createOnce<{ PrimarySmtpAddress: string }>(pool, group(), () => getOne(reader, c.GetDistributionGroup({ Identity: "accounts@contoso.com" })));
      return { made, news: commandLog(stateFile).filter((l) => l.cmdlet === "New-DistributionGroup").length, groups: readWorld(stateFile).tenant.groups.length };
    } catch (e) {
      return { error: e as ExchangeError, news: commandLog(stateFile).filter((l) => l.cmdlet === "New-DistributionGroup").length, groups: readWorld(stateFile).tenant.groups.length };
    } finally {
      await closeTestPools();
    }
  }

  it("adopts the group its own New made before the runner died, running no second New", async () => {
    const r = await run("after-apply");
    expect(r).toMatchObject({ made: { PrimarySmtpAddress: "accounts@contoso.com" }, news: 1, groups: 1 });
  });

  it("makes the group once more when the New died before it was applied", async () => {
    const r = await run("before-apply");
    expect(r).toMatchObject({ made: { PrimarySmtpAddress: "accounts@contoso.com" }, news: 2, groups: 1 });
  });

  it("never repeats a throttled New inside the pool: the answer says its outcome is unknown, and createOnce reads before it tries again", async () => {
    const r = await run("throttled");
    // Every attempt throttled: one New from the pool, the read back, one more New, and no more.
    expect(r.error).toMatchObject({ kind: "transient", reason: "OutcomeUnknown" });
    expect(r.news).toBe(2);
    expect(r.groups).toBe(0);
  });
});
