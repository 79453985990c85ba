import * as c from "../exchange/cmdlets";
import { allowedCmdlets, cmdletSpecs, validateCommand } from "../exchange/cmdlets";
import { Command } from "../exchange/command";
import type { Role } from "../exchange/protocol";
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

/** A command as a session of `role` runs it; without one, the cmdlet's only role (a shared name needs one). */
function run(w: World, command: Command, role?: Role): object[] {
  const { spec, command: valid } = validateCommand(command, role);
  const handler = (spec.role === "exchange" ? tenantCmdlets : sourceCmdlets)[valid.cmdlet]!;
  return handler(w, valid.parameters as never);
}

function failure(w: World, command: Command, role?: Role): ExchangeError {
  try {
    run(w, command, role);
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
    const e = failure(world(), c.GetMailbox({ Identity: "ghost" }), "source");
    expect([e.kind, e.message]).toEqual(["not-found", "The operation couldn't be performed because object 'ghost' couldn't be found on 'mail.contoso-source.example'."]);
    expect(e.message).not.toMatch(/outlook\.com/);
  });

  test("the tenant's not-found still names an Exchange Online server", () => {
    expect(failure(world(), c.GetDistributionGroup({ Identity: "ghost" })).message).toMatch(/couldn't be found on '[^']+\.prod\.outlook\.com'\.$/);
  });
});

describe("the cmdlet registry, by role and name", () => {
  test("Get-Mailbox and Set-Mailbox are each role's own: the spec, the schema and the handler follow the session's role", () => {
    expect(allowedCmdlets("exchange")).toEqual(expect.arrayContaining(["Get-Mailbox", "Set-Mailbox", "Update-DistributionGroupMember"]));
    expect(allowedCmdlets("source").sort()).toEqual(["Get-AcceptedDomain", "Get-Mailbox", "Get-SendConnector", "Set-Mailbox"]);
    expect(cmdletSpecs.get("Set-Mailbox")).toMatchObject({ effect: "write", idempotent: true });
    expect([...cmdletSpecs.get("Set-Mailbox")!.roles].sort()).toEqual(["exchange", "source"]);
    // The tenant's Set-Mailbox takes only -EmailAddresses @{Add;Remove}; the source's forwards too.
    const forward = { cmdlet: "Set-Mailbox", parameters: { Identity: "alice", ForwardingSmtpAddress: "alice@contoso.onmicrosoft.com", EmailAddresses: { Remove: ["alice@fabrikam.com"] } } };
    expect(validateCommand(forward, "source").spec.role).toBe("source");
    expect(() => validateCommand(forward, "exchange")).toThrow("A parameter cannot be found that matches parameter name 'ForwardingSmtpAddress'.");
    expect(() => validateCommand(forward)).toThrow(/more than one role/);
    // A tenant-only cmdlet is not the source's.
    expect(() => validateCommand(c.GetTransportRule({}), "source")).toThrow(/is not recognized/);
  });
});

describe("the tenant's mailboxes, as Get-Mailbox.md and Set-Mailbox.md describe them", () => {
  const sub = (alias: string) => `smtp:${alias}@sub.contoso.com`;
  /** The world with the routing subdomain an accepted domain of its own. */
  function withSubdomain(): World {
    const w = world();
    w.tenant.acceptedDomains.push({ Name: "sub.contoso.com", DomainName: "sub.contoso.com", DomainType: "Authoritative", MatchSubDomains: false, Default: false, InitialDomain: false });
    return w;
  }

  test("Get-Mailbox reads the tenant's mailbox, not the source's, and lists 1000 by default", () => {
    const w = world();
    w.tenant.mailboxes.find((m) => m.Alias === "alice")!.EmailAddresses.push("smtp:alice@elsewhere.example");
    expect(run(w, c.GetTenantMailbox({ Identity: "alice" }), "exchange")).toEqual([
      expect.objectContaining({ Identity: "alice", PrimarySmtpAddress: "alice@contoso.com", EmailAddresses: ["SMTP:alice@contoso.com", "smtp:alice@contoso.onmicrosoft.com", "smtp:alice@elsewhere.example"], ForwardingSmtpAddress: null }),
    ]);
    expect(run(w, c.GetTenantMailbox({}), "exchange")).toHaveLength(4); // admin and the three users
    expect(failure(w, c.GetTenantMailbox({ Identity: "ghost" }), "exchange").message).toMatch(/couldn't be found on '[^']+\.prod\.outlook\.com'\.$/);
  });

  test("Set-Mailbox -EmailAddresses @{Add} adds the address without touching the others; again, it changes nothing", () => {
    const w = withSubdomain();
    for (let i = 0; i < 2; i++) run(w, c.SetTenantMailbox({ Identity: "alice@contoso.com", EmailAddresses: { Add: [sub("alice")] } }), "exchange");
    expect(w.tenant.mailboxes.find((m) => m.Alias === "alice")?.EmailAddresses).toEqual(["SMTP:alice@contoso.com", "smtp:alice@contoso.onmicrosoft.com", sub("alice")]);
    // The source's mailbox is another object: untouched.
    expect(w.source.mailboxes.find((m) => m.Alias === "alice")?.EmailAddresses).toEqual(["SMTP:alice@contoso.com"]);
  });

  test("@{Remove} takes the address away, an absent one changes nothing, and the primary address cannot go", () => {
    const w = withSubdomain();
    run(w, c.SetTenantMailbox({ Identity: "alice", EmailAddresses: { Add: [sub("alice")] } }), "exchange");
    for (let i = 0; i < 2; i++) run(w, c.SetTenantMailbox({ Identity: "alice", EmailAddresses: { Remove: ["alice@sub.contoso.com"] } }), "exchange");
    expect(w.tenant.mailboxes.find((m) => m.Alias === "alice")?.EmailAddresses).toEqual(["SMTP:alice@contoso.com", "smtp:alice@contoso.onmicrosoft.com"]);
    const e = failure(w, c.SetTenantMailbox({ Identity: "alice", EmailAddresses: { Remove: ["alice@contoso.com"] } }), "exchange");
    expect([e.reason, e.message]).toEqual(["RecipientTaskException", 'The primary SMTP address "alice@contoso.com" can\'t be removed.']);
  });

  test("an address another recipient holds is refused with the proxy-address text, and nothing changes", () => {
    const w = withSubdomain();
    run(w, c.NewDistributionGroup({ Name: "Pending", PrimarySmtpAddress: "pending@contoso.com", ManagedBy: ["admin"] }));
    for (const taken of ["bob@contoso.onmicrosoft.com", "pending@contoso.com"]) {
      const e = failure(w, c.SetTenantMailbox({ Identity: "alice", EmailAddresses: { Add: [sub("alice"), taken] } }), "exchange");
      expect([e.kind, e.reason]).toEqual(["already-exists", "ProxyAddressExistsException"]);
      expect(e.message).toBe(`The proxy address "smtp:${taken}" is already being used by the proxy addresses or LegacyExchangeDN of "${taken.startsWith("bob") ? "bob" : "Pending"}". Please choose another proxy address.`);
    }
    expect(w.tenant.mailboxes.find((m) => m.Alias === "alice")?.EmailAddresses).not.toContain(sub("alice"));
  });

  test("an address in a domain that is not accepted is refused (assumed from the primary-address check)", () => {
    const e = failure(world(), c.SetTenantMailbox({ Identity: "alice", EmailAddresses: { Add: [sub("alice")] } }), "exchange");
    expect(e.message).toBe("You can't use the domain sub.contoso.com because it's not an accepted domain for your organization.");
  });
});

describe("Update-DistributionGroupMember, as its reference describes it", () => {
  const group = { Name: "Pending Users", PrimarySmtpAddress: "pending@contoso.com", ManagedBy: ["admin"] };
  const members = (w: World) => w.tenant.groups.find((g) => g.Name === group.Name)?.Members;
  const update = (Members: string[]) => c.UpdateDistributionGroupMember({ Identity: group.Name, Members, Confirm: false, ...bypass });

  test("replaces the whole membership, each member resolved as Add-DistributionGroupMember resolves it", () => {
    const w = withMailRecipients(world());
    run(w, c.NewDistributionGroup(group));
    run(w, c.AddDistributionGroupMember({ Identity: group.Name, Member: "carol", ...bypass }));
    run(w, update(["alice", "BOB@contoso.com", "dave", "alice@contoso.onmicrosoft.com"]));
    expect(members(w)).toEqual(["alice@contoso.com", "bob@contoso.com", "dave@contoso.com"]); // alice named twice: once
    run(w, update(["alice", "BOB@contoso.com", "dave"])); // the same list again: no change, no error
    expect(members(w)).toEqual(["alice@contoso.com", "bob@contoso.com", "dave@contoso.com"]);
  });

  test("an unknown member fails the whole command with Add-DistributionGroupMember's error, and nothing changes", () => {
    const w = world();
    run(w, c.NewDistributionGroup(group));
    run(w, update(["carol"]));
    const added = failure(w, c.AddDistributionGroupMember({ Identity: group.Name, Member: "ghost", ...bypass }));
    const e = failure(w, update(["alice", "ghost"]));
    expect([e.kind, e.reason, e.message]).toEqual([added.kind, added.reason, added.message]);
    expect(members(w)).toEqual(["carol@contoso.com"]);
  });

  test("needs BypassSecurityGroupManagerCheck and -Confirm:$false, and at most 10,000 members", () => {
    const w = world();
    run(w, c.NewDistributionGroup(group));
    const e = failure(w, { cmdlet: "Update-DistributionGroupMember", parameters: { Identity: group.Name, Members: ["alice"], Confirm: false } });
    expect(e.reason).toBe("OperationRequiresGroupManagerException");
    expect(failure(w, { cmdlet: "Update-DistributionGroupMember", parameters: { Identity: group.Name, Members: ["alice"], ...bypass } }).message).toMatch(/missing mandatory parameters: Confirm/);
    const tooMany = Array.from({ length: 10_001 }, (_, i) => `user${i}`);
    expect(failure(w, { cmdlet: "Update-DistributionGroupMember", parameters: { Identity: group.Name, Members: tooMany, Confirm: false, ...bypass } }).reason).toBe("ParameterBindingValidationException");
  });

  // No wall-clock bound here: on a loaded machine one is a coin toss. What a fill costs is
  // measured by the benchmark (test/bench/fill.ts, as a ratio to the model's ideal).
  test("fills a group of 5,000 in one call", () => {
    const users = Array.from({ length: 5000 }, (_, i) => `user${i}`);
    const w = initialWorld({ ...contoso, users });
    run(w, c.NewDistributionGroup(group));
    run(w, update(users.map((u) => `${u}@contoso.com`)));
    expect(members(w)).toHaveLength(5000);
  });
});

describe("SentToMemberOf on New- and Set-TransportRule (New-TransportRule.md)", () => {
  test("is stored as the groups' SMTP addresses and printed by Get-TransportRule; Set- replaces it, $null clears it", () => {
    const w = world();
    run(w, c.NewDistributionGroup({ Name: "Pending Users", PrimarySmtpAddress: "pending@contoso.com", ManagedBy: ["admin"] }));
    run(w, c.NewTransportRule({ Name: "Coexistence", SentToScope: "InOrganization", SentToMemberOf: ["Pending Users"] }));
    expect(run(w, c.GetTransportRule({ Identity: "Coexistence" }))).toEqual([expect.objectContaining({ SentToMemberOf: ["pending@contoso.com"], ExceptIfSentToMemberOf: [] })]);
    run(w, c.SetTransportRule({ Identity: "Coexistence", SentToMemberOf: ["other@contoso.com"] }));
    expect(w.tenant.transportRules[0]?.SentToMemberOf).toEqual(["other@contoso.com"]);
    run(w, c.SetTransportRule({ Identity: "Coexistence", SentToMemberOf: null }));
    expect(w.tenant.transportRules[0]?.SentToMemberOf).toEqual([]);
    expect(failure(w, c.SetTransportRule({ Identity: "Coexistence", SentToMemberOf: ["no such group"] })).reason).toBe("ManagementObjectNotFoundException");
  });

  test("a rule without it, and a rule saved before rules had it, print an empty list", () => {
    const w = world();
    run(w, c.NewTransportRule({ Name: "r" }));
    delete (w.tenant.transportRules[0] as Partial<World["tenant"]["transportRules"][number]>).SentToMemberOf;
    expect(run(w, c.GetTransportRule({}))).toEqual([expect.objectContaining({ SentToMemberOf: [] })]);
  });
});

describe("the source's accepted domains and send connectors (Get-AcceptedDomain.md, Get-SendConnector.md)", () => {
  test("a world that lists none reports the domains its mailboxes have addresses in, Authoritative, and no send connector", () => {
    expect(run(world(), c.GetSourceAcceptedDomain({}), "source")).toEqual([
      { Identity: "contoso.com", Name: "contoso.com", DomainName: "contoso.com", DomainType: "Authoritative", MatchSubDomains: false, Default: true },
    ]);
    expect(run(world(), c.GetSendConnector({}), "source")).toEqual([]);
  });

  test("sourceRelay: the shared domain InternalRelay and a connector to the tenant's smart host, by name too", () => {
    const w = initialWorld({ ...contoso, sourceRelay: true });
    expect(run(w, c.GetSourceAcceptedDomain({ Identity: "contoso.com" }), "source")).toMatchObject([{ DomainType: "InternalRelay" }]);
    expect(run(w, c.GetSendConnector({ Identity: "To Exchange Online" }), "source")).toEqual([
      { Identity: "To Exchange Online", Name: "To Exchange Online", AddressSpaces: ["SMTP:contoso.com;1"], SmartHosts: ["contoso.mail.protection.outlook.com"], DNSRoutingEnabled: false, Enabled: true },
    ]);
    expect(failure(w, c.GetSendConnector({ Identity: "ghost" }), "source").kind).toBe("not-found");
  });

  test("the tenant's Get-AcceptedDomain stays the tenant's; Get-SendConnector is on-premises only", () => {
    expect(validateCommand(c.GetAcceptedDomain({}), "exchange").spec.role).toBe("exchange");
    expect(() => validateCommand(c.GetSendConnector({}), "exchange")).toThrow(/is not recognized/);
  });
});
