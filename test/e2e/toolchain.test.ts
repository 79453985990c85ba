import * as fs from "node:fs";
import * as path from "node:path";
import { execFileSync } from "node:child_process";
import { pulumiCommand, repoRoot, throwawayProject, ThrowawayProject } from "../harness/pulumi";

// A dynamic resource whose create/delete leave marks on disk, so the test sees that the real
// provider host ran them (preview must not), and whose outputs land in the exported state.
const program = `
const fs = require("fs");
const pulumi = require("@pulumi/pulumi");
const provider = {
  async create(inputs) {
    fs.appendFileSync(inputs.marks, "create " + inputs.name + "\\n");
    return { id: "greeting-" + inputs.name, outs: { name: inputs.name, marks: inputs.marks, text: "hello " + inputs.name } };
  },
  async delete(id, props) {
    fs.appendFileSync(props.marks, "delete " + props.name + "\\n");
  },
};
class Greeting extends pulumi.dynamic.Resource {
  constructor(name, args) { super(provider, name, { text: undefined, ...args }, {}); }
}
const g = new Greeting("g", { name: "contoso", marks: new pulumi.Config().require("marks") });
exports.text = g.text;
`;

describe("the toolchain", () => {
  let project: ThrowawayProject;
  afterAll(() => project?.cleanup());

  it("reports the pinned Pulumi version from the tools folder", async () => {
    const pinned = JSON.parse(fs.readFileSync(path.join(repoRoot, "node_modules/@pulumi/pulumi/package.json"), "utf8")).version;
    const cmd = await pulumiCommand();
    expect(cmd.version?.toString()).toBe(pinned);
    const printed = execFileSync(path.join(repoRoot, ".tools/bin/pulumi"), ["version"], { encoding: "utf8" }).trim();
    expect(printed).toBe(`v${pinned}`);
  });

  it("previews, creates and destroys a dynamic resource through the real CLI", async () => {
    const marksFile = path.join(fs.mkdtempSync(path.join(require("node:os").tmpdir(), "marks-")), "marks");
    fs.writeFileSync(marksFile, "");
    project = await throwawayProject("toolchain", { "index.js": program }, { marks: { value: marksFile } });
    const { stack } = project;

    const preview = await stack.preview();
    expect(preview.changeSummary).toEqual({ create: 2 }); // the stack and the greeting
    expect(fs.readFileSync(marksFile, "utf8")).toBe(""); // preview never runs create

    const up = await stack.up();
    expect(up.summary.result).toBe("succeeded");
    expect(up.outputs.text?.value).toBe("hello contoso");
    expect(fs.readFileSync(marksFile, "utf8")).toBe("create contoso\n");

    const state = await stack.exportStack();
    const resources: Array<{ type: string; id?: string; outputs?: Record<string, unknown> }> = state.deployment.resources;
    const greeting = resources.find((r) => r.type === "pulumi-nodejs:dynamic:Resource");
    expect(greeting?.id).toBe("greeting-contoso");
    expect(greeting?.outputs?.text).toBe("hello contoso");

    const down = await stack.destroy();
    expect(down.summary.result).toBe("succeeded");
    expect(fs.readFileSync(marksFile, "utf8")).toBe("create contoso\ndelete contoso\n");
    const after = await stack.exportStack();
    expect(after.deployment.resources ?? []).toHaveLength(0);
  });
});
