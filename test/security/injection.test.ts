import * as fs from "node:fs";
import * as path from "node:path";
import { allowedCmdlets, Command, commandLog, csvField, hostileAddresses, hostileValues, LoggedCommand, simGuid, validateCommand } from "@coexist/provider/testing";
import { contosoStack, misrouted, rehearsalProject } from "../harness/rehearsal";

// Hostile values through the real CLI and the real program: every accepted one reaches an
// allow-listed cmdlet as exactly that value (the simulator's command log is the witness), and
// every refused one stops the run before a single cmdlet, read or write, reaches a runner.
const project = rehearsalProject("injection");
const { rehearsal } = project;
afterAll(() => project.cleanup());

const label = (l: string) => hostileValues.find((h) => h.label === l)!.value;
const names = {
  group: label("subexpression"),
  connector: label("single quotes closing a string"),
  coexistenceRule: label("hashtable and splat"),
  bypassRule: label("typographic quotes"),
};
const owner = label("leading -");
const identities = hostileValues.filter((h) => h.name === "accepted").map((h) => h.value);
const locals = hostileAddresses.filter((a) => a.accepted).map((a) => a.local);
const WRITE = /^(Set|New|Remove|Add)-/;

const config = (waves: string[]) => ({
  ...contosoStack,
  groupOwners: ["admin", owner],
  names,
  waves,
  pool: { retryBaseMs: 10, retryMaxMs: 50 },
});
const writeWave = (name: string, text: string) => fs.writeFileSync(path.join(project.dir, "batches", name), text);
const log = (): LoggedCommand[] => commandLog(rehearsal.stateFile).filter((l) => l.cmdlet);
const find = (cmdlet: string, where: (p: Record<string, unknown>) => boolean) => log().filter((l) => l.cmdlet === cmdlet && where(l.parameters ?? {}));

/** Every logged command is allow-listed for its side and is exactly what validation passes on. */
function expectOnlyAllowListed(entries: LoggedCommand[]) {
  for (const l of entries) {
    const role = l.role as "exchange" | "source";
    expect({ cmdlet: l.cmdlet, allowed: allowedCmdlets(role).includes(l.cmdlet!) }).toEqual({ cmdlet: l.cmdlet, allowed: true });
    const command: Command = { cmdlet: l.cmdlet!, parameters: l.parameters as Command["parameters"] };
    expect(validateCommand(command, role).command).toEqual(command);
  }
}

describe("hostile values through the real CLI", () => {
  it("applies a wave whose accepted hostile values reach only allow-listed cmdlets, exactly as written", async () => {
    project.writeConfig(config(["batches/hostile.csv"]));
    // Users u0…: the source knows each by a hostile name; then users whose address itself is hostile.
    const aliases = [...identities.map((_, i) => `u${i}`), ...locals];
    await rehearsal.reset({ domain: "contoso.com", organization: "contoso.onmicrosoft.com", users: aliases });
    rehearsal.updateWorld((w) => {
      identities.forEach((id, i) => (w.source.mailboxes.find((m) => m.Alias === `u${i}`)!.Name = id));
      w.tenant.mailboxes.push({ Guid: simGuid(9999), Name: owner, Alias: "confirmfalse", PrimarySmtpAddress: "confirmfalse@contoso.com", EmailAddresses: ["SMTP:confirmfalse@contoso.com"] });
    });
    writeWave(
      "hostile.csv",
      [
        "EmailAddress,SourceIdentity,ProxyAddress",
        ...identities.map((id, i) => `u${i}@contoso.com,${csvField(id)},`),
        ...locals.map((l) => `${csvField(`${l}@contoso.com`)},,${csvField(`x${l}@contoso.com`)}`),
      ].join("\n") + "\n",
    );
    const sourceBefore = rehearsal.world().source.mailboxes.map((m) => m.Name);

    // The review shows each hostile name as one PowerShell string, and changes nothing.
    const plan = await rehearsal.plan();
    expect(plan).toContain("New-OutboundConnector -Name 'O''Brien''; Remove-Mailbox -Identity admin -Confirm:$false; '''");
    expect(plan).toContain("New-TransportRule -Name '‘‘smart’’ “double” „low“ ‹angle› «guillemets»'");
    expect(log().filter((l) => WRITE.test(l.cmdlet!))).toEqual([]);

    const up = await rehearsal.up();
    expect(up.code === 0 ? "ok" : up.output).toBe("ok");
    const entries = log();
    expect(entries.length).toBeGreaterThan(0);
    // The only failures are the lookups a create makes first: "not found" for what is new.
    expect(entries.filter((l) => l.ok !== true && !(l.kind === "not-found" && /^Get-/.test(l.cmdlet!)))).toEqual([]);
    expectOnlyAllowListed(entries);

    // The shared objects carry the hostile names as their names.
    expect(find("New-DistributionGroup", (p) => p.Name === names.group && JSON.stringify(p.ManagedBy) === JSON.stringify(["admin", owner]))).toHaveLength(1);
    expect(find("New-OutboundConnector", (p) => p.Name === names.connector)).toHaveLength(1);
    expect(find("New-TransportRule", (p) => p.Name === names.coexistenceRule && p.RouteMessageOutboundConnector === names.connector)).toHaveLength(1);
    expect(find("New-TransportRule", (p) => p.Name === names.bypassRule)).toHaveLength(1);
    const w = rehearsal.world();
    expect(w.tenant.groups.map((g) => g.Name)).toEqual([names.group]);
    expect(w.tenant.transportRules.map((r) => r.Name).sort()).toEqual([names.bypassRule, names.coexistenceRule].sort());

    // Each hostile source identity is the -Identity of exactly the Set-Mailbox that forwards it.
    identities.forEach((id, i) => {
      expect(find("Set-Mailbox", (p) => p.Identity === id && p.ForwardingSmtpAddress === `u${i}@contoso.onmicrosoft.com`)).toHaveLength(1);
      expect(w.source.mailboxes.find((m) => m.Name === id)?.ForwardingSmtpAddress).toBe(`u${i}@contoso.onmicrosoft.com`);
    });
    // Each hostile address is the -Member and the -Identity as written (lower-cased, as stored).
    for (const l of locals.map((x) => x.toLowerCase())) {
      expect(find("Add-DistributionGroupMember", (p) => p.Member === `${l}@contoso.com`)).toHaveLength(1);
      expect(find("Set-Mailbox", (p) => p.Identity === `${l}@contoso.com` && JSON.stringify(p.EmailAddresses) === JSON.stringify({ Add: [`x${l}@contoso.com`] }))).toHaveLength(1);
    }
    // Nothing else was touched: the same source mailboxes, and mail reaches every user in Exchange Online.
    expect(w.source.mailboxes.map((m) => m.Name)).toEqual(sourceBefore);
    expect(misrouted(w, aliases)).toEqual([]);

    // A second run reads the hostile names back as equal: nothing to write.
    const n = log().length;
    const again = await rehearsal.up();
    expect(again.code === 0 ? "ok" : again.output).toBe("ok");
    expect(log().slice(n).filter((l) => WRITE.test(l.cmdlet!))).toEqual([]);
  });

  it("cleans up the objects with hostile names by their GUIDs, and nothing else", async () => {
    rehearsal.updateWorld((w) => void (w.mx["contoso.com"] = "exchange"));
    const before = rehearsal.world().tenant;
    const guidOf = (items: { Name: string; Guid: string }[], name: string) => items.find((o) => o.Name === name)?.Guid;
    const n = log().length;
    const destroy = await rehearsal.destroy();
    expect(destroy.code === 0 ? "ok" : destroy.output).toBe("ok");
    const entries = log().slice(n);
    expectOnlyAllowListed(entries);
    const removed = (cmdlet: string) => entries.filter((l) => l.cmdlet === cmdlet).map((l) => l.parameters?.Identity).sort();
    expect(removed("Remove-DistributionGroup")).toEqual([guidOf(before.groups, names.group)]);
    expect(removed("Remove-OutboundConnector")).toEqual([guidOf(before.outboundConnectors, names.connector)]);
    expect(removed("Remove-TransportRule")).toEqual([guidOf(before.transportRules, names.coexistenceRule), guidOf(before.transportRules, names.bypassRule)].sort());
    const w = rehearsal.world();
    expect([w.tenant.groups, w.tenant.transportRules, w.tenant.outboundConnectors]).toEqual([[], [], []]);
    expect(w.tenant.mailboxes).toEqual(before.mailboxes);
    expect(w.source.mailboxes.filter((m) => m.ForwardingSmtpAddress !== null)).toEqual([]);
  });

  it("refuses a wave of hostile values it cannot pass on, before any cmdlet runs, with every problem shown safely", async () => {
    const refused = hostileValues.filter((h) => h.name === "rejected");
    const badAddresses = hostileAddresses.filter((a) => !a.accepted);
    project.writeConfig(config(["batches/refused.csv"]));
    await rehearsal.reset({ domain: "contoso.com", organization: "contoso.onmicrosoft.com", users: ["alice"] });
    writeWave(
      "refused.csv",
      ["EmailAddress,SourceIdentity", ...refused.map((h) => `alice@contoso.com,${csvField(h.value)}`), ...badAddresses.map((a) => `${csvField(`${a.local}@contoso.com`)},`)].join("\n") + "\n",
    );
    for (const run of [() => rehearsal.run(["preview"]), () => rehearsal.up()]) {
      const r = await run();
      expect(r.code).not.toBe(0);
      // One problem per refused cell (alice's later rows are duplicates too, reported with them).
      const problems = r.output.split("\n").filter((l) => /batches\/refused\.csv:\d+:\d+: /.test(l));
      expect(problems.filter((l) => /SourceIdentity: /.test(l))).toHaveLength(refused.length);
      expect(problems.filter((l) => /EmailAddress: ".*"(?: \(\d+ characters\))? is not a valid email address/.test(l))).toHaveLength(badAddresses.length);
      expect(r.output).toContain("nothing was applied");
      // What the terminal gets: no raw control or invisible characters, no 10,000-character line.
      expect(r.output).not.toMatch(/[\u0000\u001b\u202e\u2067\u200b\u200d\ufeff]/);
      expect(Math.max(...r.output.split("\n").map((l) => l.length))).toBeLessThan(1000);
    }
    expect(log()).toEqual([]);
  });
});
