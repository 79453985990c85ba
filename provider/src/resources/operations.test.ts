import * as c from "../exchange/cmdlets";
import { Command } from "../exchange/command";
import { ExchangeError } from "../exchange/errors";
import { SessionPool } from "../pool/sessionPool";
import { getOne } from "./operations";

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
