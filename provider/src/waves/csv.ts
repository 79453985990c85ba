import * as fs from "node:fs";
import { parse } from "csv-parse/sync";
import { z } from "zod";
import { quoted } from "../exchange/command";
import { Problem } from "./problems";

/**
 * A wave is a CSV of users. coexist's own header is EmailAddress with optional ForwardTo,
 * SourceIdentity and ProxyAddress; the seeds' formats are accepted too:
 *   Mailbox, ForwardTo       (seed 1: forwarding per mailbox)
 *   Name, EmailAddress       (seed 1: proxy address per mailbox)
 *   Identity, Members        (seed 1: group membership; Identity names the group)
 */
export const WaveRow = z.object({
  emailAddress: z.string(),
  forwardTo: z.string().optional(),
  sourceIdentity: z.string().optional(),
  proxyAddress: z.string().optional(),
});
export type WaveRow = z.infer<typeof WaveRow>;

export interface ParsedRow {
  row: WaveRow;
  file: string;
  line: number;
  /** The 1-based character column where each field starts, by field name. */
  columns: Partial<Record<keyof WaveRow, number>>;
  /** Each field's column header as the file spells it, for messages. */
  headers: Partial<Record<keyof WaveRow, string>>;
}

type Format = { name: string; fields: Record<string, keyof WaveRow | null>; required: string[] };
const FORMATS: Format[] = [
  {
    name: "coexist",
    fields: { emailaddress: "emailAddress", forwardto: "forwardTo", sourceidentity: "sourceIdentity", proxyaddress: "proxyAddress" },
    required: ["emailaddress"],
  },
  { name: "seed forwarding (Mailbox, ForwardTo)", fields: { mailbox: "emailAddress", forwardto: "forwardTo" }, required: ["mailbox", "forwardto"] },
  { name: "seed proxy (Name, EmailAddress)", fields: { name: "emailAddress", emailaddress: "proxyAddress" }, required: ["name", "emailaddress"] },
  { name: "seed membership (Identity, Members)", fields: { identity: null, members: "emailAddress" }, required: ["identity", "members"] },
];
const HEADER_HELP = "expected a header of EmailAddress[, ForwardTo, SourceIdentity, ProxyAddress], or a seed format: Mailbox, ForwardTo | Name, EmailAddress | Identity, Members";

/** Where each field of a raw CSV line starts (1-based), honouring quotes. */
function fieldStarts(raw: string): number[] {
  const starts = [1];
  let quoted = false;
  for (let i = 0; i < raw.length; i++) {
    const ch = raw[i];
    if (ch === '"') quoted = !quoted;
    else if (ch === "," && !quoted) starts.push(i + 2);
    else if ((ch === "\n" || ch === "\r") && !quoted) break;
  }
  // Point at the value, not at the space the seeds' CSVs put after each comma.
  return starts.map((s) => {
    let c = s;
    while (raw[c - 1] === " " || raw[c - 1] === "\t") c++;
    return c;
  });
}

/** Parses one wave file; problems are appended to `problems` rather than thrown. */
export function readWave(file: string, problems: Problem[], text = fs.readFileSync(file, "utf8")): ParsedRow[] {
  let records: { record: string[]; info: { lines: number }; raw: string }[];
  try {
    records = parse(text, {
      bom: true,
      trim: true,
      skip_empty_lines: true,
      relax_column_count: true,
      info: true,
      raw: true,
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
  const names = header.record.map((h) => h.replace(/^\uFEFF/, "").trim().toLowerCase());
  const format = FORMATS.find((f) => f.required.every((r) => names.includes(r)) && names.every((n) => n in f.fields) && (f.name !== "coexist" || !names.includes("name")));
  if (!format) {
    const starts = fieldStarts(header.raw);
    const bad = names.findIndex((n) => !FORMATS.some((f) => n in f.fields));
    problems.push({ file, line: header.info.lines, column: starts[Math.max(bad, 0)] ?? 1, message: `unrecognised header ${quoted(header.record.join(", "))}; ${HEADER_HELP}` });
    return [];
  }
  const headers: ParsedRow["headers"] = {};
  names.forEach((n, i) => {
    const key = format.fields[n];
    if (key) headers[key] = header.record[i]!.replace(/^\uFEFF/, "");
  });
  const out: ParsedRow[] = [];
  for (const { record, info, raw } of rows) {
    const line = info.lines - (raw.match(/\r?\n/g)?.length ?? 0) + (raw.endsWith("\n") ? 1 : 0);
    const starts = fieldStarts(raw);
    if (record.length !== names.length) {
      const column = starts[Math.min(record.length, names.length)] ?? raw.replace(/\r?\n$/, "").length + 1;
      problems.push({ file, line, column, message: `expected ${names.length} fields (${header.record.join(", ")}), found ${record.length}` });
      continue;
    }
    const row: Record<string, string> = {};
    const columns: ParsedRow["columns"] = {};
    let empty = false;
    names.forEach((n, i) => {
      const key = format.fields[n];
      const value = record[i] ?? "";
      if (value === "" && format.required.includes(n)) {
        problems.push({ file, line, column: starts[i] ?? 1, message: `${header.record[i]} is empty` });
        empty = true;
      }
      if (key && value !== "") {
        row[key] = value;
        columns[key] = starts[i] ?? 1;
      }
    });
    if (!empty) out.push({ row: row as WaveRow, file, line, columns, headers });
  }
  return out;
}
