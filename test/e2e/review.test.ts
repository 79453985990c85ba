import * as fs from "node:fs";
import * as path from "node:path";
import { coexistCli } from "../harness/cli";
import { contosoStack, rehearsalProject } from "../harness/rehearsal";

// The change review a consultant signs off on: `pulumi preview` itself names each step's write
// cmdlets under its resource, built by the same builders as `npm run plan`.
describe("the change review through the real CLI", () => {
  const project = rehearsalProject("review");
  const { rehearsal } = project;
  afterAll(() => project.cleanup());

  const preview = async () => {
    const r = await rehearsal.run(["preview"]);
    expect(r.code === 0 ? "ok" : r.output).toBe("ok");
    return r.output;
  };
  /** The Diagnostics block of one resource: its heading and the indented lines under it. */
  const diagnosticsOf = (out: string, heading: string): string[] => {
    const lines = out.split("\n");
    const start = lines.findIndex((l) => l.trim() === heading);
    if (start < 0) return [];
    const block: string[] = [];
    for (const l of lines.slice(start + 1)) {
      if (l.trim() === "") break;
      block.push(l.trim());
    }
    return block;
  };

  it("shows under each resource, at pulumi preview, the exact cmdlets up will run for a 3-user wave", async () => {
    project.writeConfig({ ...contosoStack, waves: ["batches/wave1.csv"] });
    await rehearsal.reset({ domain: "contoso.com", organization: "contoso.onmicrosoft.com", users: ["alice", "bob", "carol", "dave"] });
    const out = await preview();
    // Every user is in one resource (issue 24): its block lists each user's cmdlets in order.
    const users = diagnosticsOf(out, "pulumi-nodejs:dynamic:MigratedMailboxes (users):");
    expect(users.slice(0, 2)).toEqual(["coexist create will run 6 cmdlets:", "3 users to change: migrate 3"]);
    for (const user of ["alice", "bob", "carol"]) {
      const at = users.indexOf(`${user}@contoso.com (migrate):`);
      expect(users.slice(at, at + 3)).toEqual([
        `${user}@contoso.com (migrate):`,
        `Add-DistributionGroupMember -Identity 'migrated@contoso.com' -Member '${user}@contoso.com' -BypassSecurityGroupManagerCheck:$true`,
        `Set-Mailbox -Identity '${user}@contoso.com' -ForwardingSmtpAddress '${user}@contoso.onmicrosoft.com' -DeliverToMailboxAndForward:$false`,
      ]);
    }
    expect(diagnosticsOf(out, "pulumi-nodejs:dynamic:AcceptedDomainRelay (accepted-domain):")).toEqual([
      "coexist create will run 1 cmdlet:",
      "Set-AcceptedDomain -Identity 'contoso.com' -DomainType 'InternalRelay' -MatchSubDomains:$false",
    ]);
    // The same commands as the plan's, which is built from preview --json by the same builders.
    const plan = await rehearsal.plan();
    for (const line of users.slice(2).filter((l) => !l.endsWith(":"))) expect(plan).toContain(line);
  });

  it("shows an update's cmdlets, none once nothing changes, and none when coexist:previewCommands is false", async () => {
    const up = await rehearsal.up();
    expect(up.code === 0 ? "ok" : up.output).toBe("ok");
    expect(await preview()).not.toContain("will run");
    project.writeConfig({ ...contosoStack, waves: ["batches/wave1.csv"], deliverToMailboxAndForward: true });
    const out = await preview();
    // Only what differs from the live tenant: the forward again, with the copy kept; the membership is there already.
    expect(diagnosticsOf(out, "pulumi-nodejs:dynamic:MigratedMailboxes (users):")).toEqual([
      "coexist update will run 3 cmdlets:",
      "3 users to change: migrate 3",
      "alice@contoso.com (migrate):",
      "Set-Mailbox -Identity 'alice@contoso.com' -ForwardingSmtpAddress 'alice@contoso.onmicrosoft.com' -DeliverToMailboxAndForward:$true",
      "bob@contoso.com (migrate):",
      "Set-Mailbox -Identity 'bob@contoso.com' -ForwardingSmtpAddress 'bob@contoso.onmicrosoft.com' -DeliverToMailboxAndForward:$true",
      "carol@contoso.com (migrate):",
      "Set-Mailbox -Identity 'carol@contoso.com' -ForwardingSmtpAddress 'carol@contoso.onmicrosoft.com' -DeliverToMailboxAndForward:$true",
    ]);
    // `--diff` shows the users resource's change as hidden, not every user's packed entry (issue 27).
    const diff = await rehearsal.run(["preview", "--diff"]);
    expect(diff.output).toMatch(/^\s+~ steps \(hidden\)$/m);
    expect(diff.output).not.toMatch(/^\s+\[\d+\]: "alice@contoso\.com"$/m);
    project.writeConfig({ ...contosoStack, waves: ["batches/wave1.csv"], deliverToMailboxAndForward: true, previewCommands: false });
    const quiet = await preview();
    expect(quiet).toContain("~ 1 to update");
    expect(quiet).not.toContain("will run");
  });

  const plan = (args: string[]) => coexistCli(project, rehearsal.stack, "plan", args);

  it("plans a 500-user wave with a totals block first, users sorted, and exports it as CSV (Markdown: plan.test.ts)", async () => {
    const users = Array.from({ length: 500 }, (_, i) => `user${String(499 - i).padStart(3, "0")}`);
    fs.writeFileSync(path.join(project.dir, "batches", "big.csv"), ["EmailAddress", ...users.map((u) => `${u}@contoso.com`)].join("\n") + "\n");
    project.writeConfig({ ...contosoStack, waves: ["batches/big.csv"], previewCommands: false });
    await rehearsal.reset({ domain: "contoso.com", organization: "contoso.onmicrosoft.com", users });
    const text = await plan([]);
    expect(text.code === 0 ? "ok" : text.out).toBe("ok");
    const lines = text.out.split("\n");
    expect(lines.slice(0, 4)).toEqual([
      "1,006 write cmdlets in 505 steps",
      "  by action: create 5 · migrate 500",
      expect.stringMatching(/^ {2}by kind: {3}.*MigratedMailboxes 500 \(1,000 cmdlets\)/),
      "  by wave:   shared 5 · big 500",
    ]);
    const order = lines.filter((l) => /^ {2}migrate user\d{3}@/.test(l)).map((l) => l.trim().split(" ")[1]);
    expect(order).toHaveLength(500);
    expect(order).toEqual([...order].sort());
    const csv = await plan(["--csv"]);
    expect(csv.code).toBe(0);
    const rows = csv.out.split("\r\n").filter((l) => l !== "");
    expect(rows[0]).toBe('"section","resource","kind","action","order","cmdlet","command"');
    expect(rows).toHaveLength(1 + 1006);
    expect(rows.filter((r) => r.startsWith('"big","user000@contoso.com"'))).toHaveLength(2);
  });
});
