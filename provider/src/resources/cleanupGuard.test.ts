import * as fs from "node:fs";
import * as path from "node:path";
import * as os from "node:os";
import { CleanupRefused, declaredMigrated, mxRefusal, refusalFor, refusalPointer, strandedRefusal, strandedUsers } from "./cleanupGuard";

// The docs quote the cleanup refusals word for word: this keeps them equal to the code.
const docs = path.resolve(__dirname, "..", "..", "..", "docs");
/** A doc's text with its line wrapping undone, as a reader sees a quoted message. */
const read = (file: string) => fs.readFileSync(path.join(docs, file), "utf8").replace(/\s*\n\s*/g, " ");

describe("the cleanup refusal", () => {
  it.each(["runbook/05-cleanup.md", "troubleshooting.md"])("is quoted in %s exactly as the guard words it", (file) => {
    const text = read(file);
    expect(text).toContain(mxRefusal("contoso.com", "source"));
    expect(text).toContain(strandedRefusal("contoso.com", ["bob@contoso.com", "frank@contoso.com"]));
    expect(text).toContain(refusalPointer(mxRefusal("contoso.com", "source")));
  });

  it("gives its reason in full once, and the deletes after the first its cause and the users it names, so the reason is never lost", () => {
    const reason = strandedRefusal("contoso.com", ["bob@contoso.com"]);
    const first = new CleanupRefused(reason);
    const errors = [first, new CleanupRefused(reason), new CleanupRefused(reason)].map((e) => refusalFor(e) as Error);
    const pointer = "coexist: refusing to clean up: 1 user of contoso.com still lives on the source (no forwarding to Exchange Online): bob@contoso.com (the reason in full, with the fix, is given once, on another resource of this stack); nothing was removed";
    expect(errors.map((e) => e.message)).toEqual([reason, pointer, pointer]);
    expect(errors[0]).toBe(first);
    // Anything else passes through untouched.
    const other = new Error("Exchange said no");
    expect(refusalFor(other)).toBe(other);
  });
});

describe("who the cleanup would strand", () => {
  const mailbox = (u: string, forward: string | null = null) => ({ PrimarySmtpAddress: `${u}@contoso.com`, ForwardingSmtpAddress: forward, ForwardingAddress: null });
  const at = (...us: string[]) => new Set(us.map((u) => `${u}@contoso.com`));
  // alice is migrated and forwarded; bob is declared but his forward is off (a cleanup that stopped half-way); carol is at the source.
  const mailboxes = [mailbox("alice", "smtp:alice@contoso.onmicrosoft.com"), mailbox("bob"), mailbox("carol")];
  const stranded = (routing: "migratedGroup" | "pendingGroup", members: Set<string> | undefined, acknowledged = at()) =>
    strandedUsers({ domain: "contoso.com", routing, mailboxes, declared: at("alice", "bob"), members, acknowledged });

  it("judges a user at the source from the waves, whatever the group says after a change by hand", () => {
    // carol added to the migrated group by hand, or taken out of the pending group by hand.
    expect(stranded("migratedGroup", at("alice", "bob", "carol"))).toEqual(["carol@contoso.com"]);
    expect(stranded("pendingGroup", at())).toEqual(["carol@contoso.com"]);
  });

  it("lets a half-done cleanup resume, with the group or after it has gone, and lets an acknowledged user be", () => {
    expect(stranded("migratedGroup", at("alice", "bob"), at("carol"))).toEqual([]);
    expect(stranded("pendingGroup", at("carol"), at("carol"))).toEqual([]);
    expect(stranded("migratedGroup", undefined, at("carol"))).toEqual([]);
  });

  it("still holds back a declared user whom the group says is at the source (an up that stopped before their steps)", () => {
    expect(stranded("migratedGroup", at("alice"))).toEqual(["bob@contoso.com", "carol@contoso.com"]);
    expect(stranded("pendingGroup", at("bob", "carol"))).toEqual(["bob@contoso.com", "carol@contoso.com"]);
  });
});

describe("the users the stack declares migrated", () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "guard-"));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
  fs.writeFileSync(path.join(dir, "w1.csv"), "EmailAddress\nAlice@contoso.com\nbob@contoso.com\n");
  fs.writeFileSync(path.join(dir, "bad.csv"), "EmailAddress,ForwardTo\n,carol@contoso.onmicrosoft.com\n");

  it("are the waves' users minus coexist:rollback, read from the files now", () => {
    expect([...declaredMigrated({ waves: ["w1.csv"], rollback: ["BOB@contoso.com"] }, dir)]).toEqual(["alice@contoso.com"]);
  });

  it("cannot be known from a missing or bad wave file: the refusal names the file, line and field", () => {
    expect(() => declaredMigrated({ waves: ["gone.csv"], rollback: [] }, dir)).toThrow(new CleanupRefused('coexist: refusing to clean up: coexist:waves: wave file "gone.csv" does not exist'));
    expect(() => declaredMigrated({ waves: ["bad.csv"], rollback: [] }, dir)).toThrow(/^coexist: refusing to clean up: bad\.csv:2:1: EmailAddress is empty$/);
  });
});
