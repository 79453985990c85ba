import * as fs from "node:fs";
import { parse } from "csv-parse/sync";
import { z } from "zod";
import { Problem, quote } from "./problems";

/**
 * A wave is a CSV of users. coexist's own header is EmailAddress with optional ForwardTo,
 * SourceIdentity and ProxyAddress; the seeds' formats are accepted too:
 *   Mailbox, ForwardTo       (seed 1: forwarding per mailbox)
 *   Name, EmailAddress       (seed 1: proxy address per mailbox)
 *   Identity, Members        (seed 1: group membership; Identity names the group, which must be
 *                            the configured one: program/users.ts checks it)
 * Fields are separated by `,`, or by `;` when the header line has `;` and no `,` (Excel saves
 * CSV with the list separator of the machine's region, `;` in much of Europe).
 */
export const WaveRow = z.object({
  emailAddress: z.string(),
  /** Seed 1's membership format: the group its Identity column names. */
  group: z.string().optional(),
  forwardTo: z.string().optional(),
  sourceIdentity: z.string().optional(),
  proxyAddress: z.string().optional(),
});
export type WaveRow = z.infer<typeof WaveRow>;

export interface Place {
  line: number;
  column: number;
}

export interface ParsedRow {
  row: WaveRow;
  file: string;
  line: number;
  /** Where each field starts, by field name (a quoted line break moves later fields down). */
  places: Partial<Record<keyof WaveRow, Place>>;
  /** Each field's column header as the file spells it, for messages. */
  headers: Partial<Record<keyof WaveRow, string>>;
}

type Format = { name: string; fields: Record<string, keyof WaveRow>; required: string[] };
const FORMATS: Format[] = [
  {
    name: "coexist",
    fields: { emailaddress: "emailAddress", forwardto: "forwardTo", sourceidentity: "sourceIdentity", proxyaddress: "proxyAddress" },
    required: ["emailaddress"],
  },
  { name: "seed forwarding (Mailbox, ForwardTo)", fields: { mailbox: "emailAddress", forwardto: "forwardTo" }, required: ["mailbox", "forwardto"] },
  { name: "seed proxy (Name, EmailAddress)", fields: { name: "emailAddress", emailaddress: "proxyAddress" }, required: ["name", "emailaddress"] },
  { name: "seed membership (Identity, Members)", fields: { identity: "group", members: "emailAddress" }, required: ["identity", "members"] },
];
const HEADER_HELP = "expected a header of EmailAddress[, ForwardTo, SourceIdentity, ProxyAddress], or a manual recipe's format: Mailbox, ForwardTo | Name, EmailAddress | Identity, Members";


/**
 * Where each record and each of its fields starts (1-based line and column), from our own scan
 * of the text: csv-parse counts a CRLF inside quotes as two lines and so misnumbers every later
 * record. Blank records are skipped, as csv-parse's skip_empty_lines does.
 */
export function layout(text: string, delimiter = ","): { fields: Place[]; end: Place }[] {
  const out: { fields: Place[]; end: Place }[] = [];
  let line = 1;
  let column = 1;
  let quoted = false;
  let blank = true;
  // A field starts at its value, past the spaces the seeds' CSVs put after each comma.
  let padding = true;
  let fields: Place[] = [{ line, column }];
  const text0 = text.replace(/^\uFEFF/, "");
  for (let i = 0; i < text0.length; i++) {
    const ch = text0[i]!;
    if (ch === "\n" || ch === "\r") {
      if (ch === "\r" && text0[i + 1] === "\n") i++;
      if (!quoted && !blank) out.push({ fields, end: { line, column } });
      line++;
      column = 1;
      if (!quoted) {
        fields = [{ line, column }];
        blank = true;
        padding = true;
      }
      continue;
    }
    if (ch === '"') quoted = !quoted;
    if (ch === delimiter && !quoted) {
      column++;
      fields.push({ line, column });
      blank = false;
      padding = true;
      continue;
    }
    if (padding && (ch === " " || ch === "\t")) fields[fields.length - 1]!.column++;
    else padding = false;
    if (ch.trim() !== "") blank = false;
    column++;
  }
  if (!blank) out.push({ fields, end: { line, column } });
  return out;
}

/**
 * The field separator: `;` when the header line (the first non-blank one) has a `;` and no `,`
 * outside quotes, else `,`.
 */
export function delimiterOf(text: string): "," | ";" {
  const header = text.replace(/^\uFEFF/, "").split(/\r?\n|\r/).find((l) => l.trim() !== "") ?? "";
  const outside = header.replace(/"[^"]*"/g, "");
  return outside.includes(";") && !outside.includes(",") ? ";" : ",";
}

/** Parses one wave file; problems are appended to `problems` rather than thrown. */
export function readWave(file: string, problems: Problem[], text = fs.readFileSync(file, "utf8")): ParsedRow[] {
  let records: { record: string[]; info: { lines: number } }[];
  const delimiter = delimiterOf(text);
  try {
    records = parse(text, {
      delimiter,
      bom: true,
      trim: true,
      skip_empty_lines: true,
      relax_column_count: true,
      info: true,
    }) as unknown as typeof records;
  } catch (e) {
    const err = e as { lines?: number; message: string };
    problems.push({ file, line: err.lines ?? 1, column: 1, message: `not a readable CSV: ${err.message}` });
    return [];
  }
  const [header, ...rows] = records;
  if (!header) {
    problems.push({ file, line: 1, column: 1, message: `the file is empty; ${HEADER_HELP}` });
    return [];
  }
  const places = layout(text, delimiter);
  const placesOf = (record: number) => places[record] ?? { fields: [], end: { line: records[record]!.info.lines, column: 1 } };
  const names = header.record.map((h) => h.replace(/^\uFEFF/, "").trim().toLowerCase());
  const format = FORMATS.find((f) => f.required.every((r) => names.includes(r)) && names.every((n) => n in f.fields) && (f.name !== "coexist" || !names.includes("name")));
  if (!format) {
    const bad = names.findIndex((n) => !FORMATS.some((f) => n in f.fields));
    const at = placesOf(0).fields[Math.max(bad, 0)] ?? { line: 1, column: 1 };
    // A header that mixes the separators (`EmailAddress;ForwardTo,SourceIdentity`) is not guessed at.
    const mixed = header.record.some((h) => h.includes(";")) ? "; the header mixes ';' and ',' as separators: use one of them throughout" : "";
    problems.push({ file, ...at, message: `unrecognised header ${quote(header.record.join(", "))}; ${HEADER_HELP}${mixed}` });
    return [];
  }
  const headers: ParsedRow["headers"] = {};
  names.forEach((n, i) => {
    const key = format.fields[n];
    if (key) headers[key] = header.record[i]!.replace(/^\uFEFF/, "");
  });
  const out: ParsedRow[] = [];
  rows.forEach(({ record }, r) => {
    const { fields, end } = placesOf(r + 1);
    const line = fields[0]?.line ?? end.line;
    if (record.length !== names.length) {
      const at = fields[Math.min(record.length, names.length)] ?? end;
      problems.push({ file, ...at, message: `expected ${names.length} fields (${header.record.join(", ")}), found ${record.length}` });
      return;
    }
    const row: Record<string, string> = {};
    const at: ParsedRow["places"] = {};
    let empty = false;
    names.forEach((n, i) => {
      const key = format.fields[n];
      const value = record[i] ?? "";
      const place = fields[i] ?? { line, column: 1 };
      if (value === "" && format.required.includes(n)) {
        problems.push({ file, ...place, message: `${header.record[i]} is empty` });
        empty = true;
      }
      if (key && value !== "") {
        row[key] = value;
        at[key] = place;
      }
    });
    if (!empty) out.push({ row: row as WaveRow, file, line, places: at, headers });
  });
  return out;
}
