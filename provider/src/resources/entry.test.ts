import * as fs from "node:fs";
import * as path from "node:path";
import { definitions, resourceHandlers } from "./handlers";

// Each resource kind is declared once, in the registry (handlers.ts definitions): its entry
// module (what state requires by name) is the two-line form for that kind, and nothing else is.
const entry = path.resolve(__dirname, "..", "..", "entry");
const shared = ["configure.js", "kind.js", "package.json"];

describe("the entry modules", () => {
  it("are exactly one two-line module per registered kind", () => {
    const files = fs.readdirSync(entry).filter((f) => !shared.includes(f)).sort();
    expect(files).toEqual(Object.keys(definitions).map((k) => `${k}.js`).sort());
    for (const kind of Object.keys(definitions)) {
      expect(fs.readFileSync(path.join(entry, `${kind}.js`), "utf8")).toBe(
        `// Serialized into state as require("@coexist/entry/${kind}.js"): keep it static and tiny.\nmodule.exports = require("./kind")("${kind}");\n`,
      );
    }
  });

  it("hand each call to that kind's handlers", async () => {
    for (const kind of Object.keys(definitions) as (keyof typeof definitions)[]) {
      const provider = require(path.join(entry, `${kind}.js`)) as Record<string, (...a: unknown[]) => Promise<unknown>>;
      expect(Object.keys(provider).sort()).toEqual(["check", "configure", "create", "delete", "diff", "read", "update"]);
      // check runs without Exchange: an empty input fails validation in that kind's own words.
      const checked = (await provider.check!({}, {})) as { failures?: { reason: string }[] };
      expect(checked.failures?.[0]?.reason).toMatch(new RegExp(`^${definitions[kind].name}: `));
      expect(resourceHandlers[kind]).toBeDefined();
    }
  });
});
