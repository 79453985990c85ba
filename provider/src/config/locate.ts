import * as fs from "node:fs";
import * as path from "node:path";

/** A stack's config file, where Pulumi.yaml's `stackConfigDir: stacks` puts it. */
export const stackFileOf = (projectDir: string, stack: string): string => path.join(projectDir, "stacks", `Pulumi.${stack}.yaml`);

// Where a stack config key is written in its file, for messages that name file:line:column.

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/**
 * The `coexist:` keys a stack file sets, where each one is written: YAML (`  coexist:domain: …`), or
 * JSON, which is YAML too and which the CLI keeps as JSON, on one line, when it rewrites such a
 * file on `pulumi config set`.
 */
export function stackKeys(file: string): { key: string; line: number; column: number }[] {
  let text: string;
  try {
    text = fs.readFileSync(file, "utf8");
  } catch {
    return [];
  }
  const out: { key: string; line: number; column: number }[] = [];
  for (const m of text.matchAll(/(^|[\s{,])((["']?)coexist:([^"'\s:]+)\3\s*:)/gm)) {
    const at = m.index + m[1]!.length;
    const before = text.slice(0, at);
    out.push({ key: m[4]!, line: before.split("\n").length, column: at - (before.lastIndexOf("\n") + 1) + 1 });
  }
  return out;
}

/**
 * Where a key sits in the stack's config file, for `file:line:column` messages. Pulumi hands
 * the program values, not positions, so the key is looked up in the file's text (YAML, or the
 * JSON that is YAML too: a key may be quoted). A field not found is reported at its key.
 */
export function locate(file: string, path: (string | number)[]): { line: number; column: number } {
  let text: string;
  try {
    text = fs.readFileSync(file, "utf8");
  } catch {
    return { line: 1, column: 1 };
  }
  const top = stackKeys(file).find((k) => k.key === String(path[0]));
  if (!top) return { line: 1, column: 1 };
  const lines = text.split(/\r?\n/);
  let from = top.line;
  let found = { line: top.line, column: top.column };
  for (const part of path.slice(1)) {
    for (let i = from; i < lines.length; i++) {
      const l = lines[i]!;
      const m = typeof part === "number" ? null : new RegExp(`^(\\s*(?:- )?)(["']?)${escapeRegExp(String(part))}\\2\\s*:`).exec(l);
      if (m) {
        found = { line: i + 1, column: m[1]!.length + 1 };
        from = i + 1;
        break;
      }
      if (typeof part === "number") {
        // The n-th list item below the previous key.
        let n = -1;
        for (let j = from; j < lines.length; j++) {
          if (/^\s*- /.test(lines[j]!)) n++;
          if (n === part) {
            found = { line: j + 1, column: lines[j]!.indexOf("- ") + 3 };
            from = j + 1;
            break;
          }
        }
        break;
      }
    }
  }
  return found;
}
