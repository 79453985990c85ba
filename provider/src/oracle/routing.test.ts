import type { World } from "../simulator/model";
import { World as WorldSchema } from "../simulator/model";
import { initialWorld, sourceRelayOf } from "../simulator/scenario";
import { describeTrace, ipInRange, overlay, traceAll, traceMail, viewOf, type Trace } from "./routing";

const DOMAIN = "contoso.com";
const ORG = "contoso.onmicrosoft.com";
const CONNECTOR = "Shared Name Space with External Entity TRSC";
const USERS = ["alice", "bob", "carol"];
const ENTRIES = ["internet", "exchange", "source"] as const;
/** Readable sender descriptions for parametrised test names. */
const SENDER = { internet: "an internet sender", exchange: "an Exchange Online sender", source: "a source sender" } as const;
const BY_SENDER = ENTRIES.map((entry) => ({ entry, sender: SENDER[entry] }));

function freshWorld(subdomain?: string): World {
  return initialWorld({ domain: DOMAIN, organization: ORG, users: USERS, ...(subdomain ? { subdomain } : {}) });
}

function domainEntry(world: World, name: string) {
  const d = world.tenant.acceptedDomains.find((a) => a.DomainName === name);
  if (!d) throw new Error(`no accepted domain ${name}`);
  return d;
}

/** The configured state of seed 1: InternalRelay, "Migrated Users", TR-scoped connector, two rules. */
function configureCoexistence(world: World): World {
  domainEntry(world, DOMAIN).DomainType = "InternalRelay";
  world.tenant.groups.push({
    Guid: "group-migrated",
    Name: "Migrated Users",
    Alias: "Migrated",
    DisplayName: "Migrated Users",
    PrimarySmtpAddress: `Migrated@${DOMAIN}`,
    EmailAddresses: [`SMTP:Migrated@${DOMAIN}`],
    Type: "Distribution",
    ManagedBy: [],
    MemberJoinRestriction: "Closed",
    MemberDepartRestriction: "Closed",
    RequireSenderAuthenticationEnabled: true,
    HiddenFromAddressListsEnabled: true,
    Members: [],
  });
  world.tenant.outboundConnectors.push({
    Guid: "connector-trsc",
    Name: CONNECTOR,
    Enabled: true,
    ConnectorType: "Partner",
    Comment: null,
    RecipientDomains: [],
    SmartHosts: [world.source.hosts[0] ?? "mail.contoso-source.example"],
    UseMXRecord: false,
    TlsSettings: null,
    TlsDomain: null,
    IsTransportRuleScoped: true,
    AllAcceptedDomains: false,
    CloudServicesMailEnabled: false,
    RouteAllMessagesViaOnPremises: false,
    SenderRewritingEnabled: false,
    TestMode: false,
  });
  const rule = {
    Comments: null,
    SentToScope: null,
    RouteMessageOutboundConnector: null,
    SentToMemberOf: [] as string[],
    ExceptIfSentToMemberOf: [] as string[],
    SenderIpRanges: [] as string[],
    StopRuleProcessing: false,
    RuleErrorAction: "Ignore" as const,
    SenderAddressLocation: "Header" as const,
    State: "Enabled" as const,
    Mode: "Enforce" as const,
  };
  world.tenant.transportRules.push(
    {
      ...rule,
      Guid: "rule-coexistence",
      Name: "Coexistence",
      Priority: 0,
      SentToScope: "InOrganization",
      RouteMessageOutboundConnector: CONNECTOR,
      ExceptIfSentToMemberOf: [`migrated@${DOMAIN}`],
      SetSCL: -1,
    },
    {
      ...rule,
      Guid: "rule-inbound",
      Name: "Inbound from Shared Namespace",
      Priority: 1,
      SenderIpRanges: [...world.source.outboundIps],
      SetSCL: -1,
    },
  );
  return world;
}

/** Per-user migration steps: group membership in EXO and/or forwarding on the source. */
function migrate(world: World, alias: string, opts: { forward: boolean; member: boolean; target?: string }): World {
  if (opts.member) {
    const group = world.tenant.groups.find((g) => g.Name === "Migrated Users");
    if (!group) throw new Error("configure coexistence first");
    group.Members.push(`${alias}@${DOMAIN}`);
  }
  if (opts.forward) {
    const mailbox = world.source.mailboxes.find((m) => m.Alias === alias);
    if (!mailbox) throw new Error(`no source mailbox ${alias}`);
    mailbox.ForwardingSmtpAddress = opts.target ?? `${alias}@${ORG}`;
  }
  return world;
}

const send = (world: World, alias: string, entry: (typeof ENTRIES)[number]): Trace =>
  traceMail(world, {
    to: `${alias}@${DOMAIN}`,
    entry,
    ...(entry === "exchange" ? { from: `admin@${DOMAIN}` } : entry === "source" ? { from: `carol@${DOMAIN}` } : {}),
  });

describe("mail-routing oracle", () => {
  describe("before coexistence (the initial world)", () => {
    it("delivers internet mail to a user at the source, because the MX points there", () => {
      const t = send(freshWorld(), "alice", "internet");
      expect(t.outcome).toBe("delivered-source");
      expect(t.deliveredTo).toBe("alice@contoso.com");
      expect(t.hops[0]).toEqual({ at: "internet", recipient: "alice@contoso.com", action: "MX for contoso.com → source" });
      expect(t.spamBypassed).toBeUndefined();
    });

    it("delivers an Exchange Online sender's mail to the user's waiting Exchange mailbox, since the domain is Authoritative and no rule routes it", () => {
      // The reason coexistence is needed: without InternalRelay + the rule, internal EXO mail
      // lands in mailboxes nobody reads yet.
      const t = send(freshWorld(), "alice", "exchange");
      expect(t.outcome).toBe("delivered-exchange");
      expect(t.deliveredTo).toBe("alice@contoso.com");
    });
  });

  describe("coexistence configured, nobody migrated", () => {
    it.each(BY_SENDER)("delivers mail from $sender to every user at the source", ({ entry }) => {
      const world = configureCoexistence(freshWorld());
      const all = traceAll(world, entry);
      expect(all.map((x) => x.recipient)).toEqual(USERS.map((u) => `${u}@${DOMAIN}`));
      for (const { recipient, trace } of all) {
        expect({ recipient, outcome: trace.outcome, to: trace.deliveredTo }).toEqual({ recipient, outcome: "delivered-source", to: recipient });
      }
    });

    it("routes an Exchange Online sender's mail through the coexistence rule and its connector to the source smart host", () => {
      const world = configureCoexistence(freshWorld());
      const t = send(world, "bob", "exchange");
      expect(t.hops.map((h) => h.action)).toContain(`rule 'Coexistence' → connector '${CONNECTOR}' → smart host mail.contoso-source.example (SCL -1)`);
      expect(describeTrace(t)).toBe("exchange → source: delivered at the source (bob@contoso.com)");
    });
  });

  describe("a migrated user (group member, source forwarding to the tenant address)", () => {
    const world = () => migrate(configureCoexistence(freshWorld()), "alice", { forward: true, member: true });

    it("delivers internet mail in Exchange via source forwarding, with spam filtering bypassed by the inbound rule", () => {
      const t = send(world(), "alice", "internet");
      expect(t.outcome).toBe("delivered-exchange");
      expect(t.deliveredTo).toBe("alice@contoso.com");
      expect(t.spamBypassed).toBe(true);
      expect(t.hops.map((h) => h.action)).toEqual([
        "MX for contoso.com → source",
        "forwarding to alice@contoso.onmicrosoft.com (ForwardingSmtpAddress of alice@contoso.com)",
        "MX for contoso.onmicrosoft.com → exchange (sent from 198.51.100.25)",
        "rule 'Coexistence' not applied: alice@contoso.com is a member of migrated@contoso.com",
        "rule 'Inbound from Shared Namespace' (sender IP 198.51.100.25 in 198.51.100.25) → SCL -1",
        "delivered to mailbox alice@contoso.com",
      ]);
      expect(describeTrace(t)).toBe("internet → source → exchange: delivered in Exchange Online (alice@contoso.com)");
    });

    it("routes a live rule whose SetSCL reads back as the string '-1' as SCL -1", () => {
      const w = world();
      for (const r of w.tenant.transportRules) (r as { SetSCL: unknown }).SetSCL = "-1";
      const t = send(w, "alice", "internet");
      expect(t.spamBypassed).toBe(true);
      expect(t.hops.map((h) => h.action)).toContain("rule 'Inbound from Shared Namespace' (sender IP 198.51.100.25 in 198.51.100.25) → SCL -1");
    });

    it("delivers an Exchange Online sender's mail in Exchange directly", () => {
      const t = send(world(), "alice", "exchange");
      expect(t.outcome).toBe("delivered-exchange");
      expect(t.hops.every((h) => h.at === "exchange")).toBe(true);
    });

    it("delivers a source sender's mail in Exchange via source forwarding", () => {
      const t = send(world(), "alice", "source");
      expect(t.outcome).toBe("delivered-exchange");
      expect(t.spamBypassed).toBe(true);
      expect(describeTrace(t)).toBe("source → exchange: delivered in Exchange Online (alice@contoso.com)");
    });

    it("still delivers mail to the other users at the source from every entry point", () => {
      const w = world();
      for (const entry of ENTRIES) {
        for (const { recipient, trace } of traceAll(w, entry)) {
          const expected = recipient === "alice@contoso.com" ? "delivered-exchange" : "delivered-source";
          expect({ entry, recipient, outcome: trace.outcome }).toEqual({ entry, recipient, outcome: expected });
        }
      }
    });

    it("keeps a copy at the source when DeliverToMailboxAndForward is set but follows the forwarded copy for the outcome", () => {
      const w = world();
      const mailbox = w.source.mailboxes.find((m) => m.Alias === "alice");
      if (!mailbox) throw new Error("alice missing");
      mailbox.DeliverToMailboxAndForward = true;
      const t = send(w, "alice", "internet");
      expect(t.outcome).toBe("delivered-exchange");
      expect(t.hops.map((h) => h.action)).toContain("copy kept in mailbox alice@contoso.com (DeliverToMailboxAndForward)");
    });
  });

  describe("the loop hazard", () => {
    it.each(BY_SENDER)("loops mail from $sender when source forwarding is on but the user is not in the group", ({ entry }) => {
      const world = migrate(configureCoexistence(freshWorld()), "alice", { forward: true, member: false });
      const t = send(world, "alice", entry);
      expect(t.outcome).toBe("loop");
      expect(t.reason).toMatch(/^mail loop: /);
      expect(t.hops.length).toBeLessThan(30);
      expect(t.deliveredTo).toBeUndefined();
    });
  });

  describe("the in-flight state (group member, no forwarding yet)", () => {
    const world = () => migrate(configureCoexistence(freshWorld()), "alice", { forward: false, member: true });

    it("delivers internet mail at the source, so nothing is lost while the mailbox data is synchronised", () => {
      const t = send(world(), "alice", "internet");
      expect(t.outcome).toBe("delivered-source");
      expect(t.deliveredTo).toBe("alice@contoso.com");
    });

    it("delivers an Exchange Online sender's mail in Exchange, since the group exception stops the coexistence rule", () => {
      const t = send(world(), "alice", "exchange");
      expect(t.outcome).toBe("delivered-exchange");
    });
  });

  describe("seed 0's catch-all subdomain", () => {
    const world = (matchSubDomains: boolean) => {
      const w = migrate(configureCoexistence(freshWorld("sub.contoso.com")), "alice", {
        forward: true,
        member: true,
        target: "alice@sub.contoso.com",
      });
      domainEntry(w, DOMAIN).MatchSubDomains = matchSubDomains;
      // Routed by the parent's MatchSubDomains alone (the subdomain no accepted domain of its
      // own), with alice's mailbox holding the address as coexist gives it.
      w.tenant.acceptedDomains = w.tenant.acceptedDomains.filter((a) => a.DomainName !== "sub.contoso.com");
      w.tenant.mailboxes.find((m) => m.Alias === "alice")!.EmailAddresses.push("smtp:alice@sub.contoso.com");
      return w;
    };

    it("delivers internet mail in Exchange when the source forwards to alias@sub.contoso.com and contoso.com matches subdomains", () => {
      const t = send(world(true), "alice", "internet");
      expect(t.outcome).toBe("delivered-exchange");
      expect(t.deliveredTo).toBe("alice@contoso.com");
      expect(t.hops.map((h) => h.action)).toContain("MX for sub.contoso.com → exchange (sent from 198.51.100.25)");
    });

    it("bounces the forwarded mail when MatchSubDomains is off, because sub.contoso.com is not an accepted domain", () => {
      const t = send(world(false), "alice", "internet");
      expect(t.outcome).toBe("bounce");
      expect(t.reason).toMatch(/relay access denied/);
    });

    it("ignores MatchSubDomains on an Authoritative domain, since Exchange only honours it on InternalRelay", () => {
      const w = world(true);
      domainEntry(w, DOMAIN).DomainType = "Authoritative";
      expect(send(w, "alice", "internet").outcome).toBe("bounce");
    });
  });

  describe("after cleanup", () => {
    const cleanedUp = (users: string[]) => {
      const w = freshWorld();
      w.mx[DOMAIN] = "exchange";
      w.tenant.mailboxes = w.tenant.mailboxes.filter((m) => m.Alias === "admin" || users.includes(m.Alias));
      return w;
    };

    it.each(BY_SENDER.filter((x) => x.entry !== "source"))("delivers mail from $sender in Exchange once MX points at Exchange, the domain is Authoritative and everyone is migrated", ({ entry }) => {
      for (const { recipient, trace } of traceAll(cleanedUp(USERS), entry)) {
        expect({ recipient, outcome: trace.outcome, to: trace.deliveredTo }).toEqual({ recipient, outcome: "delivered-exchange", to: recipient });
      }
    });

    it("bounces mail to a user left only on the source once the domain is Authoritative (the bounce hazard)", () => {
      const w = cleanedUp(["alice", "bob"]);
      for (const entry of ["internet", "exchange"] as const) {
        const t = send(w, "carol", entry);
        expect({ entry, outcome: t.outcome }).toEqual({ entry, outcome: "bounce" });
        expect(t.reason).toMatch(/5\.1\.10/);
      }
    });

    it("bounces Exchange senders' mail to a source-only user when the domain is made Authoritative even with the coexistence rule still in place", () => {
      const w = configureCoexistence(freshWorld());
      w.tenant.mailboxes = w.tenant.mailboxes.filter((m) => m.Alias !== "carol");
      expect(send(w, "carol", "exchange").outcome).toBe("delivered-source");
      domainEntry(w, DOMAIN).DomainType = "Authoritative";
      const t = send(w, "carol", "exchange");
      expect(t.outcome).toBe("bounce");
      expect(t.reason).toMatch(/5\.1\.10/);
    });
  });

  describe("rule and connector failures", () => {
    it("does not route when the rule's connector is disabled (RuleErrorAction Ignore): the mail stays in the waiting Exchange mailbox", () => {
      const w = configureCoexistence(freshWorld());
      const connector = w.tenant.outboundConnectors[0];
      if (!connector) throw new Error("connector missing");
      connector.Enabled = false;
      const t = send(w, "bob", "exchange");
      expect(t.outcome).toBe("delivered-exchange");
      expect(t.hops.map((h) => h.action).join("\n")).toMatch(/is disabled; RuleErrorAction Ignore, not routed/);
    });

    it("does not route when the rule's connector is not transport-rule scoped", () => {
      const w = configureCoexistence(freshWorld());
      const connector = w.tenant.outboundConnectors[0];
      if (!connector) throw new Error("connector missing");
      connector.IsTransportRuleScoped = false;
      expect(send(w, "bob", "exchange").outcome).toBe("delivered-exchange");
    });

    it("bounces when the connector's smart host is not the source", () => {
      const w = configureCoexistence(freshWorld());
      const connector = w.tenant.outboundConnectors[0];
      if (!connector) throw new Error("connector missing");
      connector.SmartHosts = ["mail.elsewhere.example"];
      const t = send(w, "bob", "exchange");
      expect(t.outcome).toBe("bounce");
      expect(t.reason).toMatch(/^smart host unknown/);
    });

    it("reads an IP smart host the same with or without brackets, in any case of a host name", () => {
      const w = configureCoexistence(freshWorld());
      w.source.hosts = ["198.51.100.25", "Mail.Contoso-Source.example"];
      const connector = w.tenant.outboundConnectors[0]!;
      for (const printed of [["[198.51.100.25]"], ["198.51.100.25"], ["MAIL.contoso-source.EXAMPLE"]]) {
        connector.SmartHosts = printed;
        expect(send(w, "bob", "exchange").outcome).toBe("delivered-source");
      }
    });

    it("ignores a disabled coexistence rule and an Audit-mode one", () => {
      const w = configureCoexistence(freshWorld());
      const rule = w.tenant.transportRules.find((r) => r.Name === "Coexistence");
      if (!rule) throw new Error("rule missing");
      rule.State = "Disabled";
      expect(send(w, "bob", "exchange").outcome).toBe("delivered-exchange");
      rule.State = "Enabled";
      rule.Mode = "Audit";
      expect(send(w, "bob", "exchange").outcome).toBe("delivered-exchange");
    });
  });

  describe("unknown and external recipients", () => {
    it("routes an Exchange sender's mail for an unknown contoso.com recipient to the source, which bounces it", () => {
      const w = configureCoexistence(freshWorld());
      const t = traceMail(w, { to: "nobody@contoso.com", entry: "exchange", from: "alice@contoso.com" });
      expect(t.outcome).toBe("bounce");
      expect(t.reason).toMatch(/not found at the source/);
      expect(t.hops.map((h) => h.at)).toEqual(["exchange", "exchange", "source"]);
    });

    it("relays an unknown recipient of an InternalRelay domain whose MX points at Exchange back to itself, which is a loop", () => {
      const w = configureCoexistence(freshWorld());
      w.tenant.transportRules = [];
      w.mx[DOMAIN] = "exchange";
      const t = traceMail(w, { to: "nobody@contoso.com", entry: "exchange" });
      expect(t.outcome).toBe("loop");
      expect(t.reason).toMatch(/relayed to itself/);
    });

    it("sends mail for an external domain out via that domain's MX and bounces when it has none", () => {
      const w = configureCoexistence(freshWorld());
      const t = traceMail(w, { to: "someone@fabrikam.example", entry: "exchange" });
      expect(t.outcome).toBe("bounce");
      expect(t.reason).toBe("no MX for domain fabrikam.example");
    });
  });

  // The conditions page (UserScopeTo): "The recipient is a mailbox, mail user, group, or
  // mail-enabled public folder that exists inside the organization", or "the recipient's email
  // address is in an accepted domain that's configured as an authoritative domain or an internal
  // relay domain, **and** the message was sent or received over an authenticated connection".
  describe("SentToScope InOrganization, as the conditions page defines it (the default reading)", () => {
    const cutOver = () => {
      const w = configureCoexistence(freshWorld());
      w.mx[DOMAIN] = "exchange";
      return w;
    };

    it("matches anonymous internet mail for a recipient that has an Exchange Online mailbox, so the rule sends it to the source after MX cutover", () => {
      const t = send(cutOver(), "bob", "internet");
      expect(t.outcome).toBe("delivered-source");
      expect(t.hops.map((h) => h.action)).toContain(`rule 'Coexistence' → connector '${CONNECTOR}' → smart host mail.contoso-source.example (SCL -1)`);
    });

    it("does not match anonymous internet mail for an InternalRelay address no recipient holds, which relays to the MX and, at Exchange itself, loops", () => {
      const w = cutOver();
      w.tenant.mailboxes = w.tenant.mailboxes.filter((m) => m.Alias !== "bob");
      const t = send(w, "bob", "internet");
      expect(t.outcome).toBe("loop");
      expect(t.hops.some((h) => h.action.startsWith("rule 'Coexistence'"))).toBe(false);
    });

    it("matches an Exchange Online user's mail for the same address, since a mailbox's submission is authenticated", () => {
      const w = cutOver();
      w.tenant.mailboxes = w.tenant.mailboxes.filter((m) => m.Alias !== "bob");
      const t = send(w, "bob", "exchange");
      expect(t.outcome).toBe("delivered-source");
    });

    it("leaves internet mail for a source user with no Exchange Online mailbox at the source while MX still points there", () => {
      const w = configureCoexistence(freshWorld());
      w.tenant.mailboxes = w.tenant.mailboxes.filter((m) => m.Alias !== "bob");
      expect(send(w, "bob", "internet").outcome).toBe("delivered-source");
    });
  });

  // New-TransportRule.md (ExchangePowerShell/, -SentToScope): "InOrganization: The message was
  // sent or received over an authenticated connection **AND** the recipient meets at least one of
  // the following criteria: The recipient is a mailbox, mail user, group, or mail-enabled public
  // folder in the organization, **OR** the recipient's email address is in an accepted domain".
  describe("SentToScope InOrganization, as New-TransportRule.md defines it (the cmdlet reading)", () => {
    const cutOver = () => {
      const w = configureCoexistence(freshWorld());
      w.mx[DOMAIN] = "exchange";
      return w;
    };

    it("does not match anonymous internet mail even for a recipient with an Exchange Online mailbox, so after MX cutover it stays in that mailbox", () => {
      const t = traceMail(cutOver(), { to: `bob@${DOMAIN}`, entry: "internet" }, { inOrganization: "cmdlet" });
      expect([t.outcome, t.deliveredTo]).toEqual(["delivered-exchange", `bob@${DOMAIN}`]);
      expect(t.hops.some((h) => h.action.startsWith("rule 'Coexistence'"))).toBe(false);
    });

    it("says, under the conditions page's reading, that the readings differ for that message, and not for an Exchange Online user's authenticated one", () => {
      expect(send(cutOver(), "bob", "internet").inOrganizationReadingsDiffer).toBe(true);
      expect(send(cutOver(), "bob", "exchange").inOrganizationReadingsDiffer).toBeUndefined();
    });

    it("matches an Exchange Online user's mail under both readings, since a mailbox's submission is authenticated", () => {
      for (const reading of ["conditions", "cmdlet"] as const) {
        expect(traceMail(cutOver(), { to: `bob@${DOMAIN}`, entry: "exchange" }, { inOrganization: reading }).outcome).toBe("delivered-source");
      }
    });
  });

  // New-MailUser.md: "Email messages sent to mail users are delivered to the specified external
  // email address"; -ExternalEmailAddress: "the target email address of the mail contact or mail
  // user". Add-DistributionGroupMember.md, -Member: MailUser and MailContact may be members.
  describe("mail users and mail contacts in the tenant", () => {
    const GSUITE = `gsuite.${DOMAIN}`;
    /** Microsoft's Google Workspace migration's shape: bob is a MailUser whose ExternalEmailAddress is his Google routing address. */
    function withMailUser(): World {
      const w = configureCoexistence(freshWorld());
      w.mx[GSUITE] = "source";
      w.tenant.mailboxes = w.tenant.mailboxes.filter((m) => m.Alias !== "bob");
      w.tenant.mailRecipients = [
        { Guid: "mailuser-bob", Name: "bob", Alias: "bob", PrimarySmtpAddress: `bob@${DOMAIN}`, EmailAddresses: [`SMTP:bob@${DOMAIN}`, `smtp:bob@${ORG}`], RecipientType: "MailUser", ExternalEmailAddress: `bob@${GSUITE}` },
      ];
      w.source.mailboxes.find((m) => m.Alias === "bob")!.EmailAddresses.push(`smtp:bob@${GSUITE}`);
      return w;
    }
    const migratedGroup = (w: World) => w.tenant.groups.find((g) => g.Name === "Migrated Users")!;

    it("counts a mail user as a recipient in the organization: after MX cutover the rule sends its anonymous internet mail to the source instead of relaying it round", () => {
      const w = withMailUser();
      w.mx[DOMAIN] = "exchange";
      const t = send(w, "bob", "internet");
      expect([t.outcome, t.deliveredTo]).toEqual(["delivered-source", `bob@${DOMAIN}`]);
      expect(t.hops.map((h) => h.action)).toContain(`rule 'Coexistence' → connector '${CONNECTOR}' → smart host mail.contoso-source.example (SCL -1)`);
    });

    it("excepts a mail user in the Migrated Users group from the rule and delivers its mail to its ExternalEmailAddress", () => {
      const w = withMailUser();
      migratedGroup(w).Members.push(`bob@${DOMAIN}`);
      const t = send(w, "bob", "exchange");
      expect(t.hops.map((h) => h.action)).toEqual(
        expect.arrayContaining([`rule 'Coexistence' not applied: bob@${DOMAIN} is a member of migrated@${DOMAIN}`, `MailUser bob@${DOMAIN}: to its ExternalEmailAddress bob@${GSUITE}`]),
      );
      expect([t.outcome, t.deliveredTo]).toEqual(["delivered-source", `bob@${DOMAIN}`]);
    });

    it("loops when a mail user in Migrated Users is forwarded to by the source it forwards back to", () => {
      const w = withMailUser();
      migrate(w, "bob", { member: true, forward: true });
      const t = send(w, "bob", "internet");
      expect(t.outcome).toBe("loop");
      expect(t.hops.map((h) => h.action)).toContain(`MailUser bob@${DOMAIN}: to its ExternalEmailAddress bob@${GSUITE}`);
    });

    it("bounces a mail user with no ExternalEmailAddress rather than call it delivered", () => {
      const w = withMailUser();
      w.tenant.mailRecipients![0]!.ExternalEmailAddress = null;
      migratedGroup(w).Members.push(`bob@${DOMAIN}`);
      expect(send(w, "bob", "exchange")).toMatchObject({ outcome: "bounce", reason: `MailUser bob@${DOMAIN} has no ExternalEmailAddress to deliver to` });
    });

    /** A mail contact with an address in the shared domain, pointing at alice's Google routing address. */
    function withContact(): World {
      const w = withMailUser();
      w.tenant.mailRecipients!.push({ Guid: "contact-help", Name: "help", Alias: "help", PrimarySmtpAddress: `help@${DOMAIN}`, EmailAddresses: [`SMTP:help@${DOMAIN}`], RecipientType: "MailContact", RecipientTypeDetails: "MailContact", ExternalEmailAddress: `alice@${GSUITE}` });
      w.source.mailboxes.find((m) => m.Alias === "alice")!.EmailAddresses.push(`smtp:alice@${GSUITE}`);
      return w;
    }

    it("does not count a mail contact as a recipient in the organization: its anonymous internet mail goes to its ExternalEmailAddress, not through the rule", () => {
      const w = withContact();
      w.mx[DOMAIN] = "exchange";
      const t = send(w, "help", "internet");
      expect(t.hops.some((h) => h.action.startsWith("rule 'Coexistence'"))).toBe(false);
      expect([t.outcome, t.deliveredTo]).toEqual(["delivered-source", `alice@${DOMAIN}`]);
    });

    it("excepts a mail contact in the Migrated Users group as it does a mailbox, and routes one outside it to the source", () => {
      const w = withContact();
      expect(send(w, "help", "exchange")).toMatchObject({ outcome: "bounce", reason: `550 5.1.1 recipient help@${DOMAIN} not found at the source` });
      migratedGroup(w).Members.push(`help@${DOMAIN}`);
      const t = send(w, "help", "exchange");
      expect(t.hops.map((h) => h.action)).toContain(`rule 'Coexistence' not applied: help@${DOMAIN} is a member of migrated@${DOMAIN}`);
      expect([t.outcome, t.deliveredTo]).toEqual(["delivered-source", `alice@${DOMAIN}`]);
    });

    it("resolves a mail contact by its external address outside the accepted domains, and sends that mail out by MX", () => {
      const w = withContact();
      w.tenant.mailRecipients!.push({ Guid: "contact-erin", Name: "erin", Alias: "erin", PrimarySmtpAddress: "erin@partner.example", EmailAddresses: ["SMTP:erin@partner.example"], RecipientType: "MailContact", ExternalEmailAddress: "erin@partner.example" });
      const t = traceMail(w, { to: "erin@partner.example", entry: "exchange" });
      expect(t.hops.map((h) => h.action)).toContain("MailContact erin@partner.example: to its ExternalEmailAddress erin@partner.example");
      expect(t).toMatchObject({ outcome: "bounce", reason: "no MX for domain partner.example" });
    });
  });

  describe("ForwardingAddress, as the Set-Mailbox reference defines it", () => {
    it("follows ForwardingAddress and ignores ForwardingSmtpAddress when both are set", () => {
      const w = migrate(configureCoexistence(freshWorld()), "alice", { forward: true, member: true });
      w.source.mailboxes.find((m) => m.Alias === "alice")!.ForwardingAddress = "carol";
      const t = send(w, "alice", "internet");
      expect(t.outcome).toBe("delivered-source");
      expect(t.deliveredTo).toBe("carol@contoso.com");
      expect(t.hops.map((h) => h.action)).toContain("forwarding to carol@contoso.com (ForwardingAddress of alice@contoso.com)");
    });
  });

  describe("ForwardingAddress as Get-Mailbox prints it (a recipient's identity, not an address)", () => {
    const forwardAliceTo = (value: string) => {
      const w = migrate(configureCoexistence(freshWorld()), "alice", { forward: true, member: true });
      w.source.mailboxes.find((m) => m.Alias === "alice")!.ForwardingAddress = value;
      return send(w, "alice", "internet");
    };

    it.each([["a canonical name", "contoso.com/Users/carol"], ["a distinguished name", "CN=carol,OU=Users,DC=contoso,DC=com"], ["a name", "carol"]])(
      "follows %s to the source mailbox it names",
      (_form, value) => {
        const t = forwardAliceTo(value);
        expect({ outcome: t.outcome, deliveredTo: t.deliveredTo }).toEqual({ outcome: "delivered-source", deliveredTo: "carol@contoso.com" });
      },
    );

    it("bounces, so the gate sees it, a canonical name that names no source mailbox, rather than guess where the mail goes", () => {
      const t = forwardAliceTo("contoso.com/Users/Someone Else");
      expect(t.outcome).toBe("bounce");
      expect(t.reason).toBe("forwarding target 'contoso.com/Users/Someone Else' not found at source");
    });
  });

  describe("one user's state laid over a world", () => {
    it("traces the overlaid state without changing the world or its view", () => {
      const w = configureCoexistence(freshWorld());
      const view = viewOf(w);
      const alice = w.source.mailboxes.find((m) => m.Alias === "alice")!;
      const group = w.tenant.groups[0]!;
      const forwarded = { ...alice, ForwardingSmtpAddress: `alice@${ORG}` };
      const notMember = overlay(view, { before: alice, after: forwarded, membership: { groupGuid: group.Guid, primary: "alice@contoso.com", member: false } });
      expect(traceMail(notMember, { to: "alice@contoso.com", entry: "exchange" }).outcome).toBe("loop");
      const member = overlay(view, { before: alice, after: forwarded, membership: { groupGuid: group.Guid, primary: "alice@contoso.com", member: true } });
      expect(traceMail(member, { to: "alice@contoso.com", entry: "internet" }).outcome).toBe("delivered-exchange");
      expect(traceMail(view, { to: "alice@contoso.com", entry: "internet" }).outcome).toBe("delivered-source");
      expect(alice.ForwardingSmtpAddress).toBeNull();
    });
  });

  describe("addresses and IP ranges", () => {
    it("compares addresses case-insensitively and strips an SMTP: prefix", () => {
      const w = migrate(configureCoexistence(freshWorld()), "alice", { forward: true, member: true });
      const t = traceMail(w, { to: "SMTP:Alice@Contoso.COM", entry: "internet" });
      expect(t.outcome).toBe("delivered-exchange");
      expect(t.hops[0]?.recipient).toBe("alice@contoso.com");
    });

    it("matches sender IPs against single addresses, a-b ranges and CIDR ranges", () => {
      expect(ipInRange("198.51.100.25", "198.51.100.25")).toBe(true);
      expect(ipInRange("198.51.100.25", "198.51.100.0/24")).toBe(true);
      expect(ipInRange("198.51.101.25", "198.51.100.0/24")).toBe(false);
      expect(ipInRange("198.51.100.25", "198.51.100.20-198.51.100.30")).toBe(true);
      expect(ipInRange("198.51.100.31", "198.51.100.20-198.51.100.30")).toBe(false);
      expect(ipInRange("10.1.2.3", "0.0.0.0/0")).toBe(true);
    });

    it("does not bypass spam filtering when the source's IP is outside the inbound rule's ranges", () => {
      const w = migrate(configureCoexistence(freshWorld()), "alice", { forward: true, member: true });
      const rule = w.tenant.transportRules.find((r) => r.Name === "Inbound from Shared Namespace");
      if (!rule) throw new Error("rule missing");
      rule.SenderIpRanges = ["203.0.113.0/24"];
      const t = send(w, "alice", "internet");
      expect(t.outcome).toBe("delivered-exchange");
      expect(t.spamBypassed).toBe(false);
    });

    it("does not mutate the world it traces", () => {
      const w = migrate(configureCoexistence(freshWorld()), "alice", { forward: true, member: false });
      const before = JSON.stringify(w);
      for (const entry of ENTRIES) traceAll(w, entry);
      expect(JSON.stringify(w)).toBe(before);
    });
  });
  // Seed 1's model: a group of the users still at the source, and a coexistence rule whose
  // condition is SentToMemberOf that group ("a condition that looks for messages sent to members
  // of distribution groups, dynamic distribution groups, or mail-enabled security groups",
  // New-TransportRule reference), no exception.
  describe("SentToMemberOf, as the New-TransportRule reference defines it (seed 1's pending group)", () => {
    const pendingGroup = (Guid: string, Name: string, address: string, Members: string[]) => ({
      Guid,
      Name,
      Alias: Name.replace(/ /g, ""),
      DisplayName: Name,
      PrimarySmtpAddress: address,
      EmailAddresses: [`SMTP:${address}`],
      Type: "Distribution" as const,
      ManagedBy: [],
      MemberJoinRestriction: "Closed" as const,
      MemberDepartRestriction: "Closed" as const,
      RequireSenderAuthenticationEnabled: true,
      HiddenFromAddressListsEnabled: true,
      Members,
    });
    /** Seed 2's configuration turned into seed 1's: alice and bob pending, carol migrated, a cloud-only hire. */
    function seedOne(pending: string[] = ["alice@contoso.com", "bob@contoso.com"]): World {
      const w = configureCoexistence(freshWorld());
      w.tenant.groups.push(pendingGroup("group-pending", "Pending Users", `pending@${DOMAIN}`, pending));
      const rule = w.tenant.transportRules.find((r) => r.Name === "Coexistence")!;
      rule.ExceptIfSentToMemberOf = [];
      rule.SentToMemberOf = [`pending@${DOMAIN}`];
      w.source.mailboxes.find((m) => m.Alias === "carol")!.ForwardingSmtpAddress = `carol@${ORG}`;
      // A recipient that exists only in Exchange Online: no source mailbox, in no group.
      w.tenant.mailboxes.push({ Guid: "mailbox-hire", Name: "hire", Alias: "hire", PrimarySmtpAddress: `hire@${DOMAIN}`, EmailAddresses: [`SMTP:hire@${DOMAIN}`, `smtp:hire@${ORG}`] });
      return w;
    }

    it("routes an Exchange Online sender's mail for a member out to the source, where the member lives", () => {
      const t = send(seedOne(), "alice", "exchange");
      expect([t.outcome, t.deliveredTo]).toEqual(["delivered-source", "alice@contoso.com"]);
      expect(t.hops.map((h) => h.action)).toContain(`rule 'Coexistence' → connector '${CONNECTOR}' → smart host mail.contoso-source.example (alice@contoso.com is a member of pending@contoso.com) (SCL -1)`);
    });

    it("delivers a non-member locally: a migrated user, and a recipient that exists only in Exchange Online", () => {
      for (const alias of ["carol", "hire"]) {
        const t = send(seedOne(), alias, "exchange");
        expect([alias, t.outcome, t.deliveredTo]).toEqual([alias, "delivered-exchange", `${alias}@contoso.com`]);
        expect(t.hops.map((h) => h.action)).toContain(`rule 'Coexistence' not applied: ${alias}@contoso.com is no member of pending@contoso.com`);
      }
    });

    it("delivers a migrated user's internet mail, forwarded by the source, in Exchange Online (no loop)", () => {
      const t = send(seedOne(), "carol", "internet");
      expect([t.outcome, t.deliveredTo]).toEqual(["delivered-exchange", "carol@contoso.com"]);
    });

    it("follows nested groups: a member of a group inside the listed one is a member", () => {
      const w = seedOne(["alice@contoso.com", "pending-sales@contoso.com"]);
      w.tenant.groups.push(pendingGroup("group-pending-sales", "Pending Sales", "pending-sales@contoso.com", ["bob@contoso.com"]));
      expect(send(w, "bob", "exchange").outcome).toBe("delivered-source");
      expect(send(w, "carol", "exchange").outcome).toBe("delivered-exchange");
    });

    it("matches nobody once the listed group is gone: 'no action is taken on messages that are sent to members of the group'", () => {
      const w = seedOne();
      w.tenant.groups = w.tenant.groups.filter((g) => g.Name !== "Pending Users");
      expect(send(w, "alice", "exchange").outcome).toBe("delivered-exchange");
    });

    it("names the group by name or address alike, and an empty list is no condition (seed 2's rule is unchanged)", () => {
      const w = seedOne();
      const rule = w.tenant.transportRules.find((r) => r.Name === "Coexistence")!;
      rule.SentToMemberOf = ["Pending Users"];
      expect(send(w, "alice", "exchange").outcome).toBe("delivered-source");
      rule.SentToMemberOf = [];
      // No condition: every in-org recipient is routed out, the cloud-only hire too, and the
      // source, which has no mailbox for it, bounces it (issue 14's bounce).
      const t = send(w, "hire", "exchange");
      expect([t.outcome, t.reason]).toEqual(["bounce", "550 5.1.1 recipient hire@contoso.com not found at the source"]);
    });

    it("reads a rule saved before rules had the field as having no condition", () => {
      const w = configureCoexistence(freshWorld());
      for (const r of w.tenant.transportRules) delete (r as Partial<typeof r>).SentToMemberOf;
      expect(send(w, "bob", "exchange").outcome).toBe("delivered-source");
    });

    // Seed 1's "Send & Receive Connector ... to allow Office 365 email in both directions": the
    // shared domain InternalRelay at the source and a send connector for it to Exchange Online.
    describe("the source relaying recipients it does not know to Exchange Online", () => {
      const relayed = (w: World = seedOne()): World => Object.assign(w, { source: { ...w.source, ...sourceRelayOf(DOMAIN, ORG) } });
      const toExchange = "InternalRelay contoso.com: recipient unknown, relayed by send connector 'To Exchange Online' (SMTP:contoso.com;1) → smart host contoso.mail.protection.outlook.com (sent from 198.51.100.25)";

      it.each(["internet", "source"] as const)("delivers %s mail for a mailbox only in Exchange Online through the source's connector to Exchange Online", (entry) => {
        const t = send(relayed(), "hire", entry);
        expect([t.outcome, t.deliveredTo]).toEqual(["delivered-exchange", "hire@contoso.com"]);
        expect(t.hops.map((h) => h.action)).toContain(toExchange);
        // It arrives from the source's IP, so the inbound rule bypasses spam filtering as for forwarded copies.
        expect(t.spamBypassed).toBe(true);
      });

      it("delivers internet mail for a mailbox only in Exchange Online before coexistence too, the domain Authoritative in Exchange Online", () => {
        const w = initialWorld({ domain: DOMAIN, organization: ORG, users: USERS, sourceRelay: true });
        w.tenant.mailboxes.push({ Guid: "mailbox-hire", Name: "hire", Alias: "hire", PrimarySmtpAddress: `hire@${DOMAIN}`, EmailAddresses: [`SMTP:hire@${DOMAIN}`] });
        expect(describeTrace(send(w, "hire", "internet"))).toBe("internet → source → exchange: delivered in Exchange Online (hire@contoso.com)");
      });

      it.each(["internet", "source"] as const)("bounces %s mail for a mailbox only in Exchange Online at the source when the source does not relay", (entry) => {
        const t = send(seedOne(), "hire", entry);
        expect([t.outcome, t.reason]).toEqual(["bounce", "550 5.1.1 recipient hire@contoso.com not found at the source"]);
      });

      it.each(BY_SENDER)("reports mail from $sender to an address that exists nowhere as a loop between the two systems", ({ entry }) => {
        const t = traceMail(relayed(), { to: `nobody@${DOMAIN}`, entry });
        expect(t.outcome).toBe("loop");
        expect(t.reason).toMatch(/^mail loop: nobody@contoso\.com came back to (source|exchange)$/);
        expect(new Set(t.hops.map((h) => h.at))).toEqual(new Set([...(entry === "internet" ? ["internet"] : []), "source", "exchange"]));
      });

      it("bounces an address that exists nowhere in Exchange Online once the domain is Authoritative there again", () => {
        const w = relayed();
        domainEntry(w, DOMAIN).DomainType = "Authoritative";
        const t = traceMail(w, { to: `nobody@${DOMAIN}`, entry: "source" });
        expect([t.outcome, t.reason]).toEqual(["bounce", "550 5.1.10 RESOLVER.ADR.RecipientNotFound: nobody@contoso.com not found in Exchange Online (contoso.com is Authoritative)"]);
      });

      it("does not relay over a disabled connector: the message is unroutable at the source", () => {
        const w = relayed();
        w.source.sendConnectors![0]!.Enabled = false;
        const t = send(w, "hire", "internet");
        expect([t.outcome, t.reason]).toEqual(["bounce", "unroutable at the source: contoso.com is InternalRelay but no enabled send connector's address space covers it"]);
      });

      it("does not relay over a connector whose address space does not cover the domain", () => {
        for (const space of ["SMTP:fabrikam.com;1", "SMTP:*.sub.contoso.com;1", "X400:c=us;a=;p=contoso;1"]) {
          const w = relayed();
          w.source.sendConnectors![0]!.AddressSpaces = [space];
          expect([space, send(w, "hire", "internet").reason]).toEqual([space, expect.stringMatching(/^unroutable at the source/)]);
        }
      });

      it("covers the domain with *.contoso.com, * or the bare domain, and prefers the closest address space", () => {
        for (const space of ["*.contoso.com", "SMTP:*;5", "contoso.com"]) {
          const w = relayed();
          w.source.sendConnectors![0]!.AddressSpaces = [space];
          expect([space, send(w, "hire", "internet").outcome]).toEqual([space, "delivered-exchange"]);
        }
        // A "*" connector by DNS beside the connector for the domain: the domain's own wins.
        const w = relayed();
        w.source.sendConnectors!.unshift({ Name: "Internet", AddressSpaces: ["SMTP:*;1"], SmartHosts: [], DNSRoutingEnabled: true, Enabled: true });
        expect(send(w, "hire", "internet").hops.map((h) => h.action)).toContain(toExchange);
      });

      it("finds the classic loop when the connector routes by DNS while the MX still points at the source", () => {
        const w = relayed();
        Object.assign(w.source.sendConnectors![0]!, { SmartHosts: [], DNSRoutingEnabled: true });
        const t = send(w, "hire", "internet");
        expect([t.outcome, t.reason]).toEqual(["loop", "mail loop: hire@contoso.com came back to source"]);
        // After MX cutover the same connector hands the message to Exchange Online by MX.
        w.mx[DOMAIN] = "exchange";
        expect(send(w, "hire", "source").outcome).toBe("delivered-exchange");
      });

      it("rejects a recipient it does not know in a domain the source lists as Authoritative, whatever its connectors", () => {
        const w = relayed();
        w.source.acceptedDomains![0]!.DomainType = "Authoritative";
        expect(send(w, "hire", "internet").reason).toBe("550 5.1.1 recipient hire@contoso.com not found at the source");
      });

      it("loops, rather than bounces, a mailbox only in Exchange Online that seed 2's rule sends to the source, unless it joins the migrated group", () => {
        // Seed 2's rule routes every in-organisation recipient outside the group to the source,
        // which now hands it back; the rule matches again (no exception for the source's IP).
        const w = relayed(configureCoexistence(freshWorld()));
        w.tenant.mailboxes.push({ Guid: "mailbox-hire", Name: "hire", Alias: "hire", PrimarySmtpAddress: `hire@${DOMAIN}`, EmailAddresses: [`SMTP:hire@${DOMAIN}`] });
        for (const entry of ENTRIES) expect([entry, send(w, "hire", entry).outcome]).toEqual([entry, "loop"]);
        w.tenant.groups.find((g) => g.Name === "Migrated Users")!.Members.push(`hire@${DOMAIN}`);
        for (const entry of ENTRIES) expect([entry, send(w, "hire", entry).outcome]).toEqual([entry, "delivered-exchange"]);
      });

      it("reads a world saved before the source's accepted domains and connectors were modelled as it did before", () => {
        const old = WorldSchema.parse(JSON.parse(JSON.stringify(freshWorld())));
        expect(old.source.acceptedDomains).toBeUndefined();
        expect(send(old, "nobody", "internet").reason).toBe("550 5.1.1 recipient nobody@contoso.com not found at the source");
      });
    });
  });
});
