import { hostileValues } from "../testing/hostileInputs";
import { formatCommand, formatPlan, planCsv, planMarkdown, PlannedStep, WaveIndex } from "./plan";

describe("the change review's command text", () => {
  it("doubles every PowerShell single quote, typographic ones included, so a hostile name reads as one string", () => {
    expect(formatCommand({ cmdlet: "New-TransportRule", parameters: { Name: "O'Brien ‘a’ ‚b‛" } })).toBe("New-TransportRule -Name 'O''Brien ‘‘a’’ ‚‚b‛‛'");
  });

  it.each(hostileValues.filter((h) => h.name === "accepted").map((h) => [h.label, h.value]))("shows %s as a single quoted string", (_, value) => {
    const text = formatCommand({ cmdlet: "Set-Mailbox", parameters: { Identity: value } });
    const quoted = text.slice("Set-Mailbox -Identity ".length);
    // Undoubling the quotes inside gives back exactly the value: no quote ends the string early.
    expect(quoted.startsWith("'") && quoted.endsWith("'")).toBe(true);
    const inner = quoted.slice(1, -1);
    expect(inner.replace(/(['\u2018\u2019\u201A\u201B])\1/g, "")).not.toMatch(/['\u2018\u2019\u201A\u201B]/);
    expect(inner.replace(/(['\u2018\u2019\u201A\u201B])\1/g, "$1")).toBe(value);
  });
});

describe("the plan for sign-off", () => {
  const mailbox = (user: string, op = "create"): PlannedStep => ({
    op,
    resource: `${user}@contoso.com`,
    kind: "migratedMailbox",
    commands: [
      { cmdlet: "Add-DistributionGroupMember", parameters: { Identity: "migrated@contoso.com", Member: `${user}@contoso.com` } },
      { cmdlet: "Set-Mailbox", parameters: { Identity: `${user}@contoso.com`, ForwardingSmtpAddress: `${user}@contoso.onmicrosoft.com` } },
    ],
  });
  const relay: PlannedStep = { op: "create", resource: "accepted-domain", kind: "acceptedDomainRelay", commands: [{ cmdlet: "Set-AcceptedDomain", parameters: { Identity: "contoso.com", DomainType: "InternalRelay" } }] };
  // The engine's order: no order a reviewer can follow.
  const steps = [mailbox("zoe"), mailbox("bob"), relay, mailbox("amy"), mailbox("carl", "delete"), mailbox("dan", "delete")];
  const index: WaveIndex = {
    waves: ["wave1", "wave2"],
    waveOf: new Map([["zoe@contoso.com", "wave2"], ["bob@contoso.com", "wave1"], ["amy@contoso.com", "wave2"], ["carl@contoso.com", "wave1"]]),
    rolledBack: new Set(["carl@contoso.com"]),
  };

  it("starts with totals per action, kind and wave, then the shared objects, each wave's users sorted, and users leaving", () => {
    const lines = formatPlan(steps, index).split("\n");
    expect(lines.slice(0, 4)).toEqual([
      "11 write cmdlets in 6 steps",
      "  by action: create 4 · delete 2",
      "  by kind:   MigratedMailbox 5 (10 cmdlets) · AcceptedDomainRelay 1 (1 cmdlet)",
      "  by wave:   shared 1 · wave1 1 · wave2 2 · rollback 1 · removed 1",
    ]);
    expect(lines.filter((l) => /^\S/.test(l) || /^ {2}\S/.test(l)).slice(4)).toEqual([
      "Shared objects:",
      "  create accepted-domain",
      "Wave wave1 (1 user):",
      "  create bob@contoso.com",
      "Wave wave2 (2 users):",
      "  create amy@contoso.com",
      "  create zoe@contoso.com",
      "Rolled back (1 user): mail flows to the source again:",
      "  delete carl@contoso.com",
      "In no wave any more (1 user):",
      "  delete dan@contoso.com",
    ]);
  });

  it("groups a wave's users by the kind of change, migrations first, then repairs, each sorted by user, and totals them in that order", () => {
    const wave = ["zoe", "bob", "amy", "dan"].map((u) => mailbox(u, u === "bob" || u === "zoe" ? "repair" : "migrate"));
    const all: WaveIndex = { waves: ["wave1"], waveOf: new Map(wave.map((w) => [w.resource, "wave1"])), rolledBack: new Set() };
    const lines = formatPlan(wave, all).split("\n");
    expect(lines[1]).toBe("  by action: migrate 2 · repair 2");
    expect(lines.filter((l) => /^ {2}(migrate|repair) /.test(l))).toEqual(["  migrate amy@contoso.com", "  migrate dan@contoso.com", "  repair bob@contoso.com", "  repair zoe@contoso.com"]);
  });

  it("lists cloud-only recipients in a section of their own, after the shared objects and before the waves", () => {
    const hire: PlannedStep = { op: "create", resource: "hire@contoso.com", kind: "cloudOnlyRecipient", commands: [{ cmdlet: "Add-DistributionGroupMember", parameters: { Identity: "migrated@contoso.com", Member: "hire@contoso.com" } }] };
    const titles = formatPlan([mailbox("bob"), hire, relay], index).split("\n").filter((l) => /^\S.*:$/.test(l));
    expect(titles).toEqual(["Shared objects:", "Cloud-only recipients (1): into the group, no source step:", "Wave wave1 (1 user):"]);
  });

  it("exports one CSV row per cmdlet in review order, quoted, with a formula-looking value defused", () => {
    const csv = planCsv([...steps, { ...mailbox("x"), resource: "=cmd@contoso.com" }], index).split("\r\n");
    expect(csv[0]).toBe('"section","resource","kind","action","order","cmdlet","command"');
    expect(csv[1]).toBe(`"shared","accepted-domain","AcceptedDomainRelay","create","1","Set-AcceptedDomain","Set-AcceptedDomain -Identity 'contoso.com' -DomainType 'InternalRelay'"`);
    expect(csv[2]).toMatch(/^"wave1","bob@contoso\.com","MigratedMailbox","create","1","Add-DistributionGroupMember",/);
    expect(csv.some((l) => l.startsWith(`"removed","'=cmd@contoso.com"`))).toBe(true);
    expect(csv.at(-1)).toBe("");
  });

  it("exports Markdown with the totals as tables and each section's cmdlets in a code block", () => {
    const md = planMarkdown(steps, index, "Plan for prod");
    expect(md.startsWith("# Plan for prod\n\n11 write cmdlets in 6 steps.\n\n| Kind | Steps | Cmdlets |")).toBe(true);
    expect(md).toContain("## Wave wave2 (2 users)\n\n```powershell\n# create amy@contoso.com\nAdd-DistributionGroupMember -Identity 'migrated@contoso.com' -Member 'amy@contoso.com'\n");
  });
});
