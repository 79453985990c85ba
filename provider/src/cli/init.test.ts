import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { init, tarballs, templateDir } from "./init";

const tmp = () => fs.mkdtempSync(path.join(os.tmpdir(), "coexist-init-"));

/** A folder holding the two tarballs `npm run package` writes (their bytes do not matter here). */
function packs(): string {
  const dir = tmp();
  for (const t of tarballs()) fs.writeFileSync(path.join(dir, t), `packed ${t}`);
  return dir;
}

describe("coexist init", () => {
  it("names its @coexist dependencies as the tarballs in packages/, never as registry versions", () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(templateDir(), "package.json"), "utf8")) as { dependencies: Record<string, string> };
    const [provider, entry] = tarballs();
    expect(pkg.dependencies["@coexist/provider"]).toBe(`file:packages/${provider}`);
    expect(pkg.dependencies["@coexist/entry"]).toBe(`file:packages/${entry}`);
    for (const [name, spec] of Object.entries(pkg.dependencies)) if (name.startsWith("@coexist/")) expect(spec).toMatch(/^file:/);
  });

  it("copies the tarballs into the project and writes .npmrc and .gitignore from their dotless template names", () => {
    const project = path.join(tmp(), "fabrikam");
    const out = init(project, { packages: packs() });
    expect(out).toContain("coexist project fabrikam written to");
    expect(fs.readdirSync(path.join(project, "packages")).sort()).toEqual([...tarballs()].sort());
    expect(fs.readFileSync(path.join(project, ".npmrc"), "utf8")).toMatch(/^@coexist:registry=https:\/\/coexist\.invalid\/$/m);
    expect(fs.existsSync(path.join(project, ".gitignore"))).toBe(true);
    expect(fs.existsSync(path.join(project, "npmrc"))).toBe(false);
    // Once written, a second init would overwrite the customer's files: refused, tarballs included.
    expect(() => init(project, { packages: packs() })).toThrow(/already has .*packages\/coexist-provider/);
  });

  it("refuses, naming npm run package and --packages, when the folder does not hold both tarballs", () => {
    const half = tmp();
    fs.writeFileSync(path.join(half, tarballs()[0]!), "");
    const project = path.join(tmp(), "p");
    expect(() => init(project, { packages: half })).toThrow(`coexist init needs the packed packages ${tarballs().join(" and ")}: ${half} does not hold both. run \`npm run package\``);
    expect(fs.existsSync(project)).toBe(false);
  });
});
