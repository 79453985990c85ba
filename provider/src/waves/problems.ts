import { unsafeCharacter } from "../exchange/command";

/** One thing wrong with an input file, reported as `file:line:column: message`. */
export interface Problem {
  file: string;
  line: number;
  column: number;
  message: string;
}

export const formatProblem = (p: Problem): string => `${p.file}:${p.line}:${p.column}: ${p.message}`;

/**
 * A value as a message quotes it: exactly as written (never lower-cased or trimmed), in double
 * quotes, an inner `"` doubled as in a CSV field (`say "hi"` is shown `"say ""hi"""`), unsafe
 * characters spelled `<U+XXXX>`, cut after `max` characters. A hostile cell can then neither
 * reorder nor flood a terminal, nor end the quote early.
 */
export function quote(value: string, max = 80): string {
  const chars = [...value];
  const shown = chars
    .slice(0, max)
    .map((c) => (c === '"' ? '""' : unsafeCharacter(c) ? `<${unsafeCharacter(c)}>` : c))
    .join("");
  return chars.length > max ? `"${shown}…" (${chars.length} characters)` : `"${shown}"`;
}

/**
 * Problems in reading order: grouped by file, files in `order` first (the stack file, then the
 * waves in coexist:waves order), any other file in the order it was first reported; within a
 * file by line, then column. Stable: problems at one place keep the order they were found in.
 */
export function sortProblems(problems: Problem[], order: string[] = []): Problem[] {
  const rank = new Map<string, number>();
  for (const f of [...order, ...problems.map((p) => p.file)]) if (!rank.has(f)) rank.set(f, rank.size);
  return problems
    .map((p, i) => ({ p, i }))
    .sort((a, b) => rank.get(a.p.file)! - rank.get(b.p.file)! || a.p.line - b.p.line || a.p.column - b.p.column || a.i - b.i)
    .map(({ p }) => p);
}

/** Every problem at once, so a consultant fixes a whole CSV in one pass; nothing is applied. */
export class InputError extends Error {
  readonly problems: Problem[];
  constructor(problems: Problem[]) {
    const sorted = sortProblems(problems);
    super(`${sorted.length} problem${sorted.length === 1 ? "" : "s"} in the migration input; nothing was applied:\n${sorted.map(formatProblem).join("\n")}`);
    this.name = "InputError";
    this.problems = sorted;
  }
}
