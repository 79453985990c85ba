import * as fs from "node:fs";
import * as path from "node:path";
import { blankRule, commandLog, World } from "@coexist/provider/testing";
import { contosoStack, misrouted, rehearsalProject } from "../harness/rehearsal";

// The mail-flow safety gate through the real CLI: each unsafe input is refused at `pulumi
// preview` with its user, entry point and cause, while the simulator logs no write cmdlet; the
// matching safe input passes. One world holds the per-user hazards, so one preview also proves
// that every problem is listed at once.
const WRITE = /^(Set|New|Remove|Add|Enable|Disable)-/;
const ORG = "contoso.onmicrosoft.com";

describe("the mail-flow safety gate through the real CLI", () => {
  const project = rehearsalProject("safety");
  const { rehearsal } = project;
  const base = { ...contosoStack, pool: { retryBaseMs: 10, retryMaxMs: 50, retryAttempts: 4 } };
  afterAll(() => project.cleanup());

  const wave = (name: string, rows: string[]) => {
    fs.writeFileSync(path.join(project.dir, "batches", name), ["EmailAddress,ForwardTo,ProxyAddress", ...rows].join("\n") + "\n");
    return `batches/${name}`;
  };
  const writes = () => commandLog(rehearsal.stateFile).filter((l) => l.cmdlet && WRITE.test(l.cmdlet));
  /** A preview that must be refused: its output, after checking nothing was written. */
  async function refused(): Promise<string> {
    const before = writes().length;
    const r = await rehearsal.run(["preview"]);
    expect(r.code).not.toBe(0);
    expect(r.output).toContain("coexist: refusing this change: it would break mail flow");
    expect(writes().length).toBe(before);
    return r.output;
  }
  async function passes(args = ["preview"]): Promise<string> {
    const r = await rehearsal.run(args);
    expect(r.code === 0 ? "ok" : r.output).toBe("ok");
    return r.output;
  }
  const mailbox = (w: World, alias: string) => w.source.mailboxes.find((m) => m.Alias === alias)!;

  describe("hazards of single users, all in one wave", () => {
    const users = ["alice", "bob", "carol", "dave", "erin", "frank", "grace", "henry", "ivan", "judy", "kate"];
    const rows = [
      // 1. The seed's proxy-address format with the routing address as the proxy: internet mail loops.
      `alice@contoso.com,alice@${ORG},alice@${ORG}`,
      // 2. The source mailbox already holds its routing address.
      `bob@contoso.com,bob@${ORG},`,
      // 3. A routing address in a domain the tenant does not accept.
      "carol@contoso.com,carol@contoso.mail.onmicrosoft.com,",
      // 4. A routing address that belongs to another user.
      `dave@contoso.com,erin@${ORG},`,
      // 5. A user with no Exchange Online mailbox (the routing address resolves to nobody).
      `frank@contoso.com,frank@${ORG},`,
      // 6. A user with no source mailbox.
      `zoe@contoso.com,zoe@${ORG},`,
      // 7. A ForwardingAddress left on the source by seed 1's preparation.
      `grace@contoso.com,grace@${ORG},`,
      // 8. Another source mailbox holds the user's routing address (a forwarding chain into it).
      `henry@contoso.com,henry@${ORG},`,
      // A user with nothing wrong of their own, caught by the others' proxies (see below).
      `kate@contoso.com,kate@${ORG},`,
    ];
    const hazards = (w: World) => {
      mailbox(w, "bob").EmailAddresses.push(`smtp:bob@${ORG}`);
      w.tenant.mailboxes = w.tenant.mailboxes.filter((m) => m.Alias !== "frank");
      mailbox(w, "grace").ForwardingAddress = "ivan";
      mailbox(w, "judy").EmailAddresses.push(`smtp:henry@${ORG}`);
    };

    it("refuses the wave at preview with one line per user and entry point, naming each cause", async () => {
      project.writeConfig({ ...base, waves: [wave("hazards.csv", rows)] });
      await rehearsal.reset({ domain: "contoso.com", organization: ORG, users });
      rehearsal.updateWorld(hazards);
      const out = await refused();
      for (const line of [
        `alice@contoso.com: internet mail would loop: the source mailbox holds alice@${ORG}, the address it forwards to; remove that proxy address`,
        `bob@contoso.com: internet mail would loop: the source mailbox holds bob@${ORG}, the address it forwards to`,
        "carol@contoso.com: internet mail would bounce: carol@contoso.mail.onmicrosoft.com is in contoso.mail.onmicrosoft.com, which is not an accepted domain of the tenant",
        `the routing address erin@${ORG} belongs to erin@contoso.com, not to dave@contoso.com`,
        `no Exchange Online recipient has the routing address frank@${ORG}; add frank@${ORG} to the user's Exchange Online mailbox`,
        "zoe@contoso.com: internet mail would bounce: no source mailbox is zoe@contoso.com, so its forwarding cannot be set",
        "grace@contoso.com: internet mail would land at the source, where the user does not live: the source mailbox has ForwardingAddress ivan, which wins over the ForwardingSmtpAddress coexist sets",
        `henry@contoso.com: internet mail would land at the source, where the user does not live: the source mailbox judy@contoso.com holds henry@${ORG}, the address henry@contoso.com forwards to`,
        // Proxies in the tenant domain make the source host it: kate's forward never leaves.
        `kate@contoso.com: internet mail would bounce: the source treats ${ORG} as its own domain (alice@contoso.com has an address in it)`,
        `dave@contoso.com: internet mail would bounce: the source treats ${ORG} as its own domain`,
        "To accept a user's problem deliberately, list them in coexist:acknowledge",
      ]) {
        expect(out).toContain(line);
      }
      // Each problem is printed once (the CLI repeats only the headline in its progress line),
      // without a stack trace.
      expect(out.split("alice@contoso.com: internet mail would loop").length - 1).toBe(1);
      expect(out).not.toMatch(/\n\s+at .+\(.*\.js:\d+:\d+\)/);
    });

    it("refuses the same at the start of `pulumi up`, with nothing applied", async () => {
      const before = writes().length;
      const r = await rehearsal.up();
      expect(r.code).not.toBe(0);
      expect(r.output).toContain("alice@contoso.com: internet mail would loop");
      expect(writes().length).toBe(before);
    });

    it("lets an acknowledged user through as a warning", async () => {
      project.writeConfig({ ...base, waves: [wave("only-grace.csv", [`grace@contoso.com,grace@${ORG},`])], acknowledge: ["grace@contoso.com"] });
      const out = await passes();
      expect(out).toContain("grace@contoso.com: internet mail would land at the source");
      expect(out).toContain("(acknowledged in coexist:acknowledge)");
    });

    it("passes the wave once each hazard is fixed as its message says, and up applies it loop-free", async () => {
      rehearsal.updateWorld((w) => {
        mailbox(w, "bob").EmailAddresses = mailbox(w, "bob").EmailAddresses.filter((a) => !a.endsWith(ORG));
        mailbox(w, "judy").EmailAddresses = mailbox(w, "judy").EmailAddresses.filter((a) => !a.endsWith(ORG));
      });
      const fixed = ["alice", "bob", "carol", "dave", "henry", "kate"].map((a) => `${a}@contoso.com,${a}@${ORG},`);
      project.writeConfig({ ...base, waves: [wave("fixed.csv", fixed)] });
      expect(await passes()).toContain("mail flow checked for");
      await passes(["up", "--yes", "--skip-preview"]);
      expect(misrouted(rehearsal.world(), ["alice", "bob", "carol", "dave", "henry", "kate"])).toEqual([]);
    });

    it("clears grace's ForwardingAddress in a later wave and puts it back on rollback", async () => {
      // (In a first wave it is refused: the coexistence rule would exist before grace's step, and
      // Exchange Online senders' mail for her would follow the ForwardingAddress to ivan
      // meanwhile; safety/gate.test.ts. Now the rule is in place, today's state already does
      // that, so her step makes nothing worse.)
      const waves = ["batches/fixed.csv", wave("grace.csv", [`grace@contoso.com,grace@${ORG},`])];
      project.writeConfig({ ...base, waves, clearForwardingAddress: true });
      await passes(["up", "--yes", "--skip-preview"]);
      expect(mailbox(rehearsal.world(), "grace").ForwardingAddress).toBeNull();
      expect(misrouted(rehearsal.world(), ["alice", "bob", "carol", "dave", "grace", "henry", "kate"])).toEqual([]);
      project.writeConfig({ ...base, waves, clearForwardingAddress: true, rollback: ["grace@contoso.com"] });
      await passes(["up", "--yes", "--skip-preview"]);
      expect(mailbox(rehearsal.world(), "grace").ForwardingAddress).toBe("ivan");
    });

    it("refuses a rollback whose source mailbox is gone: the user's mail would bounce at the source", async () => {
      rehearsal.updateWorld((w) => void (w.source.mailboxes = w.source.mailboxes.filter((m) => m.Alias !== "kate")));
      project.writeConfig({ ...base, waves: ["batches/fixed.csv", "batches/grace.csv"], clearForwardingAddress: true, rollback: ["grace@contoso.com", "kate@contoso.com"] });
      const out = await refused();
      expect(out).toMatch(/kate@contoso\.com: internet mail would bounce: 550 5\.1\.1 recipient kate@contoso\.com not found at the source/);
    });
  });

  describe("hazards of the whole tenant", () => {
    const users = ["alice", "bob", "carol"];
    const wave1 = (forwardTo = `alice@${ORG}`) => wave("w1.csv", [`alice@contoso.com,${forwardTo},`]);
    beforeEach(async () => {
      await rehearsal.reset({ domain: "contoso.com", organization: ORG, users, subdomain: "sub.contoso.com" });
    });

    it("refuses a routing subdomain that is neither accepted nor matched, then one only MatchSubDomains covers (its mailbox addresses need an accepted domain), and passes once it is accepted", async () => {
      const accepted = rehearsal.world().tenant.acceptedDomains.find((d) => d.DomainName === "sub.contoso.com")!;
      rehearsal.updateWorld((w) => void (w.tenant.acceptedDomains = w.tenant.acceptedDomains.filter((d) => d.DomainName !== "sub.contoso.com")));
      project.writeConfig({ ...base, routingTemplate: "{alias}@sub.{domain}", waves: [wave1("")] });
      const out = await refused();
      expect(out).toContain("alice@contoso.com: internet mail would bounce: alice@sub.contoso.com is in sub.contoso.com, which is not an accepted domain of the tenant; add sub.contoso.com as an accepted domain of the tenant (its MX at Exchange Online)");
      project.writeConfig({ ...base, routingTemplate: "{alias}@sub.{domain}", matchSubDomains: true, waves: [wave1("")] });
      expect(await refused()).toContain(
        "alice@contoso.com: internet mail would loop: coexist gives alice@contoso.com's Exchange Online mailbox the routing address alice@sub.contoso.com before the source forwards to it, but sub.contoso.com is not an accepted domain of its own (only covered by contoso.com's MatchSubDomains)",
      );
      rehearsal.updateWorld((w) => void w.tenant.acceptedDomains.push(accepted));
      await passes();
    });

    it("refuses a routing subdomain whose MX does not point at Exchange Online", async () => {
      rehearsal.updateWorld((w) => void (w.mx["sub.contoso.com"] = "source"));
      project.writeConfig({ ...base, routingTemplate: "{alias}@sub.{domain}", matchSubDomains: true, waves: [wave1("")] });
      const out = await refused();
      expect(out).toContain("the MX of sub.contoso.com points at the source, so forwarded mail never reaches Exchange Online; point the MX of sub.contoso.com at Exchange Online before the wave");
    });

    it("refuses a connector whose smart host is not the source: Exchange Online senders' mail for users at the source would bounce", async () => {
      project.writeConfig({ ...base, smartHosts: ["mail.elsewhere.example"], waves: [wave1()] });
      const out = await refused();
      expect(out).toContain("bob@contoso.com: mail from Exchange Online users would bounce: smart host unknown: connector 'Shared Name Space with External Entity TRSC' points at mail.elsewhere.example, not the source");
      project.writeConfig({ ...base, waves: [wave1()] });
      await passes();
    });

    it("refuses a tenant rule ahead of coexist's that stops rule processing: mail for users at the source would stay in Exchange Online", async () => {
      rehearsal.updateWorld((w) => w.tenant.transportRules.push({ ...blankRule("customer-rule", "Disclaimer", 0), StopRuleProcessing: true }));
      project.writeConfig({ ...base, waves: [wave1()] });
      const out = await refused();
      expect(out).toContain("bob@contoso.com: mail from Exchange Online users would land in Exchange Online, where the user does not live");
      rehearsal.updateWorld((w) => void (w.tenant.transportRules[0]!.StopRuleProcessing = false));
      await passes();
    });

    it("refuses a wave once MX is cut over while users are at the source: with no Exchange Online recipient their internet mail loops, with one it stays in Exchange Online under New-TransportRule.md's reading", async () => {
      rehearsal.updateWorld((w) => {
        w.mx["contoso.com"] = "exchange";
        w.tenant.mailboxes = w.tenant.mailboxes.filter((m) => m.Alias !== "carol");
      });
      project.writeConfig({ ...base, waves: [wave1()] });
      const out = await refused();
      expect(out).toContain("carol@contoso.com: internet mail would loop");
      // With a mailbox for carol the conditions page's reading has the coexistence rule route her
      // anonymous internet mail back to the source ("The recipient is a mailbox ... that exists
      // inside the organization"); New-TransportRule.md's does not ("sent or received over an
      // authenticated connection AND ..."), so it would stay in her waiting mailbox: refused.
      rehearsal.updateWorld((w) => void w.tenant.mailboxes.push({ Guid: "carol-exo", Name: "carol", Alias: "carol", PrimarySmtpAddress: "carol@contoso.com", EmailAddresses: ["SMTP:carol@contoso.com", `smtp:carol@${ORG}`] }));
      const again = await refused();
      expect(again).not.toContain("carol@contoso.com: internet mail would loop");
      expect(again).toContain("carol@contoso.com: internet mail would land in Exchange Online, where the user does not live (as it does today) (if SentToScope InOrganization needs an authenticated connection for every recipient, as New-TransportRule.md says;");
    });

    it("warns about a user the run leaves alone whose own forwarding is broken, without refusing", async () => {
      rehearsal.updateWorld((w) => void (mailbox(w, "bob").ForwardingSmtpAddress = "bob@nowhere.example"));
      project.writeConfig({ ...base, waves: [wave1()] });
      expect(await passes()).toMatch(/warning: bob@contoso\.com: internet mail would bounce \(by the source mailbox's own forwarding, which coexist leaves alone\): no MX for domain nowhere\.example/);
    });

    /** Wave 1 (alice) applied, MX cut over, `byHand` done to the world: `pulumi destroy` is refused naming `stranded`, with nothing written. */
    async function cleanupRefused(stranded: string[], byHand: (w: World) => void = () => {}): Promise<void> {
      project.writeConfig({ ...base, waves: [wave1()] });
      await passes(["up", "--yes", "--skip-preview"]);
      rehearsal.updateWorld((w) => {
        w.mx["contoso.com"] = "exchange";
        byHand(w);
      });
      const before = writes().length;
      const r = await rehearsal.destroy();
      expect(r.code).not.toBe(0);
      expect(r.output).toContain(`refusing to clean up: ${stranded.length} users of contoso.com still live on the source (no forwarding to Exchange Online): ${stranded.join(", ")}.`);
      expect(writes().length).toBe(before);
    }

    it("refuses the cleanup while users live on the source, naming them, and writes nothing", async () => {
      await cleanupRefused(["bob@contoso.com", "carol@contoso.com"]);
    });

    it("refuses the cleanup for a user still at the source whom someone added to Migrated Users by hand since the last up, naming them, and writes nothing", async () => {
      await cleanupRefused(["bob@contoso.com", "carol@contoso.com"], (w) => void w.tenant.groups.find((g) => g.PrimarySmtpAddress === "migrated@contoso.com")!.Members.push("bob@contoso.com"));
    });
  });
});
