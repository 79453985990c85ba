import * as c from "../exchange/cmdlets";
import { validateCommand } from "../exchange/cmdlets";
import { Command } from "../exchange/command";
import { ExchangeError } from "../exchange/errors";
import { World } from "./model";
import { initialWorld } from "./scenario";
import { sourceCmdlets } from "./source";
import { tenantCmdlets } from "./tenant";
import { contoso } from "../testing/simulator";

/*
 * The simulated tenant and source against the cmdlet docs (MicrosoftDocs/office-docs-powershell,
 * exchange/exchange-ps/ExchangePowerShell/<Cmdlet>.md): where the simulator was stricter or
 * looser than Exchange. Commands go through the cmdlet schemas, as the simulator runner sends them.
 */

function run(w: World, command: Command): object[] {
  const { spec, command: valid } = validateCommand(command);
  const handler = (spec.role === "exchange" ? tenantCmdlets : sourceCmdlets)[valid.cmdlet]!;
  return handler(w, valid.parameters as never);
}

function failure(w: World, command: Command): ExchangeError {
  try {
    run(w, command);
  } catch (e) {
    if (e instanceof ExchangeError) return e;
    throw e;
  }
  throw new Error(`expected ${command.cmdlet} to fail`);
}

const world = (): World => initialWorld(contoso);
const bypass = { BypassSecurityGroupManagerCheck: true };
const partner = { UseMXRecord: false, IsTransportRuleScoped: true } as const;

/** A mail user and a mail contact, which the initial world has none of. */
function withMailRecipients(w: World): World {
  Object.assign(w.tenant, {
    mailRecipients: [
      { Guid: "00000000-0000-4000-8000-0000000000a1", Name: "dave", Alias: "dave", PrimarySmtpAddress: "dave@contoso.com", EmailAddresses: ["SMTP:dave@contoso.com"], RecipientType: "MailUser", ExternalEmailAddress: "dave@partner.example" },
      { Guid: "00000000-0000-4000-8000-0000000000a2", Name: "erin", Alias: "erin", PrimarySmtpAddress: "erin@partner.example", EmailAddresses: ["SMTP:erin@partner.example"], RecipientType: "MailContact", ExternalEmailAddress: "erin@partner.example" },
    ],
  });
  return w;
}

describe("outbound connectors, as New-OutboundConnector.md describes them", () => {
  test("smart hosts in private ranges are accepted: the docs' own examples are 10.10.1.1 and 192.168.0.1/25", () => {
    const w = world();
    run(w, c.NewOutboundConnector({ Name: "a", SmartHosts: ["10.10.1.1"], ...partner }));
    run(w, c.NewOutboundConnector({ Name: "b", SmartHosts: ["192.168.0.1/25"], ...partner }));
    run(w, c.NewOutboundConnector({ Name: "c", SmartHosts: ["172.16.5.5"], ...partner }));
    expect(w.tenant.outboundConnectors.map((o) => o.SmartHosts)).toEqual([["10.10.1.1"], ["192.168.0.1/25"], ["172.16.5.5"]]);
  });

  test("reserved ranges are still refused, a CIDR range that reaches into one included", () => {
    for (const host of ["127.0.0.1", "0.0.0.0", "169.254.1.1", "224.0.0.5", "255.255.255.255", "126.0.0.0/7"]) {
      const e = failure(world(), c.NewOutboundConnector({ Name: "a", SmartHosts: [host], ...partner }));
      expect([e.kind, e.message]).toEqual(["invalid-parameter", `IP range '${host}' contains reserved IP addresses.`]);
    }
  });

  test("a TlsDomain without DomainValidation is accepted: the docs call it only meaningless then", () => {
    const w = world();
    run(w, c.NewOutboundConnector({ Name: "a", SmartHosts: ["mail.contoso.com"], ...partner, TlsSettings: "EncryptionOnly", TlsDomain: "mail.contoso.com" }));
    expect(w.tenant.outboundConnectors[0]).toMatchObject({ TlsSettings: "EncryptionOnly", TlsDomain: "mail.contoso.com" });
    // DomainValidation still needs a domain to validate.
    const e = failure(w, c.NewOutboundConnector({ Name: "b", SmartHosts: ["mail.contoso.com"], ...partner, TlsSettings: "DomainValidation" }));
    expect(e.message).toBe("Tls Settings should not be set to DomainValidation if TlsDomain is not specified.");
  });

  test("SenderRewritingEnabled needs an OnPremises connector; CloudServicesMailEnabled does not (the docs set no such condition)", () => {
    const e = failure(world(), c.NewOutboundConnector({ Name: "a", SmartHosts: ["mail.contoso.com"], ...partner, SenderRewritingEnabled: true }));
    expect([e.kind, e.message]).toEqual(["invalid-parameter", "SenderRewritingEnabled cannot be set to true if Connector type is not OnPremises."]);
    const w = world();
    run(w, c.NewOutboundConnector({ Name: "b", SmartHosts: ["mail.contoso.com"], ...partner, CloudServicesMailEnabled: true }));
    expect(w.tenant.outboundConnectors[0]?.CloudServicesMailEnabled).toBe(true);
  });
});

describe("group owners and members, as New-DistributionGroup.md and Add-DistributionGroupMember.md describe them", () => {
  const group = { Name: "Migrated Users", PrimarySmtpAddress: "migrated@contoso.com" };

  test("an owner may be a mailbox, a mail user or a mail-enabled security group", () => {
    const w = withMailRecipients(world());
    run(w, c.NewDistributionGroup({ Name: "Admins", Type: "Security", PrimarySmtpAddress: "admins@contoso.com", ManagedBy: ["admin"] }));
    run(w, c.NewDistributionGroup({ ...group, ManagedBy: ["admin", "dave", "admins@contoso.com"] }));
    expect(w.tenant.groups.find((g) => g.Name === group.Name)?.ManagedBy).toEqual(["admin", "dave", "Admins"]);
  });

  test("a mail contact or a distribution group is no owner", () => {
    const w = withMailRecipients(world());
    run(w, c.NewDistributionGroup({ Name: "Sales", PrimarySmtpAddress: "sales@contoso.com", ManagedBy: ["admin"] }));
    for (const owner of ["erin", "sales@contoso.com"]) {
      const e = failure(w, c.NewDistributionGroup({ ...group, ManagedBy: [owner] }));
      expect([e.kind, e.reason]).toEqual(["not-found", "ManagementObjectNotFoundException"]);
    }
  });

  test("a member may be a mailbox, a mail user, a mail contact or a mail-enabled group, and is listed with its type", () => {
    const w = withMailRecipients(world());
    run(w, c.NewDistributionGroup({ ...group, ManagedBy: ["admin"] }));
    run(w, c.NewDistributionGroup({ Name: "Sales", PrimarySmtpAddress: "sales@contoso.com", ManagedBy: ["admin"] }));
    run(w, c.NewDistributionGroup({ Name: "Admins", Type: "Security", PrimarySmtpAddress: "admins@contoso.com", ManagedBy: ["admin"] }));
    for (const member of ["alice", "dave", "erin@partner.example", "Sales", "admins@contoso.com"]) {
      run(w, c.AddDistributionGroupMember({ Identity: group.Name, Member: member, ...bypass }));
    }
    const listed = run(w, c.GetDistributionGroupMember({ Identity: group.Name, ResultSize: "Unlimited" })) as Array<{ Name: string; RecipientType: string }>;
    expect(listed.map((m) => [m.Name, m.RecipientType])).toEqual([
      ["alice", "UserMailbox"],
      ["dave", "MailUser"],
      ["erin", "MailContact"],
      ["Sales", "MailUniversalDistributionGroup"],
      ["Admins", "MailUniversalSecurityGroup"],
    ]);
    run(w, c.RemoveDistributionGroupMember({ Identity: group.Name, Member: "dave", Confirm: false, ...bypass }));
    expect(w.tenant.groups.find((g) => g.Name === group.Name)?.Members).not.toContain("dave@contoso.com");
  });

  test("Get-Recipient lists mail users and contacts too", () => {
    const w = withMailRecipients(world());
    const all = run(w, c.GetRecipient({ ResultSize: "Unlimited" })) as Array<{ Name: string; RecipientType: string }>;
    expect(all.filter((r) => r.RecipientType !== "UserMailbox").map((r) => [r.Name, r.RecipientType])).toEqual([
      ["dave", "MailUser"],
      ["erin", "MailContact"],
    ]);
  });

  test("an address a mail user holds is taken", () => {
    const w = withMailRecipients(world());
    const e = failure(w, c.NewDistributionGroup({ Name: "Dave", PrimarySmtpAddress: "dave@contoso.com", ManagedBy: ["admin"] }));
    expect([e.kind, e.reason]).toEqual(["already-exists", "ProxyAddressExistsException"]);
  });
});

describe("Set-DistributionGroup -PrimarySmtpAddress", () => {
  test("is checked against the accepted domains, as New-DistributionGroup's is", () => {
    const w = world();
    run(w, c.NewDistributionGroup({ Name: "Migrated Users", PrimarySmtpAddress: "migrated@contoso.com", ManagedBy: ["admin"] }));
    const e = failure(w, c.SetDistributionGroup({ Identity: "Migrated Users", PrimarySmtpAddress: "migrated@fabrikam.com", BypassSecurityGroupManagerCheck: true }));
    expect([e.reason, e.message]).toEqual(["RecipientTaskException", "You can't use the domain fabrikam.com because it's not an accepted domain for your organization."]);
    expect(w.tenant.groups[0]?.PrimarySmtpAddress).toBe("migrated@contoso.com");
    // An accepted one still moves the primary address.
    run(w, c.SetDistributionGroup({ Identity: "Migrated Users", PrimarySmtpAddress: "migrated@contoso.onmicrosoft.com", BypassSecurityGroupManagerCheck: true }));
    expect(w.tenant.groups[0]?.PrimarySmtpAddress).toBe("migrated@contoso.onmicrosoft.com");
  });
});

describe("transport rules", () => {
  test("SenderIpRanges refuses what is no IPv4 address or range, with the binder's text", () => {
    for (const range of ["1.2.3.400", "1.2.3.4/33", "10.0.0.9-10.0.0.1", "300.1.1.1-300.1.1.2"]) {
      const e = failure(world(), c.NewTransportRule({ Name: "r", SenderIpRanges: [range] }));
      expect([e.kind, e.message]).toEqual([
        "invalid-parameter",
        `Cannot process argument transformation on parameter 'SenderIpRanges'. Cannot convert value "${range}" to type "Microsoft.Exchange.Data.IPRange". Error: "'${range}' is not a valid IP address or range."`,
      ]);
    }
    const w = world();
    run(w, c.NewTransportRule({ Name: "r", SenderIpRanges: ["198.51.100.25", "203.0.113.0/24", "192.0.2.1-192.0.2.9"] }));
    expect(w.tenant.transportRules[0]?.SenderIpRanges).toEqual(["198.51.100.25", "203.0.113.0/24", "192.0.2.1-192.0.2.9"]);
  });

  test("a duplicate name is already-exists, as the one error table says (an ArgumentException of New-TransportRule)", () => {
    const w = world();
    run(w, c.NewTransportRule({ Name: "r" }));
    const e = failure(w, c.NewTransportRule({ Name: "R" }));
    expect([e.kind, e.reason, e.message]).toEqual(["already-exists", "ArgumentException", "A rule with this name already exists."]);
  });

  test("the 300-rule limit is other, not a name clash", () => {
    const w = world();
    for (let i = 0; i < 300; i++) run(w, c.NewTransportRule({ Name: `r${i}` }));
    const e = failure(w, c.NewTransportRule({ Name: "one too many" }));
    expect([e.kind, e.message]).toEqual(["other", "The rule can't be created because the maximum number of transport rules already exists. The maximum number is 300."]);
  });
});

describe("the source's texts", () => {
  test("a source-side not-found names the source's own server, not an Exchange Online one", () => {
    const e = failure(world(), c.GetMailbox({ Identity: "ghost" }));
    expect([e.kind, e.message]).toEqual(["not-found", "The operation couldn't be performed because object 'ghost' couldn't be found on 'mail.contoso-source.example'."]);
    expect(e.message).not.toMatch(/outlook\.com/);
  });

  test("the tenant's not-found still names an Exchange Online server", () => {
    expect(failure(world(), c.GetDistributionGroup({ Identity: "ghost" })).message).toMatch(/couldn't be found on '[^']+\.prod\.outlook\.com'\.$/);
  });
});
