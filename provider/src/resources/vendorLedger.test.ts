import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { formatProblem, Problem } from "../waves/problems";
import { Confirmation, isConfirmed, LedgerRow, readConfirmations, readLedger, renderWorksheet, request, statesIn, vendorFiles, VendorFiles, vendorStates, waiting, worksheetCell, writeWorksheet } from "./vendorLedger";

const tmp = () => fs.mkdtempSync(path.join(os.tmpdir(), "coexist-vendor-"));
const filesIn = (dir: string): VendorFiles => vendorFiles(undefined, dir, "prod");
const at = (iso: string) => new Date(iso);
const row = (mailbox: string, forwardTo: string, action: "add" | "remove", time: string): LedgerRow => ({ mailbox, forwardTo, action, time });
const read = (file: string) => fs.readFileSync(file, "utf8");

describe("the vendor ledger and worksheet (design §6)", () => {
  it("works the states out again only when the ledger or the confirmations changed, and then sees the change", () => {
    const dir = tmp();
    const f = filesIn(dir);
    request(f, { mailbox: "alice@contoso.com", forwardTo: "alice@contoso.onmicrosoft.com", action: "add" }, at("2026-12-02T03:40:11Z"));
    const first = statesIn(f, []);
    expect(statesIn(f, [])).toBe(first); // unchanged files: the same answer, not worked out again
    expect(first.get("alice@contoso.com")).toMatchObject({ forwarding: "maybe" });
    request(f, { mailbox: "bob@contoso.com", forwardTo: "bob@contoso.onmicrosoft.com", action: "add" }, at("2026-12-02T03:41:00Z"));
    const second = statesIn(f, []);
    expect(second).not.toBe(first);
    expect([...second.keys()]).toEqual(["alice@contoso.com", "bob@contoso.com"]);
    fs.writeFileSync(f.confirmed, "Mailbox,Action,ConfirmedAt\nalice@contoso.com,add,2026-12-02T04:00:00Z\n");
    expect(statesIn(f, []).get("alice@contoso.com")).toMatchObject({ forwarding: "on", confirmed: true });
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it("puts the files under worksheets/ by default, the ledger beside the worksheet, and the stack as a safe file name", () => {
    expect(vendorFiles(undefined, "/p", "org/coexist/prod")).toEqual({ ledger: "/p/worksheets/prod.ledger.jsonl", worksheet: "/p/worksheets/prod.csv", confirmed: "/p/worksheets/prod.confirmed.csv" });
    expect(vendorFiles({ worksheet: "out/HostCo.CSV", confirmed: "/in/replies.csv" }, "/p", "prod")).toEqual({ ledger: "/p/out/HostCo.ledger.jsonl", worksheet: "/p/out/HostCo.CSV", confirmed: "/in/replies.csv" });
    expect(vendorFiles(undefined, "/p", "../../etc/x y").worksheet).toBe("/p/worksheets/x_y.csv");
    expect(() => vendorFiles({ worksheet: "a.csv", confirmed: "a.csv" }, "/p", "prod")).toThrow(/name the same file/);
  });

  it("writes the worksheet's exact text for two adds and a remove, oldest first, LF line ends", () => {
    const files = filesIn(tmp());
    request(files, { mailbox: "Bob@Contoso.com", forwardTo: "bob@o365.contoso.com", action: "add" }, at("2026-12-02T03:40:11.900Z"));
    request(files, { mailbox: "alice@contoso.com", forwardTo: "alice@o365.contoso.com", action: "add" }, at("2026-12-02T03:40:11Z"));
    request(files, { mailbox: "carol@contoso.com", forwardTo: "carol@o365.contoso.com", action: "add" }, at("2026-12-02T03:39:00Z"));
    // carol rolled back: her latest row is the remove, which replaces her add on the worksheet.
    request(files, { mailbox: "carol@contoso.com", forwardTo: "carol@o365.contoso.com", action: "remove" }, at("2026-12-02T03:41:02Z"));
    expect(read(files.worksheet)).toBe(
      "Mailbox,ForwardTo,Action,Time\n" +
        "alice@contoso.com,alice@o365.contoso.com,add,2026-12-02T03:40:11Z\n" +
        "bob@contoso.com,bob@o365.contoso.com,add,2026-12-02T03:40:11Z\n" +
        "carol@contoso.com,carol@o365.contoso.com,remove,2026-12-02T03:41:02Z\n",
    );
    expect(readLedger(files.ledger)).toHaveLength(4);
    expect(fs.statSync(files.ledger).mode & 0o777).toBe(0o600);
    expect(fs.readdirSync(path.dirname(files.worksheet)).filter((f) => f.endsWith(".tmp"))).toEqual([]);
  });

  it("adds no row when a repeated up requests what the mailbox's latest row already asks for", () => {
    const files = filesIn(tmp());
    const want = { mailbox: "alice@contoso.com", forwardTo: "alice@o365.contoso.com", action: "add" as const };
    const first = request(files, want, at("2026-12-02T03:40:11Z"));
    const again = request(files, { ...want, mailbox: "ALICE@contoso.com" }, at("2026-12-02T05:00:00Z"));
    expect(first.added).toBe(true);
    expect(again).toEqual({ row: first.row, added: false, problems: [] });
    expect(readLedger(files.ledger)).toEqual([first.row]);
    // Another ForwardTo, or the other action, is a new request.
    expect(request(files, { ...want, forwardTo: "alice@contoso.mail.onmicrosoft.com" }, at("2026-12-02T05:01:00Z")).added).toBe(true);
    expect(request(files, { ...want, forwardTo: "alice@contoso.mail.onmicrosoft.com", action: "remove" }, at("2026-12-02T05:02:00Z")).added).toBe(true);
    expect(readLedger(files.ledger)).toHaveLength(3);
  });

  it("does not count a confirmation older than the request, or one for the other action or mailbox", () => {
    const r = row("alice@contoso.com", "alice@o365.contoso.com", "remove", "2026-12-02T03:41:02Z");
    const c = (confirmedAt: string, action: "add" | "remove" = "remove", mailbox = "alice@contoso.com"): Confirmation => ({ mailbox, action, confirmedAt });
    expect(isConfirmed(r, [c("2026-12-02T03:41:01Z")])).toBe(false);
    expect(isConfirmed(r, [c("2026-12-02T03:41:02Z", "add")])).toBe(false);
    expect(isConfirmed(r, [c("2026-12-02T03:41:02Z", "remove", "bob@contoso.com")])).toBe(false);
    expect(isConfirmed(r, [c("2026-12-02T03:41:02Z")])).toBe(true);
    // An earlier remove's confirmation does not confirm a later one.
    const states = vendorStates([row("alice@contoso.com", "a@o365.contoso.com", "remove", "2026-12-01T10:00:00Z"), row("alice@contoso.com", "a@o365.contoso.com", "add", "2026-12-01T11:00:00Z"), r], [c("2026-12-01T10:30:00Z")]);
    expect(states.get("alice@contoso.com")).toMatchObject({ confirmed: false, forwarding: "maybe" });
  });

  it("drops a row from the worksheet on the next render once its confirmation is recorded, and keeps the ledger", () => {
    const dir = tmp();
    const files = filesIn(dir);
    fs.mkdirSync(path.dirname(files.confirmed), { recursive: true });
    fs.writeFileSync(files.confirmed, "Mailbox,Action,ConfirmedAt\n");
    request(files, { mailbox: "alice@contoso.com", forwardTo: "alice@o365.contoso.com", action: "add" }, at("2026-12-02T03:40:11Z"));
    request(files, { mailbox: "bob@contoso.com", forwardTo: "bob@o365.contoso.com", action: "remove" }, at("2026-12-02T03:41:02Z"));
    expect(read(files.worksheet).split("\n")).toHaveLength(4);
    // The consultant records the vendor's reply while the provider process still runs.
    fs.writeFileSync(files.confirmed, "mailbox,ACTION,ConfirmedAt\r\nBob@Contoso.com,Remove,2026-12-02 04:41:02+01:00\r\nalice@contoso.com,add,2026-12-02T03:40:10Z\r\n");
    expect(writeWorksheet(files)).toEqual([]);
    expect(read(files.worksheet)).toBe("Mailbox,ForwardTo,Action,Time\nalice@contoso.com,alice@o365.contoso.com,add,2026-12-02T03:40:11Z\n");
    expect(readLedger(files.ledger)).toHaveLength(2);
    const states = vendorStates(readLedger(files.ledger), readConfirmations(files.confirmed, "c.csv", []));
    expect(states.get("bob@contoso.com")).toMatchObject({ confirmed: true, forwarding: "off", was: null });
    expect(waiting(states)).toEqual([]);
  });

  it("works out `was`, the forward in effect while the latest row is not applied: add after add, add after remove, an unconfirmed remove", () => {
    const states = vendorStates(
      [
        row("a@contoso.com", "a@old.contoso.com", "add", "2026-12-01T10:00:00Z"),
        row("b@contoso.com", "b@o365.contoso.com", "add", "2026-12-01T10:00:00Z"),
        row("b@contoso.com", "b@o365.contoso.com", "remove", "2026-12-01T11:00:00Z"),
        row("a@contoso.com", "a@o365.contoso.com", "add", "2026-12-01T12:00:00Z"),
        row("b@contoso.com", "b@o365.contoso.com", "add", "2026-12-01T12:00:00Z"),
        row("c@contoso.com", "c@o365.contoso.com", "add", "2026-12-01T10:00:00Z"),
        row("c@contoso.com", "c@o365.contoso.com", "remove", "2026-12-01T11:00:00Z"),
        row("d@contoso.com", "d@o365.contoso.com", "add", "2026-12-01T10:00:00Z"),
      ],
      [{ mailbox: "d@contoso.com", action: "add", confirmedAt: "2026-12-01T10:05:00Z" }],
    );
    expect(states.get("a@contoso.com")).toMatchObject({ forwardTo: "a@o365.contoso.com", forwarding: "maybe", was: "a@old.contoso.com" });
    expect(states.get("b@contoso.com")).toMatchObject({ forwardTo: "b@o365.contoso.com", forwarding: "maybe", was: null });
    expect(states.get("c@contoso.com")).toMatchObject({ forwardTo: "c@o365.contoso.com", forwarding: "maybe", was: "c@o365.contoso.com" });
    expect(states.get("d@contoso.com")).toMatchObject({ confirmed: true, forwarding: "on", was: null });
    expect(waiting(states).map((s) => s.mailbox)).toEqual(["c@contoso.com"]);
  });

  it("lists the waiting removes oldest first", () => {
    const states = vendorStates(
      [
        row("z@contoso.com", "z@o365.contoso.com", "remove", "2026-12-01T09:00:00Z"),
        row("b@contoso.com", "b@o365.contoso.com", "remove", "2026-12-01T10:00:00Z"),
        row("a@contoso.com", "a@o365.contoso.com", "remove", "2026-12-01T10:00:00Z"),
        row("y@contoso.com", "y@o365.contoso.com", "add", "2026-12-01T08:00:00Z"),
      ],
      [],
    );
    expect(waiting(states).map((s) => s.mailbox)).toEqual(["z@contoso.com", "a@contoso.com", "b@contoso.com"]);
  });

  it("reports every bad confirmation row as file:line:column naming the field as the header spells it, and counts none of them", () => {
    const dir = tmp();
    const file = path.join(dir, "c.csv");
    fs.writeFileSync(
      file,
      [
        "MAILBOX, action ,ConfirmedAt",
        "alice@contoso.com,add,2026-12-02T03:40:11Z",
        "not-an-address,add,2026-12-02T03:40:11Z",
        "bob@contoso.com,  delete,2026-12-02T03:40:11Z",
        "carol@contoso.com,remove,2026-12-02",
        "dave@contoso.com,remove,2026-02-30T10:00:00Z",
        "erin@contoso.com,remove",
        "",
        "frank@contoso.com,,2026-12-02T10:00:00Z",
      ].join("\n"),
    );
    const problems: Problem[] = [];
    const confirmations = readConfirmations(file, "worksheets/prod.confirmed.csv", problems);
    expect(confirmations).toEqual([{ mailbox: "alice@contoso.com", action: "add", confirmedAt: "2026-12-02T03:40:11Z" }]);
    expect(problems.map(formatProblem)).toEqual([
      'worksheets/prod.confirmed.csv:3:1: MAILBOX "not-an-address" is not a valid SMTP address',
      'worksheets/prod.confirmed.csv:4:19: action "delete" must be add or remove',
      'worksheets/prod.confirmed.csv:5:26: ConfirmedAt "2026-12-02" is not a date and time with a zone; write it as 2026-12-02T10:15:00Z (UTC) or with an offset, 2026-12-02T11:15:00+01:00',
      'worksheets/prod.confirmed.csv:6:25: ConfirmedAt "2026-02-30T10:00:00Z" is not a date and time with a zone; write it as 2026-12-02T10:15:00Z (UTC) or with an offset, 2026-12-02T11:15:00+01:00',
      "worksheets/prod.confirmed.csv:7:24: expected 3 fields (MAILBOX, action, ConfirmedAt), found 2",
      "worksheets/prod.confirmed.csv:9:19: action is empty",
    ]);
  });

  it("reports an unknown or missing header column, and reads a missing or empty file as no confirmations", () => {
    const dir = tmp();
    const file = path.join(dir, "c.csv");
    fs.writeFileSync(file, "Mailbox,Status,ConfirmedAt\nalice@contoso.com,add,2026-12-02T03:40:11Z\n");
    const problems: Problem[] = [];
    expect(readConfirmations(file, "c.csv", problems)).toEqual([]);
    fs.writeFileSync(file, "Mailbox;ConfirmedAt\nalice@contoso.com;2026-12-02T03:40:11Z\n");
    expect(readConfirmations(file, "c.csv", problems)).toEqual([]);
    expect(problems.map(formatProblem)).toEqual([
      'c.csv:1:9: unknown column "Status"; expected the header Mailbox,Action,ConfirmedAt',
      "c.csv:1:1: the header has no Action column; expected the header Mailbox,Action,ConfirmedAt",
      "c.csv:1:1: the header has no Action column; expected the header Mailbox,Action,ConfirmedAt",
    ]);
    const none: Problem[] = [];
    expect(readConfirmations(path.join(dir, "missing.csv"), "missing.csv", none)).toEqual([]);
    fs.writeFileSync(file, "\n");
    expect(readConfirmations(file, "c.csv", none)).toEqual([]);
    expect(none).toEqual([]);
  });

  it("guards worksheet cells against formula injection, since an address may start with = + or -", () => {
    expect(worksheetCell("=cmd|'/c calc'!A0@contoso.com")).toBe("'=cmd|'/c calc'!A0@contoso.com");
    expect(["+1@contoso.com", "-x@contoso.com", "@x", "\tx", "\rx"].map(worksheetCell)).toEqual(["'+1@contoso.com", "'-x@contoso.com", "'@x", "'\tx", "\"'\rx\""]);
    expect(worksheetCell('a,"b"')).toBe('"a,""b"""');
    expect(worksheetCell("alice@contoso.com")).toBe("alice@contoso.com");
    const files = filesIn(tmp());
    request(files, { mailbox: "=sum@contoso.com", forwardTo: "-sum@o365.contoso.com", action: "add" }, at("2026-12-02T03:40:11Z"));
    expect(read(files.worksheet)).toBe("Mailbox,ForwardTo,Action,Time\n'=sum@contoso.com,'-sum@o365.contoso.com,add,2026-12-02T03:40:11Z\n");
    expect(renderWorksheet(readLedger(files.ledger), [])).toBe(read(files.worksheet));
  });

  it("loses no row when one process makes many requests concurrently", async () => {
    const files = filesIn(tmp());
    const n = 200;
    // Each mailbox is requested twice at once, as two resources racing would: one row each.
    const results = await Promise.all(
      Array.from({ length: 2 * n }, async (_, j) => {
        const i = j % n;
        await new Promise((r) => setTimeout(r, (j * 7) % 13));
        return request(files, { mailbox: `user${i}@contoso.com`, forwardTo: `user${i}@o365.contoso.com`, action: i % 3 === 0 ? "remove" : "add" }, at(`2026-12-02T03:${String(Math.floor(i / 60)).padStart(2, "0")}:${String(i % 60).padStart(2, "0")}Z`));
      }),
    );
    expect(results.filter((r) => r.added)).toHaveLength(n);
    const ledger = readLedger(files.ledger);
    expect(new Set(ledger.map((r) => r.mailbox)).size).toBe(n);
    expect(read(files.ledger).split("\n").filter((l) => l !== "")).toHaveLength(n);
    const lines = read(files.worksheet).trimEnd().split("\n");
    expect(lines).toHaveLength(n + 1);
    expect(lines.slice(1)).toEqual([...lines.slice(1)].sort((a, b) => a.split(",")[3]!.localeCompare(b.split(",")[3]!)));
  });

  it("reads a missing ledger as [], names the file and line of a corrupt one, and sees lines another writer appended or rewrote", () => {
    const dir = tmp();
    const files = filesIn(dir);
    expect(readLedger(files.ledger)).toEqual([]);
    request(files, { mailbox: "alice@contoso.com", forwardTo: "alice@o365.contoso.com", action: "add" }, at("2026-12-02T03:40:11Z"));
    // Another provider process appends; a hand edit leaves the last line without its newline.
    fs.appendFileSync(files.ledger, JSON.stringify(row("bob@contoso.com", "bob@o365.contoso.com", "add", "2026-12-02T03:41:00Z")));
    expect(readLedger(files.ledger).map((r) => r.mailbox)).toEqual(["alice@contoso.com", "bob@contoso.com"]);
    request(files, { mailbox: "carol@contoso.com", forwardTo: "carol@o365.contoso.com", action: "add" }, at("2026-12-02T03:42:00Z"));
    expect(readLedger(files.ledger).map((r) => r.mailbox)).toEqual(["alice@contoso.com", "bob@contoso.com", "carol@contoso.com"]);
    // A rewrite of the file (a hand edit, shorter) is read again whole.
    fs.writeFileSync(files.ledger, JSON.stringify(row("dave@contoso.com", "dave@o365.contoso.com", "remove", "2026-12-02T03:43:00Z")) + "\n");
    expect(readLedger(files.ledger).map((r) => r.mailbox)).toEqual(["dave@contoso.com"]);
    // A rewrite in place that makes the file longer is no append: it is read again whole too.
    fs.writeFileSync(files.ledger, [row("dan@contoso.com", "dan@o365.contoso.com", "add", "2026-12-02T03:43:00Z"), row("eve@contoso.com", "eve@o365.contoso.com", "add", "2026-12-02T03:44:00Z")].map((r) => JSON.stringify(r) + "\n").join(""));
    expect(readLedger(files.ledger).map((r) => r.mailbox)).toEqual(["dan@contoso.com", "eve@contoso.com"]);
    fs.appendFileSync(files.ledger, '{"mailbox":"erin@contoso.com"\n');
    expect(() => readLedger(files.ledger)).toThrow(`${files.ledger}:3: not a ledger row`);
    fs.writeFileSync(files.ledger, JSON.stringify(row("erin@contoso.com", "erin@o365.contoso.com", "add", "2026-12-02T3:43:00Z")) + "\n");
    expect(() => readLedger(files.ledger)).toThrow(`${files.ledger}:1: not a ledger row: time must be a UTC time such as 2026-12-02T03:40:11Z`);
  });
});
