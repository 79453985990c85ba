import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { REHEARSAL_PASSPHRASE } from "../program/environment";
import { environmentProblem } from "./stackInit";

const file = (text: string) => {
  const f = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "coexist-stackinit-")), "passphrase");
  fs.writeFileSync(f, text);
  return f;
};

describe("coexist stack init's environment", () => {
  it("refuses the published rehearsal passphrase, given directly or in a file", () => {
    expect(environmentProblem("prod", { from: "rehearsal" }, { PULUMI_CONFIG_PASSPHRASE: REHEARSAL_PASSPHRASE })).toContain("refusing to make stack prod under the published rehearsal passphrase");
    expect(environmentProblem("prod", { from: "rehearsal" }, { PULUMI_CONFIG_PASSPHRASE_FILE: file(`${REHEARSAL_PASSPHRASE}\n`) })).toContain("under the published rehearsal passphrase");
    expect(environmentProblem("prod", { from: "rehearsal" }, { PULUMI_CONFIG_PASSPHRASE: "" })).toContain("with an empty passphrase");
  });

  it("refuses the rehearsal backend scripts/env.sh set, even with a KMS", () => {
    const env = { PULUMI_BACKEND_URL: "file:///c/.pulumi-state", COEXIST_REHEARSAL_BACKEND: "file:///c/.pulumi-state", PULUMI_CONFIG_PASSPHRASE: "mine" };
    expect(environmentProblem("prod", { from: "rehearsal", secretsProvider: "awskms://alias/x" }, env)).toContain("on the rehearsal's backend (file:///c/.pulumi-state");
  });

  it("takes your own passphrase, a passphrase file, or another secrets provider", () => {
    expect(environmentProblem("prod", { from: "rehearsal" }, { PULUMI_CONFIG_PASSPHRASE: "mine" })).toBeUndefined();
    expect(environmentProblem("prod", { from: "rehearsal" }, { PULUMI_CONFIG_PASSPHRASE_FILE: file("a long one\n") })).toBeUndefined();
    expect(environmentProblem("prod", { from: "rehearsal", secretsProvider: "awskms://alias/x" }, { PULUMI_CONFIG_PASSPHRASE: REHEARSAL_PASSPHRASE })).toBeUndefined();
    expect(environmentProblem("prod", { from: "rehearsal" }, { PULUMI_CONFIG_PASSPHRASE_FILE: "/nonexistent/p" })).toContain("cannot be read");
  });
});
