import * as fs from "node:fs";
import * as path from "node:path";
import { cmdletSpecs, commandLog, JournalEntry, readJournal } from "@coexist/provider/testing";
import { contosoStack, rehearsalProject } from "../harness/rehearsal";

// The cmdlet journal through the real CLI: a wave, a rollback and a refused write, with both
// secrets set as Pulumi secrets. Every write the simulated tenant received is in the journal,
// in order per user, with its outcome; no read is; no secret is anywhere in the file.
const CERT = "Journal-Cert'$(p)|8c1";
const SOURCE = 'Journal-Src;`&"-5e0';
const USERNAME = "CONTOSO\\svc-coexist";
const STACK = "journal-e2e";
const WRITE = /^(Set|New|Remove|Add|Enable|Disable)-/;

const project = rehearsalProject(STACK);
const { rehearsal } = project;
afterAll(() => project.cleanup());

const base = {
  ...contosoStack,
  waves: ["batches/wave1.csv"],
  source: { ...contosoStack.source, username: USERNAME },
  pool: { retryBaseMs: 10, retryMaxMs: 50, retryAttempts: 3 },
};
const journalFile = path.join(project.dir, "journal", `${STACK}.jsonl`);
const stateFile = () => fs.realpathSync(rehearsal.stateFile);
const up = ["up", "--yes", "--skip-preview", "--suppress-outputs"];

async function succeeds(args: string[], input?: string): Promise<string> {
  const r = await rehearsal.run(args, input);
  expect(r.code === 0 ? "ok" : r.output).toBe("ok");
  return r.output;
}
const entries = (from = 0): JournalEntry[] => readJournal(journalFile).slice(from);
const simulatedWrites = (from = 0) => commandLog(rehearsal.stateFile).filter((l) => l.cmdlet && WRITE.test(l.cmdlet)).slice(from);
/** A user's journal lines as "cmdlet outcome". */
const ofUser = (lines: JournalEntry[], email: string) =>
  lines.filter((l) => l.parameters.Member === email || l.parameters.Identity === email).map((l) => `${l.cmdlet} ${l.outcome}`);

describe("the cmdlet journal through the real CLI", () => {
  beforeAll(async () => {
    project.writeConfig(base);
    await rehearsal.reset({
      domain: "contoso.com",
      organization: "contoso.onmicrosoft.com",
      users: ["alice", "bob", "carol", "dave", "erin"],
      credentials: { certificatePassword: CERT, source: { username: USERNAME, password: SOURCE } },
    });
    await succeeds(["config", "set", "--secret", "coexist:certificatePassword"], CERT);
    await succeeds(["config", "set", "--secret", "coexist:sourcePassword"], SOURCE);
  });

  it("writes nothing at preview", async () => {
    await succeeds(["preview"]);
    expect(fs.existsSync(journalFile)).toBe(false);
  });

  it("records every write of a wave, in order per user, each ok with its time and target, and no read", async () => {
    const before = Date.now();
    await succeeds(up);
    const lines = entries();
    // Exactly the writes the simulated tenant and source received, and nothing else.
    expect(lines.map((l) => l.cmdlet).sort()).toEqual(simulatedWrites().map((l) => l.cmdlet).sort());
    expect(lines.filter((l) => cmdletSpecs.get(l.cmdlet)?.effect !== "write")).toEqual([]);
    expect(lines.map((l) => l.cmdlet)).toEqual(expect.arrayContaining(["Set-AcceptedDomain", "New-DistributionGroup", "New-OutboundConnector", "New-TransportRule"]));
    for (const user of ["alice", "bob", "carol"]) {
      expect(ofUser(lines, `${user}@contoso.com`)).toEqual(["Add-DistributionGroupMember ok", "Set-Mailbox ok"]);
    }
    for (const l of lines) {
      expect(l).toMatchObject({ stack: STACK, outcome: "ok", attempts: 1, target: { kind: "simulator", stateFile: stateFile() } });
      expect(Date.parse(l.time)).toBeGreaterThanOrEqual(before - 1000);
      expect(Date.parse(l.time)).toBeLessThanOrEqual(Date.now());
    }
    expect(new Set(lines.map((l) => l.role))).toEqual(new Set(["exchange", "source"]));
    expect(lines.find((l) => l.cmdlet === "Set-Mailbox" && l.parameters.Identity === "bob@contoso.com")?.parameters).toEqual({
      Identity: "bob@contoso.com",
      ForwardingSmtpAddress: "bob@contoso.onmicrosoft.com",
      DeliverToMailboxAndForward: false,
    });
  });

  it("records a rollback: forwarding off, then out of the group", async () => {
    const n = entries().length;
    await succeeds(["config", "set", "--path", "coexist:rollback[0]", "bob@contoso.com"]);
    await succeeds(up);
    const lines = entries(n);
    expect(lines.map((l) => `${l.role} ${l.cmdlet} ${l.outcome}`)).toEqual(["source Set-Mailbox ok", "exchange Remove-DistributionGroupMember ok"]);
    expect(lines[0]!.parameters).toMatchObject({ Identity: "bob@contoso.com", ForwardingSmtpAddress: null });
  });

  it("records a write the source refuses with its error, and the next run's writes after it", async () => {
    const n = entries().length;
    // The source account's role lacks Set-Mailbox: the group joins run, the forwards are refused.
    await succeeds(["config", "set", "--path", "coexist:waves[1]", "batches/wave2.csv"]);
    await succeeds(["config", "set", "--path", "coexist:source.roleLacks[0]", "Set-Mailbox"]);
    const failed = await rehearsal.run(up);
    expect(failed.code).not.toBe(0);
    const lines = entries(n);
    for (const user of ["dave", "erin"]) {
      expect(ofUser(lines, `${user}@contoso.com`)).toEqual(["Add-DistributionGroupMember ok", "Set-Mailbox error"]);
      const refused = lines.find((l) => l.cmdlet === "Set-Mailbox" && l.parameters.Identity === `${user}@contoso.com`)!;
      expect(refused.error?.message).toMatch(/not recognized/);
      expect(failed.output).toContain(refused.error!.message);
    }
    expect(lines.map((l) => l.cmdlet).sort()).toEqual(simulatedWrites().slice(-lines.length).map((l) => l.cmdlet).sort());
  });

  it("moves to coexist:journal's path, and stops at false", async () => {
    const n = entries().length;
    await succeeds(["config", "rm", "--path", "coexist:source.roleLacks"]);
    await succeeds(["config", "set", "coexist:journal", "audit/contoso.jsonl"]);
    await succeeds(up);
    const moved = readJournal(path.join(project.dir, "audit", "contoso.jsonl"));
    expect(entries().length).toBe(n);
    // The re-run plans from the live tenant (issue 24): they joined the group in the failed run, so only forwarding is left.
    for (const user of ["dave", "erin"]) expect(ofUser(moved, `${user}@contoso.com`)).toEqual(["Set-Mailbox ok"]);

    await succeeds(["config", "set", "coexist:journal", "false"]);
    await succeeds(["config", "set", "--path", "coexist:rollback[1]", "carol@contoso.com"]);
    const writes = simulatedWrites().length;
    await succeeds(up);
    expect(simulatedWrites().length).toBe(writes + 2);
    expect(entries().length).toBe(n);
    expect(readJournal(path.join(project.dir, "audit", "contoso.jsonl"))).toHaveLength(moved.length);
  });

  it("records the cleanup too: pulumi destroy does not run the program, and the journal still knows the stack", async () => {
    await succeeds(["config", "rm", "coexist:journal"]);
    for (const [i, user] of ["bob", "carol"].entries()) await succeeds(["config", "set", "--path", `coexist:acknowledge[${i}]`, `${user}@contoso.com`]);
    await succeeds(up); // records the provider configuration destroy uses
    rehearsal.updateWorld((w) => void (w.mx["contoso.com"] = "exchange"));
    const n = entries().length;
    await succeeds(["destroy", "--yes", "--skip-preview"]);
    const lines = entries(n);
    expect(lines.map((l) => l.cmdlet)).toEqual(expect.arrayContaining(["Remove-TransportRule", "Remove-OutboundConnector", "Remove-DistributionGroup", "Set-AcceptedDomain"]));
    expect(lines.every((l) => l.stack === STACK && l.outcome === "ok")).toBe(true);
    expect(lines.map((l) => l.cmdlet).sort()).toEqual(simulatedWrites().slice(-lines.length).map((l) => l.cmdlet).sort());
  });

  it("holds no secret and no connect setting", () => {
    const text = [journalFile, path.join(project.dir, "audit", "contoso.jsonl")].map((f) => fs.readFileSync(f, "utf8")).join("\n");
    expect(text.length).toBeGreaterThan(1000);
    for (const secret of [CERT, SOURCE, JSON.stringify(CERT).slice(1, -1), JSON.stringify(SOURCE).slice(1, -1)]) expect(text).not.toContain(secret);
    expect(text).not.toMatch(/certificatePassword|"password"|"allow"/i);
  });
});
