import * as fs from "node:fs";
import * as path from "node:path";
import { commandLog } from "@coexist/provider/testing";
import { contosoStack, e2eRunners, misrouted, rehearsalProject, sessionFronts } from "../harness/rehearsal";

// Issue 24, "Existing forwards": a user's own forward at the source (Exchange or Gmail) is shown
// at preview before coexist replaces it, kept (forwards/<stack>.json), and put back on rollback,
// unless putting it back would loop or bounce: then the rollback is refused at preview.
const ORG = "contoso.onmicrosoft.com";
const WRITE = /^(Set|New|Remove|Add|Update|Enable|Disable)-/;
const OUTSIDE = "fabrikam.example";

describe.each(e2eRunners)("a user's own forward is kept when coexist replaces it and put back on rollback (%s)", (runner) => {
  const project = rehearsalProject("kept", { runner });
  const { rehearsal } = project;
  const base = { ...contosoStack, pool: { retryBaseMs: 10, retryMaxMs: 50, retryAttempts: 4 } };
  const keptFile = () => path.join(project.dir, "forwards", "kept.json");
  const kept = (): Record<string, Record<string, unknown>> => (fs.existsSync(keptFile()) ? (JSON.parse(fs.readFileSync(keptFile(), "utf8")) as { users: Record<string, Record<string, unknown>> }).users : {});
  const mailbox = (alias: string) => rehearsal.world().source.mailboxes.find((m) => m.Alias === alias)!;
  const writes = () => commandLog(rehearsal.stateFile).filter((l) => l.cmdlet && WRITE.test(l.cmdlet)).length;
  const wave = (name: string, rows: string[]) => {
    fs.writeFileSync(path.join(project.dir, "batches", name), ["EmailAddress,ForwardTo", ...rows].join("\n") + "\n");
    return `batches/${name}`;
  };
  afterAll(() => project.cleanup());

  const succeeds = async (args: string[]) => {
    const r = await rehearsal.run(args);
    expect(r.code === 0 ? "ok" : r.output).toBe("ok");
    return r.output;
  };

  describe("an Exchange source", () => {
    // dave's cleared ForwardingAddress loops while the rule exists before his step: he comes in a
    // later wave, once the rule is in place (as safety.test.ts's grace).
    const first = () => [wave("w1.csv", [`alice@contoso.com,alice@${ORG}`, `bob@contoso.com,bob@${ORG}`])];
    const waves = () => [...first(), wave("w2.csv", [`dave@contoso.com,dave@${ORG}`])];
    beforeAll(async () => {
      project.writeConfig({ ...base, waves: waves(), clearForwardingAddress: true });
      await rehearsal.reset({ domain: "contoso.com", organization: ORG, users: ["alice", "bob", "carol", "dave"] });
      rehearsal.updateWorld((w) => {
        // bob forwards his mail to his home address; the outside domain has its own MX.
        w.source.mailboxes.find((m) => m.Alias === "bob")!.ForwardingSmtpAddress = `bob.home@${OUTSIDE}`;
        w.mx[OUTSIDE] = "outside";
      });
    });

    it("shows the forward it replaces at preview, keeps it and forwards the user to Exchange Online", async () => {
      project.writeConfig({ ...base, waves: first(), clearForwardingAddress: true });
      const preview = await succeeds(["preview"]);
      expect(preview).toContain(`bob@contoso.com: the source forwards this user's mail with ForwardingSmtpAddress bob.home@${OUTSIDE} (the owner's or an admin's setting); this run replaces it with the forward to bob@${ORG}, keeps it in forwards/kept.json and puts it back on rollback`);
      await succeeds(["up", "--yes"]);
      // dave's ForwardingAddress names his own Exchange Online routing address (an earlier
      // migration attempt's, set once the rule is there): it wins over coexist's forward, so his
      // wave clears it.
      rehearsal.updateWorld((w) => void (w.source.mailboxes.find((m) => m.Alias === "dave")!.ForwardingAddress = `dave@${ORG}`));
      project.writeConfig({ ...base, waves: waves(), clearForwardingAddress: true });
      await succeeds(["up", "--yes"]);
      expect(mailbox("bob").ForwardingSmtpAddress).toBe(`bob@${ORG}`);
      expect(kept()["bob@contoso.com"]).toEqual({ kind: "exchange", forwardingAddress: null, forwardingSmtpAddress: `bob.home@${OUTSIDE}`, deliverToMailboxAndForward: false });
      expect(kept()["dave@contoso.com"]).toMatchObject({ forwardingAddress: `dave@${ORG}` });
      expect(misrouted(rehearsal.world(), ["alice", "bob", "dave"])).toEqual([]);
    });

    it("puts bob's own forward back on rollback, and his mail leaves for it from every entry point", async () => {
      project.writeConfig({ ...base, waves: waves(), clearForwardingAddress: true, rollback: ["bob@contoso.com"] });
      const preview = await succeeds(["preview"]);
      expect(preview).toContain(`bob@contoso.com: the rollback puts back the user's own ForwardingSmtpAddress bob.home@${OUTSIDE}, which coexist's forward replaced (kept in forwards/kept.json)`);
      expect(preview).toContain(`Set-Mailbox -Identity 'bob@contoso.com' -ForwardingSmtpAddress 'bob.home@${OUTSIDE}'`);
      await succeeds(["up", "--yes"]);
      expect(mailbox("bob")).toMatchObject({ ForwardingSmtpAddress: `bob.home@${OUTSIDE}`, DeliverToMailboxAndForward: false });
      expect(kept()["bob@contoso.com"]).toBeUndefined();
      // Everyone else where they live; bob's mail goes where he sent it before coexist.
      expect(misrouted(rehearsal.world(), ["alice", "dave"])).toEqual([{ user: "bob@contoso.com", outcomes: expect.arrayContaining(["forwarded-outside"]) }]);
      expect(new Set(misrouted(rehearsal.world(), ["alice", "dave"])[0]!.outcomes)).toEqual(new Set(["forwarded-outside"]));
    });

    it("refuses at preview a rollback whose put-back forward would loop, naming the kept forward and the fix, with nothing written", async () => {
      project.writeConfig({ ...base, waves: waves(), clearForwardingAddress: true, rollback: ["bob@contoso.com", "dave@contoso.com"] });
      const n = writes();
      const r = await rehearsal.run(["up", "--yes"]);
      expect(r.code).not.toBe(0);
      expect(r.output).toContain("coexist: refusing this change: it would break mail flow");
      expect(r.output).toMatch(new RegExp(`dave@contoso\\.com: .* would loop.*the rollback puts back the user's own ForwardingAddress dave@${ORG.replace(/\./g, "\\.")}, which coexist kept when its forward replaced it \\(forwards/kept\\.json\\): if that forward is not wanted any more, remove the user's entry from forwards/kept\\.json`));
      expect(writes()).toBe(n);
      expect(mailbox("dave").ForwardingSmtpAddress).toBe(`dave@${ORG}`);
    });

    it("rolls dave back with forwarding off once his entry is taken out of the file", async () => {
      const file = JSON.parse(fs.readFileSync(keptFile(), "utf8")) as { users: Record<string, unknown> };
      delete file.users["dave@contoso.com"];
      fs.writeFileSync(keptFile(), JSON.stringify(file));
      await succeeds(["up", "--yes"]);
      expect(mailbox("dave")).toMatchObject({ ForwardingSmtpAddress: null, ForwardingAddress: null });
      expect(misrouted(rehearsal.world(), ["alice"]).map((m) => m.user)).toEqual(["bob@contoso.com"]);
    });

    it("names the file, the field and the fix when the kept-forwards file is damaged, and applies nothing", async () => {
      fs.writeFileSync(keptFile(), JSON.stringify({ version: 1, users: { "alice@contoso.com": { kind: "exchange", forwardingSmtpAddress: 7 } } }));
      const n = writes();
      const r = await rehearsal.run(["preview"]);
      expect(r.code).not.toBe(0);
      expect(r.output).toContain(`${keptFile()}: users.alice@contoso.com.forwardingAddress`);
      expect(writes()).toBe(n);
      fs.rmSync(keptFile());
    });
  });
  describe("a Google Workspace source", () => {
    const SUB = "o365.contoso.com";
    const google = { ...base, source: { ...contosoStack.source, imitates: "google-workspace" }, routingTemplate: `{alias}@${SUB}` };
    const waves = () => [wave("g1.csv", ["alice@contoso.com,", "carol@contoso.com,"])];
    beforeAll(async () => {
      project.writeConfig({ ...google, waves: waves() });
      await rehearsal.reset({ domain: "contoso.com", organization: ORG, users: ["alice", "bob", "carol"], subdomain: SUB, sourceKind: "google-workspace" });
      rehearsal.updateWorld((w) => {
        // carol's Gmail forwards to her home address, verified long ago.
        const carol = w.source.mailboxes.find((m) => m.Alias === "carol")!;
        carol.gmail = { forwardingAddresses: [{ forwardingEmail: `carol.home@${OUTSIDE}`, verificationStatus: "accepted" }], autoForwarding: { enabled: true, emailAddress: `carol.home@${OUTSIDE}`, disposition: "markRead" } };
        carol.ForwardingSmtpAddress = `carol.home@${OUTSIDE}`;
        w.mx[OUTSIDE] = "outside";
      });
    });

    it("keeps carol's own auto-forward when coexist's replaces it, and puts it back with its disposition on rollback", async () => {
      const preview = await succeeds(["preview"]);
      expect(preview).toContain(`carol@contoso.com: the source forwards this user's mail with auto-forwarding to carol.home@${OUTSIDE} (the owner's or an admin's setting); this run replaces it with the forward to carol@${SUB}, keeps it in forwards/kept.json and puts it back on rollback`);
      await succeeds(["up", "--yes"]);
      expect(mailbox("carol").gmail!.autoForwarding).toMatchObject({ enabled: true, emailAddress: `carol@${SUB}` });
      expect(kept()["carol@contoso.com"]).toEqual({ kind: "gmail", emailAddress: `carol.home@${OUTSIDE}`, disposition: "markRead" });
      expect(misrouted(rehearsal.world(), ["alice", "carol"])).toEqual([]);

      project.writeConfig({ ...google, waves: waves(), rollback: ["carol@contoso.com"] });
      const back = await succeeds(["preview"]);
      expect(back).toContain(`carol@contoso.com: the rollback puts back the user's own auto-forwarding to carol.home@${OUTSIDE}`);
      await succeeds(["up", "--yes"]);
      expect(mailbox("carol").gmail!.autoForwarding).toEqual({ enabled: true, emailAddress: `carol.home@${OUTSIDE}`, disposition: "markRead" });
      expect(mailbox("carol").gmail!.forwardingAddresses.map((a) => a.forwardingEmail)).toEqual([`carol.home@${OUTSIDE}`]);
      expect(kept()["carol@contoso.com"]).toBeUndefined();
      expect(misrouted(rehearsal.world(), ["alice"])).toEqual([{ user: "carol@contoso.com", outcomes: expect.arrayContaining(["forwarded-outside"]) }]);
      expect(new Set(misrouted(rehearsal.world(), ["alice"])[0]!.outcomes)).toEqual(new Set(["forwarded-outside"]));
    });
  });

  it("served every session through the runner under test", () => {
    expect(new Set(sessionFronts(rehearsal.stateFile))).toEqual(new Set([runner]));
  });
});
