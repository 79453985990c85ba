import { commandLog, sourceRelayOf, traceMail } from "@coexist/provider/testing";
import { contosoStack, misrouted, rehearsalProject } from "../harness/rehearsal";

// Exchange-Online-only recipients in seed 2's model (migratedGroup) through the real CLI: a new
// hire with no source mailbox is named at preview (the coexistence rule would send its mail to
// the source), coexist:cloudOnly puts it in the group before the rule exists, and the source's
// relay of recipients it does not know is what delivers its internet mail before MX cutover.
const USERS = ["alice", "bob", "carol"];
const HIRE = "hire@contoso.com";

describe("cloud-only recipients in migratedGroup through the real CLI", () => {
  const project = rehearsalProject("cloudonly");
  const { rehearsal } = project;
  const base = { ...contosoStack, waves: ["batches/wave1.csv"], pool: { retryBaseMs: 10, retryMaxMs: 50, retryAttempts: 4 } };
  afterAll(() => project.cleanup());

  const outcomes = () => (["internet", "exchange", "source"] as const).map((entry) => traceMail(rehearsal.world(), { to: HIRE, entry }).outcome);
  const members = () => [...(rehearsal.world().tenant.groups[0]?.Members ?? [])].sort();
  async function succeeds(run: Promise<{ code: number; output: string }>): Promise<string> {
    const r = await run;
    expect(r.code === 0 ? "ok" : r.output).toBe("ok");
    return r.output;
  }

  it("warns at preview about a hire the coexistence rule would send to the source, and offers coexist:cloudOnly", async () => {
    project.writeConfig(base);
    await rehearsal.reset({ domain: "contoso.com", organization: "contoso.onmicrosoft.com", users: USERS, cloudOnly: ["hire"] });
    const preview = await succeeds(rehearsal.run(["preview"]));
    expect(preview).toContain("hire@contoso.com: mail from Exchange Online users would bounce");
    expect(preview).toContain("list it in coexist:cloudOnly, so it joins the group migrated@contoso.com");
    expect(preview).toContain("hire@contoso.com: internet mail would bounce (as it does today)");
    expect(preview).toContain("the source must relay recipients it does not know in contoso.com to Exchange Online");
  });

  it("puts a listed hire in the group before the rule exists, so its Exchange Online mail stays there from the first moment", async () => {
    project.writeConfig({ ...base, cloudOnly: [HIRE] });
    await succeeds(rehearsal.up());
    expect(members()).toEqual([HIRE, ...USERS.map((u) => `${u}@contoso.com`)].sort());
    const writes = commandLog(rehearsal.stateFile).filter((l) => l.cmdlet && /^(New|Add|Set)-/.test(l.cmdlet));
    const joined = writes.findIndex((l) => l.cmdlet === "Add-DistributionGroupMember" && l.parameters?.Member === HIRE);
    const rule = writes.findIndex((l) => l.cmdlet === "New-TransportRule" && l.parameters?.Name === "Coexistence");
    expect(joined).toBeGreaterThanOrEqual(0);
    expect(joined).toBeLessThan(rule);
    expect(misrouted(rehearsal.world(), USERS)).toEqual([]);
    // Before MX cutover, internet and source mail reach the source first, which knows no hire.
    expect(outcomes()).toEqual(["bounce", "delivered-exchange", "bounce"]);
  });

  it("with the source relaying recipients it does not know, delivers the hire in Exchange Online from every entry point and warns no more", async () => {
    rehearsal.updateWorld((w) => void Object.assign(w.source, sourceRelayOf("contoso.com", "contoso.onmicrosoft.com")));
    expect(outcomes()).toEqual(["delivered-exchange", "delivered-exchange", "delivered-exchange"]);
    const preview = await succeeds(rehearsal.run(["preview"]));
    expect(preview).not.toContain("hire@contoso.com:");
  });

  it("refuses at preview to take a hire struck off the list out of the group (its Exchange Online mail would loop), applying nothing; acknowledged, it goes", async () => {
    project.writeConfig(base);
    const n = commandLog(rehearsal.stateFile).length;
    const preview = await rehearsal.run(["preview"]);
    expect(preview.code).not.toBe(0);
    // With the relay, the rule would send its Exchange Online mail to the source, which hands it back.
    expect(preview.output).toContain("hire@contoso.com: mail from Exchange Online users would loop");
    expect(preview.output).toContain("list it in coexist:cloudOnly, so it joins the group migrated@contoso.com");
    expect((await rehearsal.up()).code).not.toBe(0);
    expect(commandLog(rehearsal.stateFile).slice(n).filter((l) => l.cmdlet && /^(New|Add|Set|Remove)-/.test(l.cmdlet))).toEqual([]);
    expect(members()).toEqual([HIRE, ...USERS.map((u) => `${u}@contoso.com`)].sort());
    // The consultant means it (the hire left): acknowledged, the run takes it out, and still says why.
    project.writeConfig({ ...base, acknowledge: [HIRE] });
    const up = await succeeds(rehearsal.up());
    expect(members()).toEqual(USERS.map((u) => `${u}@contoso.com`));
    expect(up).toContain("hire@contoso.com: mail from Exchange Online users would loop");
  });
});
