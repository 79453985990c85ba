import * as fs from "node:fs";
import * as path from "node:path";
import { commandLog } from "@coexist/provider/testing";
import { contosoStack, misrouted, rehearsalProject } from "../harness/rehearsal";

// Issue 13 items 2 and 5 through the real CLI: stack config and wave files that used to be
// misread in silence are refused at preview and at up, with the line to fix, and nothing is
// applied; a ';'-separated wave is read as it is.
const WRITE = /^(Set|New|Remove|Add|Enable|Disable)-/;
const USERS = ["alice", "bob", "carol", "dave", "erin", "frank"];

describe("input problems through the real CLI", () => {
  const project = rehearsalProject("inputs");
  const { rehearsal } = project;
  const base = { ...contosoStack, pool: { retryBaseMs: 10, retryMaxMs: 50, retryAttempts: 4 } };
  afterAll(() => project.cleanup());

  const writes = () => commandLog(rehearsal.stateFile).filter((l) => l.cmdlet && WRITE.test(l.cmdlet));
  async function succeeds(run: Promise<{ code: number; output: string }>) {
    const r = await run;
    expect(r.code === 0 ? "ok" : r.output).toBe("ok");
  }
  /** The stack config as YAML, as a user keeps it (each value in JSON's flow style, which is YAML). */
  const writeYaml = (config: Record<string, unknown>) =>
    fs.writeFileSync(rehearsal.stackFile, `config:\n${Object.entries(config).map(([k, v]) => `  coexist:${k}: ${JSON.stringify(v)}\n`).join("")}`);
  /** The line of the stack file holding `text` (the CLI rewrites the file on config set). */
  const lineOf = (text: string) => fs.readFileSync(rehearsal.stackFile, "utf8").split("\n").findIndex((l) => l.includes(text)) + 1;

  beforeAll(async () => {
    writeYaml({ ...base, waves: ["batches/wave1.csv"] });
    await rehearsal.reset({ domain: "contoso.com", organization: "contoso.onmicrosoft.com", users: USERS });
  });

  it("refuses a typo'd key (coexist:rolback) at preview and up with 'did you mean coexist:rollback', applying nothing", async () => {
    await succeeds(rehearsal.up());
    expect(misrouted(rehearsal.world(), ["alice", "bob", "carol"])).toEqual([]);
    const before = writes().length;

    await rehearsal.must(["config", "set", "coexist:rolback", "bob@contoso.com"]);
    const line = lineOf("coexist:rolback");
    expect(line).toBeGreaterThan(0);
    const message = `stacks/Pulumi.inputs.yaml:${line}:3: coexist:rolback is not a coexist setting; did you mean coexist:rollback?`;
    const preview = await rehearsal.run(["preview"]);
    expect(preview.code).not.toBe(0);
    expect(preview.output).toContain("error: 1 problem in the migration input; nothing was applied:");
    expect(preview.output).toContain(message);
    const up = await rehearsal.up();
    expect(up.code).not.toBe(0);
    expect(up.output).toContain(message);
    expect(writes().length).toBe(before);
    expect(rehearsal.world().tenant.groups[0]?.Members).toContain("bob@contoso.com");

    // Spelled right, the rollback happens.
    await rehearsal.must(["config", "rm", "coexist:rolback"]);
    await rehearsal.setConfig("coexist:rollback[0]", "bob@contoso.com");
    await succeeds(rehearsal.up());
    expect(misrouted(rehearsal.world(), ["alice", "carol"])).toEqual([]);
  });

  it("says a list key given one plain value must be a list, at the line that sets it", async () => {
    const before = writes().length;
    await rehearsal.must(["config", "set", "coexist:smartHosts", "mail.contoso-source.example"]);
    const preview = await rehearsal.run(["preview"]);
    expect(preview.code).not.toBe(0);
    expect(preview.output).toContain(
      `stacks/Pulumi.inputs.yaml:${lineOf("coexist:smartHosts")}:3: coexist:smartHosts must be a list (got a single value "mail.contoso-source.example"); write it as a YAML list`,
    );
    expect(preview.output).not.toContain("is required");
    expect(writes().length).toBe(before);
  });

  it("refuses a seed membership file naming another group, and reads a ';'-separated wave", async () => {
    fs.writeFileSync(path.join(project.dir, "batches", "sales.csv"), "Identity, Members\nSales, dave@contoso.com\n");
    fs.writeFileSync(path.join(project.dir, "batches", "excel.csv"), "Mailbox;ForwardTo\r\nerin@contoso.com;erin@contoso.onmicrosoft.com\r\n");
    writeYaml({ ...base, waves: ["batches/wave1.csv", "batches/sales.csv", "batches/excel.csv"], rollback: ["bob@contoso.com"] });
    const before = writes().length;
    const preview = await rehearsal.run(["preview"]);
    expect(preview.code).not.toBe(0);
    expect(preview.output).toContain("error: 1 problem in the migration input; nothing was applied:");
    expect(preview.output).toContain(`batches/sales.csv:2:1: Identity: "Sales" is not the group coexist uses, "Migrated Users" (migrated@contoso.com)`);
    expect(writes().length).toBe(before);

    fs.writeFileSync(path.join(project.dir, "batches", "sales.csv"), "Identity, Members\nmigrated@contoso.com, dave@contoso.com\n");
    await succeeds(rehearsal.up());
    expect(misrouted(rehearsal.world(), ["alice", "carol", "dave", "erin"])).toEqual([]);
  });
});
