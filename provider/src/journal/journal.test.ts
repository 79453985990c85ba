import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import * as c from "../exchange/cmdlets";
import { Role } from "../exchange/protocol";
import { AnyTarget, ExchangeOnlineTarget, OnPremisesTarget } from "../exchange/targets";
import { PoolOptions, SessionPool } from "../pool/sessionPool";
import { closeTestPools, exchangeFailure, freshWorld, simTarget, testPool } from "../testing/simulator";
import { DeferredJournal, fileNameOf, Journal, journalFile, readJournal, redactValue, targetIdentity } from "./journal";
import { stackArgument, stackOfUrn } from "./stack";

const tmp = () => fs.mkdtempSync(path.join(os.tmpdir(), "coexist-journal-"));

afterEach(() => closeTestPools());

const pool = (role: Role, target: AnyTarget, journal: PoolOptions["journal"], options: Partial<PoolOptions> = {}): SessionPool =>
  testPool(role, target, { retry: { attempts: 3, baseMs: 5, maxMs: 20 }, journal, ...options });

const fails = exchangeFailure;

describe("the cmdlet journal", () => {
  it("is journal/<stack>.jsonl under the project by default, a path relative to it when given, nothing when off", () => {
    expect(journalFile(undefined, "/p", "prod")).toBe("/p/journal/prod.jsonl");
    expect(journalFile(true, "/p", "org/coexist/prod")).toBe("/p/journal/prod.jsonl");
    expect(journalFile("audit/contoso.jsonl", "/p", "prod")).toBe("/p/audit/contoso.jsonl");
    expect(journalFile("/var/log/coexist.jsonl", "/p", "prod")).toBe("/var/log/coexist.jsonl");
    expect(journalFile(false, "/p", "prod")).toBeUndefined();
    expect(journalFile(undefined, "/p", undefined)).toBe("/p/journal/unknown-stack.jsonl");
    expect(fileNameOf("../etc/passwd")).toBe("passwd");
    expect(fileNameOf("..")).toBe("_");
    expect(fileNameOf("a b;c")).toBe("a_b_c");
  });

  it("names a target by what identifies it, never by a secret", () => {
    const online = ExchangeOnlineTarget.parse({ kind: "exchange-online", appId: "3f1c2a4e-8b7d-4c6e-9a10-2b3c4d5e6f70", organization: "contoso.onmicrosoft.com", certificateFilePath: "/s/c.pfx", certificatePassword: "pfx-secret" });
    const onprem = OnPremisesTarget.parse({ kind: "exchange-onprem", connectionUri: "https://ex01.contoso.com/PowerShell/", username: "CONTOSO\\svc", password: "src-secret" });
    expect(targetIdentity(online)).toEqual({ kind: "exchange-online", organization: "contoso.onmicrosoft.com", appId: "3f1c2a4e-8b7d-4c6e-9a10-2b3c4d5e6f70" });
    expect(targetIdentity(onprem)).toEqual({ kind: "exchange-onprem", connectionUri: "https://ex01.contoso.com/PowerShell/", username: "CONTOSO\\svc" });
    expect(targetIdentity(simTarget("/w.json", { password: "x" }))).toEqual({ kind: "simulator", stateFile: "/w.json" });
    const r = (s: string) => s.split("k3y").join("***");
    expect(redactValue({ Add: ["a-k3y"], Remove: ["b"] }, r)).toEqual({ Add: ["a-***"], Remove: ["b"] });
    expect([redactValue("k3y!", r), redactValue(["k3y"], r), redactValue(true, r), redactValue(null, r)]).toEqual(["***!", ["***"], true, null]);
  });

  it("finds the stack in a root URN and on a CLI command line", () => {
    expect(stackOfUrn("urn:pulumi:prod::coexist::pulumi:pulumi:Stack::coexist-prod")).toBe("prod");
    expect(stackOfUrn("")).toBeUndefined();
    expect(stackArgument(["pulumi", "destroy", "--yes", "--stack", "prod"])).toBe("prod");
    expect(stackArgument(["pulumi", "up", "-s", "org/coexist/prod"])).toBe("org/coexist/prod");
    expect(stackArgument(["pulumi", "refresh", "--stack=dev"])).toBe("dev");
    expect(stackArgument(["pulumi", "destroy"])).toBeUndefined();
  });

  it("records every write through the pool with its outcome, and no read", async () => {
    const { stateFile } = freshWorld();
    const file = path.join(tmp(), "journal", "test.jsonl");
    const journal = new Journal(file, "test");
    const exo = pool("exchange", simTarget(stateFile), journal);
    const source = pool("source", simTarget(stateFile), journal);
    await exo.run(c.NewDistributionGroup({ Name: "Migrated Users", PrimarySmtpAddress: "migrated@contoso.com", ManagedBy: ["admin"] }));
    await exo.run(c.GetDistributionGroup({ Identity: "migrated@contoso.com" }));
    await exo.run(c.AddDistributionGroupMember({ Identity: "Migrated Users", Member: "alice@contoso.com", BypassSecurityGroupManagerCheck: true }));
    await source.run(c.GetMailbox({ Identity: "alice@contoso.com" }));
    await source.run(c.SetMailbox({ Identity: "alice@contoso.com", ForwardingSmtpAddress: "alice@contoso.onmicrosoft.com", DeliverToMailboxAndForward: false }));
    const refused = await fails(source.run(c.SetMailbox({ Identity: "zoe@contoso.com", ForwardingSmtpAddress: "zoe@contoso.onmicrosoft.com" })));

    const lines = readJournal(file);
    expect(lines.map((l) => `${l.role} ${l.cmdlet} ${l.outcome}`)).toEqual([
      "exchange New-DistributionGroup ok",
      "exchange Add-DistributionGroupMember ok",
      "source Set-Mailbox ok",
      "source Set-Mailbox error",
    ]);
    const [, add, set, failed] = lines;
    expect(add).toMatchObject({ stack: "test", pid: process.pid, target: { kind: "simulator", stateFile }, parameters: { Identity: "Migrated Users", Member: "alice@contoso.com", BypassSecurityGroupManagerCheck: true }, attempts: 1 });
    expect(Date.parse(add!.time)).toBeGreaterThan(Date.now() - 60_000);
    expect(add!.ms).toBeGreaterThanOrEqual(0);
    expect(set).not.toHaveProperty("error");
    expect(set).not.toHaveProperty("retries");
    expect(failed!.error).toEqual({ kind: refused.kind, ...(refused.reason ? { reason: refused.reason } : {}), message: refused.message });
    expect(refused.kind).toBe("not-found");
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
  });

  it("records retries, a write given up on, and a write whose outcome is unknown", async () => {
    const { stateFile } = freshWorld();
    const file = path.join(tmp(), "j.jsonl");
    const journal = new Journal(file);
    // Every command answered transient: three attempts, two retries, then the error.
    const flaky = pool("exchange", simTarget(stateFile, { faults: { seed: 1, transientRate: 1, throttleRate: 0, crashRate: 0, crashPoint: "after-apply", hangRate: 0 } }), journal);
    const gaveUp = await fails(flaky.run(c.AddDistributionGroupMember({ Identity: "Migrated Users", Member: "bob@contoso.com" })));
    expect(gaveUp.message).toMatch(/gave up after 3 attempts/);
    // The runner dies right after applying its first command: a non-idempotent write is not retried.
    const dying = pool("exchange", simTarget(stateFile, { faults: { seed: 1, transientRate: 0, throttleRate: 0, crashRate: 0, crashAfter: 1, crashPoint: "after-apply", hangRate: 0 } }), journal);
    const unknown = await fails(dying.run(c.NewDistributionGroup({ Name: "Migrated Users", PrimarySmtpAddress: "migrated@contoso.com", ManagedBy: ["admin"] })));
    expect(unknown.reason).toBe("OutcomeUnknown");

    const [given, died] = readJournal(file);
    expect(given).toMatchObject({ cmdlet: "Add-DistributionGroupMember", outcome: "error", attempts: 3, error: { kind: "transient", message: gaveUp.message } });
    expect(given!.retries).toHaveLength(2);
    expect(given!.retries!.every((r) => r.kind === "transient")).toBe(true);
    expect(given).not.toHaveProperty("stack");
    expect(died).toMatchObject({ cmdlet: "New-DistributionGroup", outcome: "unknown", attempts: 1, error: { kind: "transient", reason: "OutcomeUnknown" } });
    expect(died!.error!.message).toMatch(/may or may not have taken effect/);
  });

  it("redacts the target's secrets from parameters and messages, and holds no connect settings", async () => {
    const SECRET = "zoe-s3cret";
    const { stateFile } = freshWorld();
    const file = path.join(tmp(), "j.jsonl");
    const source = pool("source", simTarget(stateFile, { username: "CONTOSO\\svc", password: SECRET }), new Journal(file));
    // A secret where no secret belongs (say, pasted into a CSV): it is still not written down.
    await fails(source.run(c.SetMailbox({ Identity: `${SECRET}@contoso.com`, ForwardingSmtpAddress: `${SECRET}@contoso.onmicrosoft.com` })));
    const text = fs.readFileSync(file, "utf8");
    expect(text).not.toContain(SECRET);
    expect(readJournal(file)[0]).toMatchObject({ parameters: { Identity: "***@contoso.com", ForwardingSmtpAddress: "***@contoso.onmicrosoft.com" }, outcome: "error" });
    expect(text).not.toMatch(/password|CONTOSO/);
  });

  it("holds a write until a journal whose file is still being worked out is ready", async () => {
    const { stateFile } = freshWorld();
    const file = path.join(tmp(), "late.jsonl");
    let ready!: (j: Journal) => void;
    const deferred = new DeferredJournal(new Promise<Journal>((r) => (ready = r)), "late");
    expect(JSON.stringify({ journal: deferred })).toBe('{"journal":"late"}');
    const exo = pool("exchange", simTarget(stateFile), deferred);
    const write = exo.run(c.NewDistributionGroup({ Name: "Migrated Users", PrimarySmtpAddress: "migrated@contoso.com", ManagedBy: ["admin"] }));
    await new Promise((r) => setTimeout(r, 100));
    expect(exo.stats.commands).toBe(0);
    ready(new Journal(file, "late-stack"));
    await write;
    expect(readJournal(file).map((l) => `${l.stack} ${l.cmdlet} ${l.outcome}`)).toEqual(["late-stack New-DistributionGroup ok"]);
  });

  it("refuses a write when the journal cannot be opened, before anything is sent", async () => {
    const { stateFile } = freshWorld();
    const dir = tmp();
    fs.writeFileSync(path.join(dir, "file"), "");
    const exo = pool("exchange", simTarget(stateFile), new Journal(path.join(dir, "file", "j.jsonl")));
    await expect(exo.run(c.NewDistributionGroup({ Name: "Migrated Users", PrimarySmtpAddress: "migrated@contoso.com", ManagedBy: ["admin"] }))).rejects.toThrow(/cannot open the cmdlet journal .*set coexist:journal/);
    expect(exo.stats.commands).toBe(0);
    // Reads never need it.
    expect(await exo.run(c.GetAcceptedDomain({ Identity: "contoso.com" }))).toHaveLength(1);
  });

  it("keeps every line whole when several processes append at once", async () => {
    const file = path.join(tmp(), "shared.jsonl");
    const script = `
      const { Journal } = require(${JSON.stringify(path.join(__dirname, "journal.js"))});
      const j = new Journal(${JSON.stringify(file)}, "p" + process.argv[1]);
      const long = "x".repeat(3000);
      for (let i = 0; i < 500; i++) j.append({ time: new Date().toISOString(), pid: process.pid, role: "source", target: { kind: "simulator", stateFile: long }, cmdlet: "Set-Mailbox", parameters: { Identity: "u" + i }, outcome: "ok", attempts: 1, ms: 0 });
    `;
    await Promise.all(
      [1, 2, 3, 4].map(
        (n) => new Promise<void>((resolve, reject) => spawn(process.execPath, ["-e", script, String(n)], { stdio: "inherit" }).on("exit", (code) => (code === 0 ? resolve() : reject(new Error(`writer ${n} exited ${code}`))))),
      ),
    );
    const lines = fs.readFileSync(file, "utf8").split("\n").filter((l) => l !== "");
    expect(lines).toHaveLength(2000);
    const parsed = lines.map((l) => JSON.parse(l) as { pid: number; parameters: { Identity: string } });
    // Each writer's lines, in its own order.
    for (const pid of new Set(parsed.map((p) => p.pid))) {
      expect(parsed.filter((p) => p.pid === pid).map((p) => p.parameters.Identity)).toEqual(Array.from({ length: 500 }, (_, i) => `u${i}`));
    }
  });
});
