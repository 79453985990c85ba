import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { formatProblem, InputError } from "../waves/problems";
import { loadInputs } from "../program/program";

/** For tests of the input check: a stack config and wave files, checked as the program does. */
export const baseConfig = {
  domain: "contoso.com",
  tenant: "contoso.onmicrosoft.com",
  smartHosts: ["mail.contoso-source.example"],
  sourceIpRanges: ["198.51.100.25"],
  groupOwners: ["admin"],
  exchange: { kind: "simulator", stateFile: "w.json" },
  source: { kind: "simulator", stateFile: "w.json" },
};

/**
 * A project dir holding `files` (copied from `from`, or written as given) and a stack file
 * written from `config` as JSON-valued YAML, plus the config getter Pulumi would hand over.
 */
export function inputProject(config: Record<string, unknown>, files: { from?: string; write?: Record<string, string> } = {}, stackYaml?: string) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "coexist-inputs-"));
  if (files.from) fs.cpSync(files.from, dir, { recursive: true });
  for (const [name, text] of Object.entries(files.write ?? {})) fs.writeFileSync(path.join(dir, name), text);
  fs.mkdirSync(path.join(dir, "stacks"));
  const stackFile = path.join(dir, "stacks", "Pulumi.t.yaml");
  fs.writeFileSync(stackFile, stackYaml ?? "config:\n" + Object.entries(config).map(([k, v]) => `  coexist:${k}: ${JSON.stringify(v)}`).join("\n") + "\n");
  const get = (k: string) => (config[k] === undefined ? undefined : typeof config[k] === "string" ? (config[k] as string) : JSON.stringify(config[k]));
  return { dir, stackFile, get, load: () => loadInputs(get, dir, stackFile), cleanup: () => fs.rmSync(dir, { recursive: true, force: true }) };
}

/** The formatted problems the input check reports, or [] when it accepts the input. */
export function inputProblems(project: ReturnType<typeof inputProject>): string[] {
  try {
    project.load();
    return [];
  } catch (e) {
    if (!(e instanceof InputError)) throw e;
    return e.problems.map(formatProblem);
  }
}
