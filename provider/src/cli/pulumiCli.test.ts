import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { NODE_FLOOR, PULUMI_CLI_FLOOR } from "../preflight/floors";
import { pulumiCli } from "./pulumiCli";

/** A PATH holding only a `pulumi` that prints `said` (and the shell it needs). */
function pathWith(said: string | undefined): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "coexist-pulumi-"));
  if (said !== undefined) {
    fs.writeFileSync(path.join(dir, "pulumi"), `#!/bin/sh\necho '${said}'\n`, { mode: 0o755 });
  }
  return dir;
}

describe("the consultant's own Pulumi CLI", () => {
  it("is named, with how to install it, when PATH has none", () => {
    const cli = pulumiCli({ PATH: pathWith(undefined) });
    expect(cli).toEqual({ problem: expect.stringContaining(`no \`pulumi\` on PATH. coexist runs through the Pulumi CLI, v${PULUMI_CLI_FLOOR} or later: install the Pulumi CLI`) });
  });

  it("is refused below the floor, naming its version and the fix", () => {
    const cli = pulumiCli({ PATH: `${pathWith("v3.201.9")}:/bin:/usr/bin` });
    expect(cli).toEqual({ problem: expect.stringContaining(`the Pulumi CLI on PATH is v3.201.9; coexist needs v${PULUMI_CLI_FLOOR} or later. Update it`) });
  });

  it("is taken at the floor and above, not only at the pinned version", () => {
    for (const v of [`v${PULUMI_CLI_FLOOR}`, "v3.259.0", "v3.265.0", "v4.0.0-alpha.1"]) {
      expect(pulumiCli({ PATH: `${pathWith(v)}:/bin:/usr/bin` })).toEqual({ version: v.slice(1) });
    }
  });

  it("says what it got when `pulumi version` prints no version", () => {
    const cli = pulumiCli({ PATH: `${pathWith("warning: something odd")}:/bin:/usr/bin` });
    expect(cli).toEqual({ problem: expect.stringContaining("`pulumi version` did not give a version (exit 0: warning: something odd)") });
  });

  it("is the floor the project template's README and the own-project guide state", () => {
    const repo = path.join(__dirname, "..", "..", "..");
    for (const doc of ["templates/coexist/README.md", "docs/your-own-project.md", "README.md"]) {
      expect(`${doc}: ${fs.readFileSync(path.join(repo, doc), "utf8")}`).toContain(`v${PULUMI_CLI_FLOOR} or later`);
    }
  });

  it("states the same Node floor as the packages' engines", () => {
    const repo = path.join(__dirname, "..", "..", "..");
    for (const pkg of ["package.json", "provider/package.json"]) {
      expect(`${pkg}: ${(JSON.parse(fs.readFileSync(path.join(repo, pkg), "utf8")) as { engines: { node: string } }).engines.node}`).toBe(`${pkg}: >=${NODE_FLOOR.replace(/\.0$/, "")}`);
    }
  });
});
