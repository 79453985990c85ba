import * as fs from "node:fs";
import * as path from "node:path";
import { z } from "zod";
import { ErrorKind } from "./errors";

/**
 * The one error table (provider/src/runner/errorKinds.json): which kind an Exchange error means
 * to callers, derived from its text. runner.ps1 reads the same file from its own folder at start,
 * so the real runner and the simulator can never disagree about a text.
 */

// Compiled to provider/dist/exchange; the table ships as source beside runner.ps1.
export const errorTablePath = path.join(__dirname, "..", "..", "src", "runner", "errorKinds.json");

/**
 * What .NET and JavaScript regexes may read differently: lookbehind, named groups and
 * backreferences, inline options, conditionals, \A \Z \z \G \p \k, possessive or atomic forms.
 * A pattern with any of them is refused, so a row means the same thing in both runners.
 */
const UNPORTABLE = /\(\?<|\(\?[imnsx-]+[:)]|\(\?\(|\(\?>|\\[AZzGpPk]|[*+?}]\+|\(\?'/;

export function portabilityProblem(pattern: string): string | undefined {
  const m = UNPORTABLE.exec(pattern);
  if (m) return `uses ${JSON.stringify(m[0])}, which .NET and JavaScript read differently`;
  try {
    new RegExp(pattern, "i");
  } catch (e) {
    return (e as Error).message;
  }
  return undefined;
}

export const ErrorRow = z.strictObject({
  kind: ErrorKind,
  pattern: z.string().min(1).superRefine((p, ctx) => {
    const problem = portabilityProblem(p);
    if (problem) ctx.addIssue({ code: "custom", message: problem });
  }),
  /** Where the text was seen: a docs page, a reference section, or coexist's own runner text. */
  source: z.string().min(1),
});
export type ErrorRow = z.infer<typeof ErrorRow>;

export const ErrorTable = z.strictObject({ $comment: z.array(z.string()).optional(), rows: z.array(ErrorRow).min(1) });

export function readErrorTable(file = errorTablePath): ErrorRow[] {
  return ErrorTable.parse(JSON.parse(fs.readFileSync(file, "utf8"))).rows;
}

let compiled: Array<{ kind: ErrorKind; pattern: RegExp }> | undefined;
const table = () => (compiled ??= readErrorTable().map((r) => ({ kind: r.kind, pattern: new RegExp(r.pattern, "i") })));

/** What Get-ErrorKind in runner.ps1 does with "$reason`n$text": the first matching row's kind, else other. */
export function kindOf(reason: string | undefined, message: string): ErrorKind {
  const text = `${reason ?? ""}\n${message}`;
  return table().find((r) => r.pattern.test(text))?.kind ?? "other";
}

/** What runner.ps1's Invoke-Connect does: a failed connect is auth unless Exchange said it is busy. */
export function connectKindOf(reason: string | undefined, message: string): ErrorKind {
  return kindOf(reason, message) === "throttled" ? "throttled" : "auth";
}
