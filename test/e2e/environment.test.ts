import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { commandLog } from "@coexist/provider/testing";
import { repoRoot } from "../harness/pulumi";
import { contosoStack, rehearsalProject } from "../harness/rehearsal";

// The tool environment (scripts/env.sh) through the real CLI: given no passphrase, it uses the
// published rehearsal one, which is fine for a simulator stack and refused for a stack whose
// tenant is Exchange Online, at preview, at up and in the npm scripts that read a stack, before
// anything is read or written. The backend is this project's own (COEXIST_BACKEND_URL), so the
// repository's .pulumi-state is not touched; the backend default is covered by the unit tests.
const STACK = "envrefusal";
const project = rehearsalProject(STACK);
const { rehearsal } = project;
afterAll(() => project.cleanup());

const online = { kind: "exchange-online", appId: "00000000-0000-4000-8000-0000000000aa", organization: "contoso.onmicrosoft.com", certificateFilePath: "/secure/coexist.pfx" };
const base = { ...contosoStack, waves: ["batches/wave1.csv"] };

/** A command run the way the npm scripts run theirs: `source scripts/env.sh` first. */
function inToolEnvironment(command: string): Promise<{ code: number; output: string }> {
  const env: NodeJS.ProcessEnv = { ...project.env, COEXIST_BACKEND_URL: project.env.PULUMI_BACKEND_URL };
  // Nothing of the caller's: env.sh decides the passphrase and marks what it defaulted.
  for (const k of ["PULUMI_CONFIG_PASSPHRASE", "PULUMI_CONFIG_PASSPHRASE_FILE", "COEXIST_REHEARSAL_PASSPHRASE", "COEXIST_REHEARSAL_BACKEND"]) delete env[k];
  const child = spawn("bash", ["-c", `source ${JSON.stringify(path.join(repoRoot, "scripts", "env.sh"))} && cd ${JSON.stringify(project.dir)} && ${command}`], { env, stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  child.stdout.on("data", (d) => (output += d));
  child.stderr.on("data", (d) => (output += d));
  return new Promise((resolve) => child.on("close", (code) => resolve({ code: code ?? 1, output })));
}
const pulumi = (args: string) => inToolEnvironment(`pulumi ${args} --stack ${STACK} --non-interactive --color never`);
const REFUSAL = `coexist: refusing to run stack ${STACK} with the rehearsal's passphrase: its coexist:exchange is exchange-online, not the simulator. Nothing was run.`;

describe("the tool environment through the real CLI", () => {
  beforeAll(async () => {
    project.writeConfig({ ...base, exchange: online });
    fs.mkdirSync(path.dirname(rehearsal.stateFile), { recursive: true });
    await rehearsal.reset({ domain: "contoso.com", organization: "contoso.onmicrosoft.com", users: ["alice", "bob", "carol"] });
    // The stack is made in the tool environment, as a consultant following the demo would: its
    // secrets are encrypted with the rehearsal passphrase.
    await rehearsal.run(["stack", "rm", "--force", "--yes"]);
    project.writeConfig({ ...base, exchange: online });
    const init = await pulumi("stack init");
    expect(init.code === 0 ? "ok" : init.output).toBe("ok");
    expect(fs.readFileSync(rehearsal.stackFile, "utf8")).toMatch(/encryptionsalt:/);
  });

  it("refuses preview and up of an Exchange Online stack with the rehearsal passphrase, and says what to do", async () => {
    const preview = await pulumi("preview");
    expect(preview.code).not.toBe(0);
    expect(preview.output).toContain(REFUSAL);
    expect(preview.output).toContain("(scripts/env.sh set it: none was given)");
    expect(preview.output).toMatch(/PULUMI_BACKEND_URL or `pulumi login <url>`/);
    expect(preview.output).toMatch(/PULUMI_CONFIG_PASSPHRASE \(or PULUMI_CONFIG_PASSPHRASE_FILE\) set to this stack's own passphrase, or a stack made with another secrets provider/);
    const up = await pulumi("up --yes --skip-preview");
    expect(up.code).not.toBe(0);
    expect(up.output).toContain(REFUSAL);
    // Nothing applied, nothing even read: no connect, no command, no resource in the stack.
    expect(commandLog(rehearsal.stateFile)).toEqual([]);
    const exported = await pulumi("stack export");
    expect(exported.code === 0 ? "ok" : exported.output).toBe("ok");
    // (The CLI records the Stack itself even for a program that fails; nothing of coexist's.)
    const resources = (JSON.parse(exported.output).deployment.resources ?? []) as { type: string }[];
    expect(resources.filter((r) => r.type !== "pulumi:pulumi:Stack")).toEqual([]);
  });

  it("refuses npm run status and npm run plan for it too", async () => {
    const status = await inToolEnvironment(`node ${JSON.stringify(path.join(repoRoot, "provider", "dist", "cli", "status.js"))} --stack ${STACK}`);
    expect(status.code).toBe(1);
    expect(status.output).toContain(REFUSAL);
    const plan = await inToolEnvironment(`node ${JSON.stringify(path.join(repoRoot, "provider", "dist", "cli", "plan.js"))} --stack ${STACK}`);
    expect(plan.code).toBe(1);
    expect(plan.output).toContain(REFUSAL);
    expect(commandLog(rehearsal.stateFile)).toEqual([]);
  });

  it("runs the same stack on the simulator in the same environment", async () => {
    const n = commandLog(rehearsal.stateFile).length;
    expect(n).toBe(0);
    await inToolEnvironment(`pulumi config set coexist:exchange '${JSON.stringify(contosoStack.exchange)}' --stack ${STACK} --non-interactive`);
    const preview = await pulumi("preview");
    expect(preview.code === 0 ? "ok" : preview.output).toBe("ok");
    expect(preview.output).not.toContain("refusing");
    expect(commandLog(rehearsal.stateFile).length).toBeGreaterThan(0);
  });
});
