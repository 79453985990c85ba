/** One thing wrong with an input file, reported as `file:line:column: message`. */
export interface Problem {
  file: string;
  line: number;
  column: number;
  message: string;
}

export const formatProblem = (p: Problem): string => `${p.file}:${p.line}:${p.column}: ${p.message}`;

/** Every problem at once, so a consultant fixes a whole CSV in one pass; nothing is applied. */
export class InputError extends Error {
  constructor(readonly problems: Problem[]) {
    super(`${problems.length} problem${problems.length === 1 ? "" : "s"} in the migration input; nothing was applied:\n${problems.map(formatProblem).join("\n")}`);
    this.name = "InputError";
  }
}
