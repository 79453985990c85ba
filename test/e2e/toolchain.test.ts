import * as fs from "node:fs";
import * as path from "node:path";
import * as os from "node:os";
import { execFileSync, spawnSync } from "node:child_process";
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

  it("set-up takes a Pulumi CLI of the pinned version from PATH, passing over other versions and its own folder, with no Go", () => {
    const pinned = `v${JSON.parse(fs.readFileSync(path.join(repoRoot, "node_modules/@pulumi/pulumi/package.json"), "utf8")).version}`;
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "coexist-find-pulumi-"));
    try {
      const stub = (dir: string, version: string) => {
        fs.mkdirSync(path.join(tmp, dir), { recursive: true });
        fs.writeFileSync(path.join(tmp, dir, "pulumi"), `#!/bin/sh\n[ "$1" = version ] && echo ${version}\n`, { mode: 0o755 });
        return path.join(tmp, dir, "pulumi");
      };
      const own = stub("tools/bin", pinned); // set-up's own folder: never a candidate
      const older = stub("older", "v3.100.0");
      const pinnedOne = stub("pinned", pinned);
      const system = ["/usr/bin", "/bin"];
      expect(system.filter((d) => fs.existsSync(path.join(d, "go")))).toEqual([]); // no Go on this PATH
      const find = (dirs: string[]) =>
        spawnSync("/bin/bash", [path.join(repoRoot, "scripts/find-pulumi.sh"), pinned, path.dirname(own)], {
          env: { PATH: [...dirs.map((d) => path.join(tmp, d)), ...system].join(":") },
          encoding: "utf8",
        });

      const found = find(["tools/bin", "older", "pinned"]);
      expect([found.status, found.stdout.trim()]).toEqual([0, pinnedOne]);
      expect(found.stderr).toContain(`not using ${older}: it reports v3.100.0, not ${pinned}`);
      const none = find(["tools/bin", "older"]);
      expect([none.status, none.stdout]).toEqual([1, ""]);
      // setup.sh asks find-pulumi.sh (bash has no `command -v -a`, which found nothing).
      const setup = fs.readFileSync(path.join(repoRoot, "scripts/setup.sh"), "utf8");
      expect(setup).toContain('bash scripts/find-pulumi.sh "$want" "$bin"');
      expect(setup).not.toMatch(/command -v -a/);
    } finally {
      fs.rmSync(tmp, { recursive: true, force: true });
    }
  });

  it("previews, creates and destroys a dynamic resource through the real CLI", async () => {
    const marksFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "marks-")), "marks");
    fs.writeFileSync(marksFile, "");
    project = await throwawayProject("toolchain", { "index.js": program }, { marks: { value: marksFile } });
    const { stack } = project;

    const preview = await stack.preview();
    expect(preview.changeSummary).toEqual({ create: 2 }); // the stack and the greeting
    // The CLI takes its bundled plugins from beside itself in .tools/bin, where set-up puts
    // them, so it has no copy "from $PATH" to warn about.
    expect(preview.stdout).toMatch(/pulumi-nodejs:dynamic:Resource/);
    expect(`${preview.stdout}\n${preview.stderr}`).not.toMatch(/from \$PATH/);
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
