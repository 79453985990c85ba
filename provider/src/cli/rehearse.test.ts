import * as fs from "node:fs";
import * as path from "node:path";
import { initialWorld } from "../simulator/scenario";
import { freshWorld, readWorld } from "../testing/simulator";
import { formatProblem, InputError } from "../waves/problems";
import { applyWorksheet, main } from "./rehearse";

/*
 * `npm run rehearse -- vendor-apply` plays the vendor of a rehearsal (docs/simulator.md): the
 * worksheet coexist wrote (docs/design/sources-google-and-vendor.md §6) applied to the world's
 * source mailboxes, and the vendor's confirmations recorded as the consultant records them.
 */

const vendorScenario = { domain: "contoso.com", organization: "contoso.onmicrosoft.com", users: ["alice", "bob", "carol"], sourceKind: "vendor" as const };

function setUp(worksheet: string) {
  const { dir, stateFile, store } = freshWorld(vendorScenario);
  store.update((w) => void (w.source.mailboxes.find((m) => m.Alias === "carol")!.ForwardingSmtpAddress = "carol@o365.contoso.com"));
  const files = { stateFile, worksheet: path.join(dir, "worksheets", "rehearsal.csv"), confirmed: path.join(dir, "worksheets", "rehearsal.confirmed.csv") };
  fs.mkdirSync(path.dirname(files.worksheet), { recursive: true });
  fs.writeFileSync(files.worksheet, worksheet);
  const forwards = () => Object.fromEntries(readWorld(stateFile).source.mailboxes.map((m) => [m.Alias, m.ForwardingSmtpAddress]));
  return { dir, files, forwards };
}

const sheet = [
  "Mailbox,ForwardTo,Action,Time",
  "alice@contoso.com,alice@o365.contoso.com,add,2026-12-02T03:40:11Z",
  "bob@contoso.com,bob@o365.contoso.com,add,2026-12-02T03:40:12Z",
  "carol@contoso.com,carol@o365.contoso.com,remove,2026-12-02T03:41:02Z",
].join("\n") + "\n";
const now = new Date("2026-12-02T05:00:00.123Z");

describe("the vendor of a rehearsal", () => {
  test("a rehearse init world for a vendor has ordinary source mailboxes, of kind vendor", () => {
    const w = initialWorld(vendorScenario);
    expect(w.source.kind).toBe("vendor");
    expect(w.source.mailboxes.map((m) => [m.PrimarySmtpAddress, m.ForwardingSmtpAddress, m.gmail])).toEqual([
      ["alice@contoso.com", null, undefined],
      ["bob@contoso.com", null, undefined],
      ["carol@contoso.com", null, undefined],
    ]);
  });

  test("applies every row in order and confirms each, creating the confirmations file with its header", () => {
    const { dir, files, forwards } = setUp(sheet);
    const out = applyWorksheet(files, {}, dir, now);
    expect(forwards()).toEqual({ alice: "alice@o365.contoso.com", bob: "bob@o365.contoso.com", carol: null });
    expect(fs.readFileSync(files.confirmed, "utf8")).toBe(
      "Mailbox,Action,ConfirmedAt\nalice@contoso.com,add,2026-12-02T05:00:00Z\nbob@contoso.com,add,2026-12-02T05:00:00Z\ncarol@contoso.com,remove,2026-12-02T05:00:00Z\n",
    );
    expect(out.split("\n")).toEqual([
      "the vendor applied 3 of the 3 unconfirmed rows of worksheets/rehearsal.csv to world.json",
      "  alice@contoso.com: forwarding to alice@o365.contoso.com (line 2)",
      "  bob@contoso.com: forwarding to bob@o365.contoso.com (line 3)",
      "  carol@contoso.com: forwarding to carol@o365.contoso.com removed (line 4)",
      "  confirmed in worksheets/rehearsal.confirmed.csv at 2026-12-02T05:00:00Z",
    ]);
  });

  test("--only N is a partial vendor: the first N rows not yet confirmed, and the next run goes on from there", () => {
    const { dir, files, forwards } = setUp(sheet);
    expect(applyWorksheet(files, { only: 1 }, dir, now)).toContain("  not yet (--only 1): bob@contoso.com: forwarding to bob@o365.contoso.com (line 3)");
    expect(forwards()).toEqual({ alice: "alice@o365.contoso.com", bob: null, carol: "carol@o365.contoso.com" });
    const later = new Date("2026-12-02T05:10:00Z");
    expect(applyWorksheet(files, { only: 1 }, dir, later).split("\n")).toEqual([
      "the vendor applied 1 of the 2 unconfirmed rows of worksheets/rehearsal.csv to world.json",
      "  bob@contoso.com: forwarding to bob@o365.contoso.com (line 3)",
      "  confirmed in worksheets/rehearsal.confirmed.csv at 2026-12-02T05:10:00Z",
      "  not yet (--only 1): carol@contoso.com: forwarding to carol@o365.contoso.com removed (line 4)",
      "  1 row already confirmed, left as it is",
    ]);
    expect(fs.readFileSync(files.confirmed, "utf8")).toBe("Mailbox,Action,ConfirmedAt\nalice@contoso.com,add,2026-12-02T05:00:00Z\nbob@contoso.com,add,2026-12-02T05:10:00Z\n");
    // --only 0: a vendor that did nothing yet.
    expect(applyWorksheet(files, { only: 0 }, dir, later)).toMatch(/^the vendor applied 0 of the 1 unconfirmed row of /);
  });

  test("a confirmation older than the row does not count: the row is applied again", () => {
    const { dir, files } = setUp(sheet);
    fs.writeFileSync(files.confirmed, "Mailbox,Action,ConfirmedAt\nalice@contoso.com,add,2026-12-01T00:00:00Z");
    expect(applyWorksheet(files, {}, dir, now)).toMatch(/^the vendor applied 3 of the 3 /);
    // Appended after the consultant's last line, which had no newline.
    expect(fs.readFileSync(files.confirmed, "utf8").split("\n").slice(0, 3)).toEqual(["Mailbox,Action,ConfirmedAt", "alice@contoso.com,add,2026-12-01T00:00:00Z", "alice@contoso.com,add,2026-12-02T05:00:00Z"]);
  });

  test("bad rows are refused with file:line:column, and nothing is applied", () => {
    const { dir, files, forwards } = setUp(
      [
        "Mailbox,ForwardTo,Action,Time",
        "alice@contoso.com,alice@o365.contoso.com,add,2026-12-02T03:40:11Z",
        "bob@contoso.com,bob@o365.contoso.com,delete,2026-12-02T03:40:12Z",
        "not-an-address,x@o365.contoso.com,add,2026-12-02T03:40:12Z",
        "carol@contoso.com,carol@o365.contoso.com,remove,yesterday",
        "dave@contoso.com,dave@o365.contoso.com,add,2026-12-02T03:40:13Z",
        "erin@contoso.com,,add",
      ].join("\n"),
    );
    let error: unknown;
    try {
      applyWorksheet(files, {}, dir, now);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(InputError);
    expect((error as InputError).problems.map(formatProblem)).toEqual([
      'worksheets/rehearsal.csv:3:38: Action "delete" must be add or remove',
      'worksheets/rehearsal.csv:4:1: Mailbox "not-an-address" is not a valid SMTP address',
      'worksheets/rehearsal.csv:5:49: Time "yesterday" must be a UTC time such as 2026-12-02T03:40:11Z',
      'worksheets/rehearsal.csv:6:1: Mailbox "dave@contoso.com" is no mailbox at the vendor (world.json)',
      "worksheets/rehearsal.csv:7:22: expected 4 fields (Mailbox, ForwardTo, Action, Time), found 3",
    ]);
    expect(forwards()).toEqual({ alice: null, bob: null, carol: "carol@o365.contoso.com" });
    expect(fs.existsSync(files.confirmed)).toBe(false);
  });

  test("a worksheet without the vendor's header is refused", () => {
    const { dir, files } = setUp("EmailAddress,ForwardTo\nalice@contoso.com,alice@o365.contoso.com\n");
    expect(() => applyWorksheet(files, {}, dir, now)).toThrow(
      /worksheets\/rehearsal.csv:1:1: unknown column "EmailAddress"; expected the header Mailbox,ForwardTo,Action,Time[\s\S]*the header has no Mailbox column/,
    );
  });

  test("no worksheet yet: up writes it", () => {
    const { dir, files } = setUp(sheet);
    fs.rmSync(files.worksheet);
    expect(() => applyWorksheet(files, {}, dir, now)).toThrow("worksheets/rehearsal.csv does not exist: pulumi up writes the worksheet when a wave needs the vendor");
  });

  test("the command line names vendor-apply in its usage, and --only takes a number", () => {
    expect(() => main(["vendor-apply"])).toThrow("npm run rehearse -- vendor-apply --stack NAME [--only N]");
    expect(() => main(["vendor-apply", "--stack", "x", "--only", "two"])).toThrow('--only takes a number of rows, not "two"');
  });
});
