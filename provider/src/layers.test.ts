import * as fs from "node:fs";
import * as path from "node:path";

/*
 * Imports run one way, from the commands down to the cmdlets: a module may import its own
 * layer or a lower one, never a higher one. Tests and test helpers may reach anywhere. The
 * layers, low to high (issue 16: exchange ← simulator, runner ← pool ← resources ← program ←
 * plan, rehearsal ← cli):
 */
const LAYERS: string[][] = [
  ["exchange", "projectRoot"],
  // What the tenant and the inputs are: the simulated world's model, the routing model over
  // it, the wave files, the runner processes and the process's own host.
  ["simulator", "oracle", "waves", "runner", "host"],
  ["journal"],
  ["pool"],
  ["config", "snapshot", "preflight"],
  ["resources"],
  ["safety"],
  ["program"],
  ["plan"],
  ["rehearsal"],
  ["cli", "index"],
];

const src = path.resolve(__dirname, "..", "src");
const rank = (unit: string): number => LAYERS.findIndex((l) => l.includes(unit));
/** provider/src/<unit>/… or provider/src/<unit>.ts. */
const unitOf = (file: string): string => path.relative(src, file).split(path.sep)[0]!.replace(/\.ts$/, "");
// Benchmarks live in test/bench, outside the package: none is exempt here.
const isTest = (file: string) => /\.test\.ts$|[\\/]testing\.ts$|[\\/]testing[\\/]|hostileInputs\.ts$/.test(file);

interface Violation {
  file: string;
  imports: string;
  why: string;
}

/** Every relative import of these sources that climbs a layer, or reaches a folder no layer names. */
function violations(files: Record<string, string>): Violation[] {
  const found: Violation[] = [];
  for (const [file, text] of Object.entries(files)) {
    if (isTest(file)) continue;
    const from = unitOf(file);
    for (const m of text.matchAll(/(?:from\s+|require\(\s*|import\(\s*)["'](\.{1,2}\/[^"']+)["']/g)) {
      const target = path.resolve(path.dirname(file), m[1]!);
      if (!target.startsWith(src + path.sep)) continue;
      const to = unitOf(target.endsWith(".ts") ? target : `${target}.ts`);
      const [a, b] = [rank(from), rank(to)];
      if (a < 0 || b < 0) found.push({ file: path.relative(src, file), imports: m[1]!, why: `${a < 0 ? from : to} is in no layer` });
      else if (b > a) found.push({ file: path.relative(src, file), imports: m[1]!, why: `${from} (layer ${a}) imports ${to} (layer ${b}), a higher layer` });
    }
  }
  return found;
}

function sources(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, entry.name);
    if (entry.isDirectory()) Object.assign(out, sources(p));
    else if (entry.name.endsWith(".ts") && !entry.name.endsWith(".d.ts")) out[p] = fs.readFileSync(p, "utf8");
  }
  return out;
}

describe("the import graph", () => {
  const all = sources(src);

  it("runs one way: no module imports a higher layer, and every folder has a layer", () => {
    expect(violations(all)).toEqual([]);
    expect(Object.keys(all).length).toBeGreaterThan(50);
  });

  it("holds no benchmark: benchmarks live in test/bench, outside the package, so none climbs the layers", () => {
    expect(Object.keys(all).filter((f) => /bench/i.test(path.relative(src, f)))).toEqual([]);
  });

  it("catches a deliberately wrong import: the session pool reaching up into the program", () => {
    const pool = path.join(src, "pool", "sessionPool.ts");
    const wrong = { ...all, [pool]: `${all[pool]}\nimport { coexistence } from "../program/program";\n` };
    expect(violations(wrong)).toEqual([{ file: path.join("pool", "sessionPool.ts"), imports: "../program/program", why: "pool (layer 3) imports program (layer 7), a higher layer" }]);
  });

  it("catches an import of a folder no layer names, and lets tests reach anywhere", () => {
    const stray = path.join(src, "exchange", "stray.ts");
    expect(violations({ [stray]: `import { x } from "../newthing/x";` })).toEqual([{ file: path.join("exchange", "stray.ts"), imports: "../newthing/x", why: "newthing is in no layer" }]);
    expect(violations({ [path.join(src, "exchange", "a.test.ts")]: `import { coexistence } from "../program/program";` })).toEqual([]);
  });
});
