import * as fs from "node:fs";
import { traceMail } from "../oracle/routing";
import { liveSnapshot } from "../safety/live";
import { freshWorld, simTarget } from "../testing/simulator";

const ORG = "contoso.onmicrosoft.com";

describe("the routing snapshot", () => {
  it("reads the tenant's mail users and mail contacts with Get-Recipient, their ExternalEmailAddress bare, in the same 7 reads, and the MX of where their mail goes", async () => {
    const { stateFile, dir, store } = freshWorld({ domain: "contoso.com", organization: ORG, users: ["alice", "bob"] });
    store.update((w) => {
      w.tenant.mailboxes = w.tenant.mailboxes.filter((m) => m.Alias !== "bob");
      w.tenant.mailRecipients = [
        { Guid: "mailuser-bob", Name: "bob", Alias: "bob", PrimarySmtpAddress: "bob@contoso.com", EmailAddresses: ["SMTP:bob@contoso.com"], RecipientType: "MailUser", ExternalEmailAddress: "bob@gsuite.contoso.com" },
        { Guid: "contact-erin", Name: "erin", Alias: "erin", PrimarySmtpAddress: "erin@partner.example", EmailAddresses: ["SMTP:erin@partner.example"], RecipientType: "MailContact", ExternalEmailAddress: "erin@partner.example" },
      ];
      w.mx["gsuite.contoso.com"] = "source";
      w.source.mailboxes.find((m) => m.Alias === "bob")!.EmailAddresses.push("smtp:bob@gsuite.contoso.com");
    });
    const target = simTarget(stateFile);
    const snap = await liveSnapshot({ exchange: target, source: target, smartHosts: ["mail.contoso-source.example"], sourceIpRanges: ["198.51.100.25"], domain: "contoso.com" }, ["contoso.com", ORG]);
    expect(snap.tenant.mailRecipients).toEqual([
      { Guid: "mailuser-bob", Name: "bob", Alias: "bob", PrimarySmtpAddress: "bob@contoso.com", EmailAddresses: ["SMTP:bob@contoso.com"], RecipientType: "MailUser", RecipientTypeDetails: "MailUser", ExternalEmailAddress: "bob@gsuite.contoso.com" },
      { Guid: "contact-erin", Name: "erin", Alias: "erin", PrimarySmtpAddress: "erin@partner.example", EmailAddresses: ["SMTP:erin@partner.example"], RecipientType: "MailContact", RecipientTypeDetails: "MailContact", ExternalEmailAddress: "erin@partner.example" },
    ]);
    expect(snap.tenant.mailboxes.map((m) => m.Alias)).not.toContain("bob");
    expect(snap.reads.count).toBe(7);
    // The mail user's ExternalEmailAddress domain was looked up; the contact's is not one asked about.
    expect(snap.mx).toMatchObject({ "gsuite.contoso.com": "source" });
    expect(traceMail(snap, { to: "bob@contoso.com", entry: "exchange" })).toMatchObject({ outcome: "delivered-source", deliveredTo: "bob@contoso.com" });
    fs.rmSync(dir, { recursive: true, force: true });
  });
});
