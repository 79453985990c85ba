import * as fs from "node:fs";
import * as path from "node:path";
import { repoRoot } from "../harness/pulumi";

// The demo runs in examples/contoso; the e2e harness copies the repository's own stacks/ and
// batches/. The two copies must not drift: same waves, same stack config (comments aside).
const example = path.join(repoRoot, "examples", "contoso");
const withoutComments = (text: string) =>
  text
    .split("\n")
    .filter((l) => !/^\s*#/.test(l) && l.trim() !== "")
    .join("\n");

describe("the example project", () => {
  it("has the same wave files as the repository's batches/", () => {
    const waves = fs.readdirSync(path.join(repoRoot, "batches")).sort();
    expect(fs.readdirSync(path.join(example, "batches")).sort()).toEqual(waves);
    for (const w of waves) expect(fs.readFileSync(path.join(example, "batches", w), "utf8")).toBe(fs.readFileSync(path.join(repoRoot, "batches", w), "utf8"));
  });

  it("has the same demo stacks as the repository's stacks/ (seed 2's, seed 1's, a Google source's and a vendor's), comments aside", () => {
    const stacks = fs.readdirSync(path.join(repoRoot, "stacks")).sort();
    expect(stacks).toEqual(["Pulumi.demo.yaml", "Pulumi.google.yaml", "Pulumi.seed1.yaml", "Pulumi.vendor.yaml"]);
    expect(fs.readdirSync(path.join(example, "stacks")).sort()).toEqual(stacks);
    const read = (dir: string, file: string) => withoutComments(fs.readFileSync(path.join(dir, "stacks", file), "utf8"));
    for (const s of stacks) expect(read(example, s)).toBe(read(repoRoot, s));
  });
});
