import * as fs from "node:fs";
import * as path from "node:path";
import { parse } from "csv-parse/sync";
import { z } from "zod";
import { VendorSettings } from "../config/provider";
import { SmtpAddress } from "../exchange/command";
import { fileNameOf } from "../journal/journal";
import { delimiterOf, layout, Place } from "../waves/csv";
import { Problem, quote } from "../waves/problems";

/**
 * A vendor source (docs/design/sources-google-and-vendor.md §6): a hosted mail system with no API.
 * coexist does the tenant side; for the source side it keeps a ledger of forwarding requests (the
 * history, one JSON line per request), writes a worksheet the consultant sends the vendor (every
 * request not yet confirmed) and reads the vendor's confirmations, which the consultant records in
 * a CSV. The worksheet is derived from the ledger and the confirmations and is rewritten whole.
 */

const LowerAddress = SmtpAddress.refine((s) => s === s.toLowerCase(), "must be lower-case");
/** The one time format of the ledger and the worksheet: UTC, to the second (§6's `2026-12-02T03:40:11Z`). */
const Time = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/, "must be a UTC time such as 2026-12-02T03:40:11Z")
  .refine((s) => !Number.isNaN(Date.parse(s)) && isoSeconds(new Date(s)) === s, "is not a real date and time");
export const VendorAction = z.enum(["add", "remove"]);
export type VendorAction = z.infer<typeof VendorAction>;

/** One forwarding request, as the ledger records it and the worksheet lists it. */
export const LedgerRow = z.object({ mailbox: LowerAddress, forwardTo: LowerAddress, action: VendorAction, time: Time });
export type LedgerRow = z.infer<typeof LedgerRow>;

/** One row of the confirmations CSV (`Mailbox,Action,ConfirmedAt`), `confirmedAt` in the ledger's format. */
export const Confirmation = z.object({ mailbox: LowerAddress, action: VendorAction, confirmedAt: Time });
export type Confirmation = z.infer<typeof Confirmation>;

/** A mailbox's vendor-side forwarding, from its latest ledger row (§6 "Maybe applied" in the gate). */
export const VendorState = z.object({
  mailbox: LowerAddress,
  /** The latest row's ForwardTo. */
  forwardTo: LowerAddress,
  latest: LedgerRow,
  confirmed: z.boolean(),
  /** add confirmed: on; remove confirmed: off; not confirmed: maybe (the vendor may or may not have applied it). */
  forwarding: z.enum(["on", "off", "maybe"]),
  /**
   * The ForwardingSmtpAddress in effect if the latest row is not applied yet (the gate's second
   * variant): for an unconfirmed add, the previous row's ForwardTo when that row was an add (the
   * vendor may still have the old forward), else null; for an unconfirmed remove, its ForwardTo.
   * null when the latest row is confirmed: there is no "not applied" variant then.
   */
  was: LowerAddress.nullable(),
});
export type VendorState = z.infer<typeof VendorState>;

export interface VendorFiles {
  /** The JSON-lines history of every request, beside the worksheet. */
  ledger: string;
  /** The CSV for the vendor: the requests not yet confirmed. */
  worksheet: string;
  /** The consultant's CSV of the vendor's confirmations. */
  confirmed: string;
}

/** `2026-12-02T03:40:11Z`: ISO 8601 UTC without milliseconds (truncated). */
export const isoSeconds = (d: Date): string => d.toISOString().replace(/\.\d{3}Z$/, "Z");

/**
 * The vendor files of a stack, absolute: coexist:vendor.worksheet and .confirmed relative to the
 * project (defaults worksheets/<stack>.csv and worksheets/<stack>.confirmed.csv); the ledger always
 * sits beside the worksheet as `<worksheet without .csv>.ledger.jsonl`.
 */
export function vendorFiles(settings: VendorSettings | undefined, projectDir: string, stack: string): VendorFiles {
  const name = fileNameOf(stack);
  const worksheet = path.resolve(projectDir, settings?.worksheet ?? path.join("worksheets", `${name}.csv`));
  const confirmed = path.resolve(projectDir, settings?.confirmed ?? path.join("worksheets", `${name}.confirmed.csv`));
  const ledger = `${worksheet.replace(/\.csv$/i, "")}.ledger.jsonl`;
  // The worksheet is rewritten whole: it must never be the consultant's confirmations file.
  if (worksheet === confirmed || ledger === confirmed)
    throw new Error(`coexist: coexist:vendor.worksheet and coexist:vendor.confirmed name the same file (${confirmed}); the worksheet is rewritten on every up, so give the confirmations their own file`);
  return { ledger, worksheet, confirmed };
}

// ---------------------------------------------------------------------------------------------
// The ledger

/**
 * What this process has parsed of each ledger file. A wave of thousands of requests reads the
 * ledger once per request, so only the bytes appended since the last read are parsed; a file
 * that was replaced (another inode), shrank, changed without growing, or whose last parsed bytes
 * changed (a rewrite in place) is parsed again whole.
 */
interface LedgerCache {
  dev: number;
  ino: number;
  /** Bytes parsed: whole lines only. */
  size: number;
  mtimeMs: number;
  lines: number;
  rows: LedgerRow[];
  /** The last bytes parsed, which an append leaves as they are. */
  end: Buffer;
}
const END_CHECK = 256;

function endBytes(fd: number, size: number): Buffer {
  const b = Buffer.alloc(Math.min(size, END_CHECK));
  const n = fs.readSync(fd, b, 0, b.length, size - b.length);
  return b.subarray(0, n);
}
const ledgerCaches = new Map<string, LedgerCache>();

function parseLedgerLines(file: string, text: string, firstLine: number, into: LedgerRow[]): number {
  const lines = text.split("\n");
  if (lines[lines.length - 1] === "") lines.pop();
  lines.forEach((l, i) => {
    if (l.trim() === "") return;
    let value: unknown;
    try {
      value = JSON.parse(l);
    } catch (e) {
      throw new Error(`${file}:${firstLine + i}: not a ledger row: ${(e as Error).message}`);
    }
    const row = LedgerRow.safeParse(value);
    if (!row.success) {
      const issue = row.error.issues[0]!;
      throw new Error(`${file}:${firstLine + i}: not a ledger row: ${issue.path.join(".") || "the line"} ${issue.message}`);
    }
    into.push(row.data);
  });
  return lines.length;
}

/** Every request in the ledger, in the order they were made. A missing file is []; a corrupt line throws, naming the file and line. */
export function readLedger(file: string): LedgerRow[] {
  let fd: number;
  try {
    fd = fs.openSync(file, "r");
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "ENOENT") {
      ledgerCaches.delete(file);
      return [];
    }
    throw e;
  }
  try {
    const st = fs.fstatSync(fd);
    let c = ledgerCaches.get(file);
    if (!c || c.dev !== st.dev || c.ino !== st.ino || st.size < c.size || (st.size === c.size && st.mtimeMs !== c.mtimeMs) || (st.mtimeMs !== c.mtimeMs && !endBytes(fd, c.size).equals(c.end)))
      c = { dev: st.dev, ino: st.ino, size: 0, mtimeMs: st.mtimeMs, lines: 0, rows: [], end: Buffer.alloc(0) };
    let tail: LedgerRow[] = [];
    if (st.size > c.size) {
      const buf = Buffer.alloc(st.size - c.size);
      let got = 0;
      while (got < buf.length) {
        const n = fs.readSync(fd, buf, got, buf.length - got, c.size + got);
        if (n === 0) break;
        got += n;
      }
      const end = buf.subarray(0, got).lastIndexOf(0x0a) + 1;
      const rows = [...c.rows];
      const lines = parseLedgerLines(file, buf.subarray(0, end).toString("utf8"), c.lines + 1, rows);
      // A last line without its newline (a hand edit) counts, but is parsed again next time.
      parseLedgerLines(file, buf.subarray(end, got).toString("utf8"), c.lines + lines + 1, tail);
      const size = c.size + end;
      c = { ...c, size, mtimeMs: st.mtimeMs, lines: c.lines + lines, rows, end: endBytes(fd, size) };
    }
    ledgerCaches.set(file, c);
    return [...c.rows, ...tail];
  } finally {
    fs.closeSync(fd);
  }
}

/** One whole line in one write on an O_APPEND descriptor, as Journal.append (journal/journal.ts): lines from several processes never tear. */
function appendLedger(file: string, row: LedgerRow): void {
  let fd: number;
  try {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fd = fs.openSync(file, fs.constants.O_RDWR | fs.constants.O_APPEND | fs.constants.O_CREAT, 0o600);
  } catch (e) {
    throw new Error(`coexist: cannot write the vendor ledger ${file}: ${(e as Error).message}; set coexist:vendor.worksheet to a writable path`);
  }
  try {
    // A hand-edited ledger may lack its last newline: the row must not be glued onto that line.
    const size = fs.fstatSync(fd).size;
    const last = Buffer.alloc(1);
    const lead = size > 0 && fs.readSync(fd, last, 0, 1, size - 1) === 1 && last[0] !== 0x0a ? "\n" : "";
    const line = Buffer.from(lead + JSON.stringify(row) + "\n", "utf8");
    let done = 0;
    // A regular file takes the whole buffer at once; the loop is only for a short write (disk full).
    while (done < line.length) done += fs.writeSync(fd, line, done);
  } finally {
    fs.closeSync(fd);
  }
}

const addressOf = (value: string, what: string): string => {
  const a = value.trim().toLowerCase();
  const r = SmtpAddress.safeParse(a);
  if (!r.success) throw new Error(`coexist: the vendor request's ${what} ${quote(value)} ${r.error.issues[0]!.message}`);
  return a;
};

/**
 * Records that the vendor should apply `want` (§6 "Worksheet"): called by the source step only
 * after the tenant step succeeded, so a row always means "safe to apply now". If the mailbox's
 * latest row already asks for the same action and ForwardTo, nothing is added and that row is
 * returned (a repeated `pulumi up` adds no duplicate). Otherwise one line is appended to the
 * ledger and the worksheet is rendered again.
 *
 * Synchronous on purpose: the resource operations of one provider process run concurrently on
 * one event loop, and a function with no await cannot be interleaved, so the read (for the
 * duplicate check), the append and the worksheet render of one request see every earlier
 * request and none half-done. This stands in for §6's exclusive lock within a process; across
 * processes the O_APPEND line keeps the ledger whole and the next render catches the worksheet up.
 *
 * `problems` are the confirmations file's bad rows, which count as not confirmed (the worksheet
 * then lists more, never less): the caller shows them.
 */
export function request(
  files: VendorFiles,
  want: { mailbox: string; forwardTo: string; action: VendorAction },
  now = new Date(),
  /** false: only the ledger line; the caller renders the worksheet once for many requests (vendorSteps.ts). */
  render = true,
): { row: LedgerRow; added: boolean; problems: Problem[] } {
  const mailbox = addressOf(want.mailbox, "mailbox");
  const forwardTo = addressOf(want.forwardTo, "forwardTo");
  const action = VendorAction.parse(want.action);
  const rows = readLedger(files.ledger);
  const latest = rows.findLast((r) => r.mailbox === mailbox);
  if (latest && latest.action === action && latest.forwardTo === forwardTo) return { row: latest, added: false, problems: [] };
  const row = LedgerRow.parse({ mailbox, forwardTo, action, time: isoSeconds(now) });
  appendLedger(files.ledger, row);
  // Rendered from the ledger read again (only the new bytes): rows another process appended count too.
  return { row, added: true, problems: render ? writeWorksheet(files) : [] };
}

// ---------------------------------------------------------------------------------------------
// Confirmations

type ConfirmationColumn = "mailbox" | "action" | "confirmedat";
const CONFIRMATION_COLUMNS: Record<string, { key: ConfirmationColumn; name: string }> = {
  mailbox: { key: "mailbox", name: "Mailbox" },
  action: { key: "action", name: "Action" },
  confirmedat: { key: "confirmedat", name: "ConfirmedAt" },
};
const HEADER_HELP = "expected the header Mailbox,Action,ConfirmedAt";

/**
 * ConfirmedAt as a consultant types it: a date and a time (`T` or a space between) with a zone
 * (`Z` or `±HH:MM`), seconds and fractions optional. A date alone or a time without a zone is
 * refused: it would have to be guessed, and a guess later than the truth confirms a request the
 * vendor had not seen. Returns the instant in the ledger's format (truncated to the second).
 */
function confirmedTime(value: string): string | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?\s*(Z|[+-]\d{2}:\d{2})$/i.exec(value);
  if (!m) return undefined;
  const [y, mo, d, h, mi, s] = m.slice(1, 7).map((v) => Number(v ?? 0)) as [number, number, number, number, number, number];
  const local = new Date(Date.UTC(y, mo - 1, d, h, mi, s));
  // Date.UTC rolls 2026-02-30 over to March 2 and 24:00 to the next day: refuse those.
  if (local.getUTCFullYear() !== y || local.getUTCMonth() !== mo - 1 || local.getUTCDate() !== d || local.getUTCHours() !== h || local.getUTCMinutes() !== mi || local.getUTCSeconds() !== s) return undefined;
  const zone = m[7]!.toUpperCase();
  const offset = zone === "Z" ? 0 : (zone[0] === "-" ? -1 : 1) * (Number(zone.slice(1, 3)) * 60 + Number(zone.slice(4, 6)));
  return isoSeconds(new Date(local.getTime() - offset * 60_000));
}

/**
 * The vendor's confirmations (§6 "Confirmations"), from a CSV with the header
 * `Mailbox,Action,ConfirmedAt` (any case; `;` as the separator when the header has no `,`, as
 * Excel writes in much of Europe). A missing or empty file is []. Every bad row is a problem
 * `shown:line:column` naming the field as the header spells it, and is left out: a row that
 * cannot be read confirms nothing.
 */
export function readConfirmations(file: string, shown: string, problems: Problem[]): Confirmation[] {
  let st: fs.Stats;
  try {
    st = fs.statSync(file);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "ENOENT") return [];
    throw e;
  }
  // Every request of a wave renders the worksheet: the file is parsed again only when it changed.
  const key = `${st.dev}:${st.ino}:${st.size}:${st.mtimeMs}:${shown}`;
  let cached = confirmationCaches.get(file);
  if (cached?.key !== key) {
    const found: Problem[] = [];
    cached = { key, confirmations: parseConfirmations(fs.readFileSync(file, "utf8"), shown, found), problems: found };
    confirmationCaches.set(file, cached);
  }
  problems.push(...cached.problems.map((p) => ({ ...p })));
  return [...cached.confirmations];
}

const confirmationCaches = new Map<string, { key: string; confirmations: Confirmation[]; problems: Problem[] }>();

/**
 * A CSV whose header names its columns (any case and order; `;` when the header has no `,`): the
 * confirmations and the worksheet. `columns` maps each header, lower-case, to its key and the name
 * messages give it. A header that is unknown, twice or missing, and a row with the wrong number of
 * fields, is a problem at its `file:line:column`; each other row goes to `row`, in file order (so
 * its problems stay in reading order). Nothing is read past a wrong header.
 */
function readTable<K extends string>(
  text: string,
  shown: string,
  problems: Problem[],
  columns: Record<string, { key: K; name: string }>,
  help: string,
  row: (record: string[], at: (field: number) => Place, header: string[], keys: K[]) => void,
): void {
  const delimiter = delimiterOf(text);
  let records: string[][];
  try {
    records = parse(text, { delimiter, bom: true, trim: true, skip_empty_lines: true, relax_column_count: true }) as string[][];
  } catch (e) {
    const err = e as { lines?: number; message: string };
    problems.push({ file: shown, line: err.lines ?? 1, column: 1, message: `not a readable CSV: ${err.message}` });
    return;
  }
  const places = layout(text, delimiter);
  const placeOf = (record: number, field: number): Place => places[record]?.fields[field] ?? places[record]?.end ?? { line: 1, column: 1 };
  const [header = [], ...body] = records;
  const keys = header.map((h) => (Object.hasOwn(columns, h.toLowerCase()) ? columns[h.toLowerCase()]!.key : undefined));
  const before = problems.length;
  keys.forEach((k, i) => {
    if (k === undefined) problems.push({ file: shown, ...placeOf(0, i), message: `unknown column ${quote(header[i]!)}; ${help}` });
    else if (keys.indexOf(k) !== i) problems.push({ file: shown, ...placeOf(0, i), message: `${header[i]} appears twice in the header` });
  });
  for (const { key, name } of Object.values(columns)) if (!keys.includes(key)) problems.push({ file: shown, ...placeOf(0, 0), message: `the header has no ${name} column; ${help}` });
  if (problems.length > before) return;
  body.forEach((record, r) => {
    const at = (i: number) => placeOf(r + 1, i);
    if (record.length !== header.length) problems.push({ file: shown, ...at(Math.min(record.length, header.length)), message: `expected ${header.length} fields (${header.join(", ")}), found ${record.length}` });
    else row(record, at, header, keys as K[]);
  });
}

function parseConfirmations(text: string, shown: string, problems: Problem[]): Confirmation[] {
  if (text.replace(/^\uFEFF/, "").trim() === "") return [];
  const out: Confirmation[] = [];
  readTable(text, shown, problems, CONFIRMATION_COLUMNS, HEADER_HELP, (record, at, header, columns) => {
    const row: Partial<Record<ConfirmationColumn, string>> = {};
    let bad = false;
    const fail = (i: number, message: string) => {
      problems.push({ file: shown, ...at(i), message: `${header[i]} ${message}` });
      bad = true;
    };
    columns.forEach((c, i) => {
      const value = record[i]!;
      if (value === "") return fail(i, "is empty");
      if (c === "mailbox") {
        const a = value.toLowerCase();
        const ok = SmtpAddress.safeParse(a);
        if (!ok.success) return fail(i, `${quote(value)} ${ok.error.issues[0]!.message}`);
        row.mailbox = a;
      } else if (c === "action") {
        const a = value.toLowerCase();
        if (a !== "add" && a !== "remove") return fail(i, `${quote(value)} must be add or remove`);
        row.action = a;
      } else {
        const t = confirmedTime(value);
        if (!t) return fail(i, `${quote(value)} is not a date and time with a zone; write it as 2026-12-02T10:15:00Z (UTC) or with an offset, 2026-12-02T11:15:00+01:00`);
        row.confirmedat = t;
      }
    });
    if (!bad) out.push({ mailbox: row.mailbox!, action: row.action as VendorAction, confirmedAt: row.confirmedat! });
  });
  return out;
}

/** A worksheet row (§6) and where it is in the file. */
export interface WorksheetRow {
  row: LedgerRow;
  line: number;
  places: Record<"mailbox" | "forwardTo" | "action" | "time", Place>;
}

type WorksheetColumn = keyof WorksheetRow["places"];
const WORKSHEET_COLUMNS: Record<string, { key: WorksheetColumn; name: string }> = {
  mailbox: { key: "mailbox", name: "Mailbox" },
  forwardto: { key: "forwardTo", name: "ForwardTo" },
  action: { key: "action", name: "Action" },
  time: { key: "time", name: "Time" },
};
const WORKSHEET_HEADER = "expected the header Mailbox,ForwardTo,Action,Time";

/**
 * The worksheet as the vendor hands it back, read (`rehearse vendor-apply` plays the vendor):
 * renderWorksheet's `Mailbox,ForwardTo,Action,Time` (any case and order; `;` when the header has
 * no `,`, as a spreadsheet may save it), Action add or remove, Time UTC to the second. Every bad
 * field is a problem at its `file:line:column`; none is applied then.
 */
export function readWorksheet(file: string, shown: string, problems: Problem[]): WorksheetRow[] {
  const out: WorksheetRow[] = [];
  readTable(fs.readFileSync(file, "utf8"), shown, problems, WORKSHEET_COLUMNS, WORKSHEET_HEADER, (record, at, header, columns) => {
    const value = Object.fromEntries(columns.map((c, i) => [c, c === "time" ? record[i]! : record[i]!.toLowerCase()]));
    const parsed = LedgerRow.safeParse(value);
    if (!parsed.success) {
      // One problem per field: its first.
      const fields = new Map(parsed.error.issues.reverse().map((issue) => [issue.path[0] as WorksheetColumn, issue.message]));
      for (const [c, message] of [...fields].reverse()) {
        const i = columns.indexOf(c);
        const shownValue = record[i] ?? "";
        problems.push({ file: shown, ...at(Math.max(i, 0)), message: `${header[i] ?? "the row"} ${shownValue === "" ? "is empty" : `${quote(shownValue)} ${c === "action" ? "must be add or remove" : message}`}` });
      }
      return;
    }
    const p = (c: WorksheetColumn) => at(columns.indexOf(c));
    out.push({ row: parsed.data, line: at(0).line, places: { mailbox: p("mailbox"), forwardTo: p("forwardTo"), action: p("action"), time: p("time") } });
  });
  return out;
}

/**
 * The latest ConfirmedAt per `mailbox action`, so each row is checked in O(1). Times compare as
 * strings: the schemas hold both to one fixed-width UTC format.
 */
function confirmationIndex(confirmations: readonly Confirmation[]): Map<string, string> {
  const index = new Map<string, string>();
  for (const c of confirmations) {
    const key = `${c.mailbox} ${c.action}`;
    const seen = index.get(key);
    if (seen === undefined || c.confirmedAt > seen) index.set(key, c.confirmedAt);
  }
  return index;
}

const confirmedBy = (row: LedgerRow, index: Map<string, string>): boolean => {
  const at = index.get(`${row.mailbox} ${row.action}`);
  return at !== undefined && at >= row.time;
};

/** §6: a confirmation counts only for the same mailbox and action, and only when ConfirmedAt ≥ the row's Time. */
export const isConfirmed = (row: LedgerRow, confirmations: readonly Confirmation[]): boolean => confirmedBy(row, confirmationIndex(confirmations));

// ---------------------------------------------------------------------------------------------
// States and the worksheet

/** Each mailbox's vendor-side state from its latest row (the ledger's order is the order of requests). */
export function vendorStates(rows: readonly LedgerRow[], confirmations: readonly Confirmation[]): Map<string, VendorState> {
  const index = confirmationIndex(confirmations);
  const last = new Map<string, { latest: LedgerRow; previous?: LedgerRow }>();
  for (const row of rows) last.set(row.mailbox, { latest: row, previous: last.get(row.mailbox)?.latest });
  const states = new Map<string, VendorState>();
  for (const [mailbox, { latest, previous }] of last) {
    const confirmed = confirmedBy(latest, index);
    const was = confirmed ? null : latest.action === "remove" ? latest.forwardTo : previous?.action === "add" ? previous.forwardTo : null;
    states.set(mailbox, { mailbox, forwardTo: latest.forwardTo, latest, confirmed, forwarding: !confirmed ? "maybe" : latest.action === "add" ? "on" : "off", was });
  }
  return states;
}

const oldestFirst = (a: LedgerRow, b: LedgerRow): number => (a.time < b.time ? -1 : a.time > b.time ? 1 : a.mailbox < b.mailbox ? -1 : a.mailbox > b.mailbox ? 1 : 0);

/**
 * Every mailbox's state as the stack's files say now: the ledger and the confirmations (their bad
 * rows go to `problems`, shown as `shown`). A refresh or a cleanup asks once per user, so the
 * states are worked out again only when either file changed (both are cached by what they hold):
 * at 10,000 ledger rows a call took 3 ms, and a refresh of 10,000 users 30 s, every time.
 * The map is shared between callers: read it, never change it.
 */
export function statesIn(files: VendorFiles, problems: Problem[], shown = files.confirmed): ReadonlyMap<string, VendorState> {
  const rows = readLedger(files.ledger);
  const confirmations = readConfirmations(files.confirmed, shown, problems);
  const ledger = ledgerCaches.get(files.ledger);
  const confirmed = confirmationCaches.get(files.confirmed)?.key ?? "";
  const hit = statesMemo.get(files.ledger);
  // rows beyond the cache: a last line with no newline yet, parsed each time (readLedger).
  if (ledger && hit?.ledger === ledger && hit.confirmed === confirmed && rows.length === ledger.rows.length) return hit.states;
  const states = vendorStates(rows, confirmations);
  if (ledger) statesMemo.set(files.ledger, { ledger, confirmed, states });
  return states;
}
const statesMemo = new Map<string, { ledger: LedgerCache; confirmed: string; states: ReadonlyMap<string, VendorState> }>();

/** Nothing left for the vendor to undo: never asked, or the removal confirmed. Only then may a rolled-back user's membership go back. */
export const released = (s: VendorState | undefined): boolean => s === undefined || (s.latest.action === "remove" && s.confirmed);

/** The forward the ledger last asked the vendor for, applied or not (none after a remove). */
export const askedForward = (s: VendorState | undefined): string | null => (s?.latest.action === "add" ? s.forwardTo : null);

/** The rolled-back or cleaned-up users waiting for the vendor: unconfirmed removes, oldest first (§6 "Order with a person in the loop"). */
export function waiting(states: ReadonlyMap<string, VendorState>): VendorState[] {
  return [...states.values()].filter((s) => !s.confirmed && s.latest.action === "remove").sort((a, b) => oldestFirst(a.latest, b.latest));
}

/**
 * A worksheet cell. A spreadsheet runs a cell that starts with = + - @, a tab or a CR as a
 * formula, and an address's local part may start with = + or -: such a cell gets a leading `'`
 * (OWASP, "CSV Injection"). A cell with `,` `"` or a line break is quoted, `"` doubled.
 */
export function worksheetCell(value: string): string {
  const v = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v;
}

/** A row's worksheet line, kept per row object: the ledger cache hands out the same objects, so a wave formats each row once. */
const lines = new WeakMap<LedgerRow, string>();
const lineOf = (r: LedgerRow): string => {
  let l = lines.get(r);
  if (l === undefined) lines.set(r, (l = `${[r.mailbox, r.forwardTo, r.action, r.time].map(worksheetCell).join(",")}\n`));
  return l;
};

/** The worksheet's text: `Mailbox,ForwardTo,Action,Time`, then each mailbox's latest row if unconfirmed, oldest first (by Time, then Mailbox); LF line ends. */
export function renderWorksheet(rows: readonly LedgerRow[], confirmations: readonly Confirmation[]): string {
  const open = [...vendorStates(rows, confirmations).values()].filter((s) => !s.confirmed).map((s) => s.latest).sort(oldestFirst);
  return "Mailbox,ForwardTo,Action,Time\n" + open.map(lineOf).join("");
}

/**
 * Writes the worksheet: to a temp file in its folder, then a rename, so a reader (or the
 * consultant's mail client) never sees half a file. With no rows it reads the ledger, and with no
 * confirmations the confirmations file, so an `up` that changes nothing still drops the rows
 * confirmed since. Returns the confirmations file's problems (bad rows count as unconfirmed).
 */
export function writeWorksheet(files: VendorFiles, rows?: readonly LedgerRow[], confirmations?: readonly Confirmation[]): Problem[] {
  const problems: Problem[] = [];
  const text = renderWorksheet(rows ?? readLedger(files.ledger), confirmations ?? readConfirmations(files.confirmed, files.confirmed, problems));
  const dir = path.dirname(files.worksheet);
  const temp = path.join(dir, `.${path.basename(files.worksheet)}.${process.pid}.${Date.now()}.tmp`);
  try {
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(temp, text, { mode: 0o600 });
    fs.renameSync(temp, files.worksheet);
  } catch (e) {
    fs.rmSync(temp, { force: true });
    throw new Error(`coexist: cannot write the vendor worksheet ${files.worksheet}: ${(e as Error).message}`);
  }
  return problems;
}
