import { closeTestPools, commandLog, freshWorld, readWorld, simTarget, testPool } from "../../testing/simulator";
import { forwardOn } from "./gmailSteps";

afterEach(() => closeTestPools());

describe("a Gmail user's forward", () => {
  it("reads the user's forwarding addresses before adding one, and adds only a missing one: an existing address is never re-created", async () => {
    const { stateFile } = freshWorld({ domain: "contoso.com", organization: "contoso.onmicrosoft.com", users: ["alice"], sourceKind: "google-workspace", subdomain: "o365.contoso.com" });
    const pool = testPool("google", simTarget(stateFile, { imitates: "google-workspace" }));
    const alice = { emailAddress: "alice@contoso.com", forwardTo: "alice@o365.contoso.com" };
    await forwardOn(pool, alice);
    await forwardOn(pool, alice);
    const calls = commandLog(stateFile).filter((l) => l.cmdlet).map((l) => l.cmdlet);
    expect(calls).toEqual([
      "Get-GSGmailForwardingAddress",
      "Add-GSGmailForwardingAddress",
      "Update-GSGmailAutoForwardingSettings",
      // The second time the address is there: read, then only auto-forwarding.
      "Get-GSGmailForwardingAddress",
      "Update-GSGmailAutoForwardingSettings",
    ]);
    const m = readWorld(stateFile).source.mailboxes.find((x) => x.Alias === "alice")!;
    expect(m.gmail?.forwardingAddresses).toEqual([{ forwardingEmail: "alice@o365.contoso.com", verificationStatus: "accepted" }]);
  });
});
