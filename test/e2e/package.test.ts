import { execFileSync, spawn } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { sealedWithRehearsalPassphrase } from "@coexist/provider/dist/program/environment";
import { PULUMI_CLI_FLOOR } from "@coexist/provider/dist/preflight/floors";
import { repoRoot } from "../harness/pulumi";
import { recordingRegistry, RecordingRegistry } from "../harness/registry";

/**
 * What a consultant runs, verbatim: the README's "Start your own project" block, as one bash
 * script, from this checkout, with a Pulumi CLI installed the usual way (where the official
 * installer puts it, ~/.pulumi/bin: `pulumi` and its bundled plugins) and nothing of the
 * checkout's environment: no scripts/env.sh, no COEXIST_* variables, a HOME of its own (so
 * `~/fabrikam-migration` and the state land in it). PULUMI_HOME names that HOME's ~/.pulumi
 * because the CLI finds its home from the user database, not $HOME. npm asks a recording
 * registry that forwards to the real one, which proves no install asks any registry for
 * @coexist/* (issue 27).
 */
const README = fs.readFileSync(path.join(repoRoot, "README.md"), "utf8");

/** The first ```sh block under "## Start your own project". */
function ownProjectBlock(): string[] {
  const section = README.slice(README.indexOf("## Start your own project"));
  const block = /```sh\n([\s\S]*?)```/.exec(section)?.[1];
  if (!block) throw new Error("README.md has no ```sh block under ## Start your own project");
  return block.split("\n").filter((l) => l.trim() !== "" && !l.trim().startsWith("#"));
}

interface Run {
  status: number;
  out: string;
}

describe("a consultant's own project, made from the README with the packed packages", () => {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "coexist-package-"));
  const home = path.join(tmp, "home");
  const project = path.join(home, "fabrikam-migration");
  // A Pulumi CLI installed the usual way: `pulumi` with its language host and dynamic-provider
  // shim beside it (what the official archive holds), real copies outside the checkout.
  const pulumiBin = path.join(home, ".pulumi", "bin");
  let registry: RecordingRegistry;
  const repoPath = (p: string) => p === repoRoot || p.startsWith(repoRoot + path.sep);
  const systemPath = (process.env.PATH ?? "").split(path.delimiter).filter((p) => p !== "" && !repoPath(p));
  const node = path.dirname(process.execPath); // Node ≥ 22.13: on this machine the set-up's copy
  const envWith = (extra: NodeJS.ProcessEnv, PATH = [pulumiBin, node, ...systemPath].join(path.delimiter)): NodeJS.ProcessEnv => defined({
    PATH,
    HOME: home,
    TMPDIR: os.tmpdir(),
    LANG: process.env.LANG ?? "C.UTF-8",
    // The machine's npm cache (the consultant's own, with a HOME of their own), and the recorder.
    npm_config_cache: process.env.npm_config_cache ?? path.join(os.homedir(), ".npm"),
    npm_config_registry: registry.url,
    npm_config_update_notifier: "false",
    PULUMI_HOME: path.join(home, ".pulumi"),
    // What the README's block exported, for the commands after it in the same shell.
    PULUMI_BACKEND_URL: `file://${path.join(home, ".pulumi")}`,
    // This machine cannot reach api.pulumi.com; a consultant's can.
    PULUMI_SKIP_UPDATE_CHECK: "true",
    ...(process.env.COEXIST_TEST_RUN ? { COEXIST_TEST_RUN: process.env.COEXIST_TEST_RUN } : {}),
    ...extra,
  });
  const defined = (env: NodeJS.ProcessEnv) => Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined));
  // Asynchronous: the recording registry answers in this process while npm runs.
  const run = (cmd: string, args: string[], env: NodeJS.ProcessEnv, cwd = project): Promise<Run> =>
    new Promise((resolve) => {
      const child = spawn(cmd, args, { cwd, env, stdio: ["ignore", "pipe", "pipe"] });
      let out = "";
      child.stdout.on("data", (d: Buffer) => (out += d.toString()));
      child.stderr.on("data", (d: Buffer) => (out += d.toString()));
      child.on("error", (e) => (out += String(e)));
      child.on("close", (code) => resolve({ status: code ?? 1, out }));
    });

  beforeAll(async () => {
    registry = await recordingRegistry();
    fs.mkdirSync(pulumiBin, { recursive: true });
    for (const f of ["pulumi", "pulumi-language-nodejs", "pulumi-resource-pulumi-nodejs"]) {
      fs.copyFileSync(path.join(repoRoot, ".tools", "bin", f), path.join(pulumiBin, f));
      fs.chmodSync(path.join(pulumiBin, f), 0o755);
    }
  });
  afterAll(async () => {
    await registry?.close();
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  it("runs the README's own-project block verbatim: init, install, rehearsal stack, plan, preview, up, status, trace and the production stack", async () => {
    const lines = ownProjectBlock();
    // Each line announces itself, so its output can be told from the next one's.
    const script = ["exec 2>&1", ...lines.flatMap((l) => [`printf '\\n@@@ %s\\n' '${l.replace(/'/g, `'\\''`)}'`, l])].join("\n");
    const t0 = Date.now();
    const r = await run("bash", ["-eo", "pipefail", "-c", script], envWith({ PULUMI_BACKEND_URL: undefined }), repoRoot);
    const seconds = ((Date.now() - t0) / 1000).toFixed(1);
    if (r.status !== 0) throw new Error(`the README's block failed (exit ${r.status}) after ${seconds}s:\n${r.out.slice(-8000)}`);
    const steps = new Map<string, string>();
    for (const part of r.out.split("\n@@@ ").slice(1)) {
      const nl = part.indexOf("\n");
      steps.set(part.slice(0, nl), part.slice(nl + 1));
    }
    const step = (starts: string): string => {
      const found = [...steps.entries()].find(([l]) => l.startsWith(starts));
      if (!found) throw new Error(`no README step starting ${starts}: ${[...steps.keys()].join(" | ")}`);
      return found[1];
    };
    expect([...steps.keys()]).toEqual(lines);

    // init: the template and the two tarballs, from the checkout's dist/packages.
    expect(step("node provider/dist/cli/bin.js init")).toContain("coexist project fabrikam-migration written to");
    expect(step("node provider/dist/cli/bin.js init")).toContain(`v${PULUMI_CLI_FLOOR} or later`);
    expect(fs.readFileSync(path.join(project, "Pulumi.yaml"), "utf8")).toMatch(/^name: fabrikam-migration$/m);
    expect(fs.readFileSync(path.join(project, "index.ts"), "utf8")).toContain("export = coexistence();");
    expect(fs.readdirSync(path.join(project, "packages")).sort()).toEqual(["coexist-entry-0.1.0.tgz", "coexist-provider-0.1.0.tgz"]);
    const ignored = fs.readFileSync(path.join(project, ".gitignore"), "utf8").split("\n");
    for (const p of ["/journal/", "/.sim/", "/.pulumi/", "/.tools/", "node_modules/"]) expect(ignored).toContain(p);
    expect(fs.readFileSync(path.join(project, "README.md"), "utf8")).toMatch(/^# fabrikam-migration$/m);

    // install: @coexist from packages/ only, never from a registry; the rest through the recorder.
    expect(fs.readFileSync(path.join(project, ".npmrc"), "utf8")).toMatch(/^@coexist:registry=https:\/\/coexist\.invalid\/$/m);
    const lock = JSON.parse(fs.readFileSync(path.join(project, "package-lock.json"), "utf8")) as { packages: Record<string, { resolved?: string }> };
    expect(lock.packages["node_modules/@coexist/provider"]?.resolved).toBe("file:packages/coexist-provider-0.1.0.tgz");
    expect(lock.packages["node_modules/@coexist/entry"]?.resolved).toBe("file:packages/coexist-entry-0.1.0.tgz");
    expect(registry.requests.filter((p) => /@coexist/i.test(p))).toEqual([]);
    expect(registry.requests.some((p) => p.startsWith("/@pulumi/pulumi"))).toBe(true);
    for (const name of ["provider", "entry"]) {
      const dir = path.join(project, "node_modules", "@coexist", name);
      expect(fs.lstatSync(dir).isSymbolicLink()).toBe(false);
      expect(repoPath(fs.realpathSync(dir))).toBe(false);
    }
    // The package holds only the product: no test helper and no benchmark (issue 27).
    const listed = execFileSync("tar", ["tzf", path.join(project, "packages", "coexist-provider-0.1.0.tgz")], { encoding: "utf8" }).split("\n");
    for (const f of ["dist/cli/bin.js", "dist/index.js", "src/runner/runner.ps1", "templates/coexist/Pulumi.yaml", "templates/coexist/npmrc", "templates/coexist/gitignore"]) expect(listed).toContain(`package/${f}`);
    expect(listed.filter((f) => /\.test\.(js|d\.ts)|^package\/dist\/testing\/|bench/.test(f))).toEqual([]);

    // The rehearsal: the plan, the preview and the up, then where the mail ends.
    expect(step("npx coexist rehearse init")).toContain("2 users");
    expect(step("npx coexist plan")).toContain("Set-AcceptedDomain");
    expect(step("pulumi preview")).toContain("Set-AcceptedDomain -Identity 'contoso.com' -DomainType 'InternalRelay'");
    expect(step("pulumi preview")).toMatch(/\+ 7 to create/);
    expect(step("pulumi up")).toMatch(/\+ 7 created/);
    const status = step("npx coexist status");
    expect(status).toMatch(/alice@contoso\.com[^\n]*alice@contoso\.onmicrosoft\.com/);
    expect(status.indexOf("2 users")).toBeGreaterThanOrEqual(0);
    expect(status.indexOf("2 users")).toBeLessThan(status.indexOf("alice@contoso.com"));
    expect(step("npx coexist trace")).toContain("alice@contoso.onmicrosoft.com");
    // Each resource's provider in state is require("@coexist/entry/<kind>") by name, not code.
    const state = JSON.parse((await run("pulumi", ["stack", "export", "--stack", "rehearsal"], envWith({ PULUMI_CONFIG_PASSPHRASE: "coexist-rehearsal" }))).out) as {
      deployment: { resources: { type: string; inputs?: { __provider?: string } }[] };
    };
    const dynamic = state.deployment.resources.filter((x) => x.type.startsWith("pulumi-nodejs:dynamic:"));
    expect(dynamic).toHaveLength(6);
    for (const x of dynamic) expect(x.inputs?.__provider ?? "").toMatch(/^(?=[\s\S]{0,999}$)[\s\S]*require\("@coexist\/entry\/[A-Za-z]+\.js"\)/);

    // The production stack: its own passphrase, the rehearsal's settings, none of its secrets.
    const made = step("npx coexist stack init production");
    expect(made).toContain("stack production made with your own backend and secrets");
    expect(made).toMatch(/coexist:exchange, coexist:source: the simulator/);
    expect(made).toMatch(/coexist:waves: the rehearsal's progress/);
    const prodFile = path.join(project, "stacks", "Pulumi.production.yaml");
    const prod = fs.readFileSync(prodFile, "utf8");
    expect(prod).toMatch(/^encryptionsalt: v1:/m);
    for (const k of ["domain", "tenant", "smartHosts", "sourceIpRanges", "groupOwners"]) expect(prod).toContain(`coexist:${k}:`);
    for (const k of ["exchange", "source", "waves"]) expect(prod).not.toContain(`coexist:${k}:`);
    expect(sealedWithRehearsalPassphrase(prodFile)).toBe(false);
    expect(sealedWithRehearsalPassphrase(path.join(project, "stacks", "Pulumi.rehearsal.yaml"))).toBe(true);
    // Its first preflight, before the real targets are set, names what is missing as the program does.
    const first = await run("npx", ["coexist", "preflight", "--stack", "production"], envWith({ PULUMI_CONFIG_PASSPHRASE_FILE: path.join(home, ".fabrikam-passphrase") }));
    expect(first.status).toBe(1);
    expect(first.out.trim().split("\n")).toEqual(["stacks/Pulumi.production.yaml:1:1: coexist:exchange is required", "stacks/Pulumi.production.yaml:1:1: coexist:source is required"]);
    console.log(`README own-project block: ${lines.length} commands in ${seconds}s; ${registry.requests.length} registry requests, none for @coexist`);
  });

  it("refuses a production stack under the rehearsal passphrase, carries on from a stopped one, and refuses a real stack sealed with the rehearsal passphrase at preflight, naming the fix", async () => {
    const rehearsal = envWith({ PULUMI_CONFIG_PASSPHRASE: "coexist-rehearsal" });
    const refused = await run("npx", ["coexist", "stack", "init", "prod2", "--from", "rehearsal"], rehearsal);
    expect(refused.status).not.toBe(0);
    expect(refused.out).toContain("refusing to make stack prod2 under the published rehearsal passphrase");
    expect(fs.existsSync(path.join(project, "stacks", "Pulumi.prod2.yaml"))).toBe(false);

    // A run stopped between `pulumi stack init` and the copy: the next run carries on from it, with
    // the passphrase that made it, and refuses it under another one.
    const mine = path.join(tmp, "prod3-passphrase");
    fs.writeFileSync(mine, "only-mine\n", { mode: 0o600 });
    const own = envWith({ PULUMI_CONFIG_PASSPHRASE_FILE: mine });
    expect(await run("pulumi", ["stack", "init", "prod3", "--non-interactive"], own)).toMatchObject({ status: 0 });
    const other = await run("npx", ["coexist", "stack", "init", "prod3", "--from", "rehearsal"], envWith({ PULUMI_CONFIG_PASSPHRASE: "not-the-one" }));
    expect(other.status).not.toBe(0);
    expect(other.out).toContain("stacks/Pulumi.prod3.yaml exists");
    const resumed = await run("npx", ["coexist", "stack", "init", "prod3", "--from", "rehearsal"], own);
    expect(resumed).toMatchObject({ status: 0 });
    expect(resumed.out).toContain("stack prod3 (made by a run that stopped before copying) made with your own backend and secrets");
    expect(fs.readFileSync(path.join(project, "stacks", "Pulumi.prod3.yaml"), "utf8")).toContain("coexist:domain: contoso.com");

    // The shortcut: a real target and its secret set on a stack made under the rehearsal passphrase...
    const set = async (...args: string[]) => expect(await run("pulumi", [...args, "--stack", "sloppy", "--non-interactive"], rehearsal)).toMatchObject({ status: 0 });
    expect(await run("pulumi", ["stack", "init", "sloppy", "--non-interactive"], rehearsal)).toMatchObject({ status: 0 });
    await set("config", "set", "coexist:domain", "contoso.com");
    await set("config", "set", "--path", "coexist:exchange.kind", "exchange-online");
    await set("config", "set", "--path", "coexist:exchange.appId", "3f1c2a4e-8b7d-4c6e-9a10-2b3c4d5e6f70");
    await set("config", "set", "--path", "coexist:exchange.organization", "contoso.onmicrosoft.com");
    await set("config", "set", "--path", "coexist:exchange.certificateFilePath", "/secure/coexist.pfx");
    await set("config", "set", "--secret", "coexist:certificatePassword", "correct-horse");
    // ...is refused at its first use, even with the passphrase given through a file this time.
    const file = path.join(tmp, "rehearsal-passphrase");
    fs.writeFileSync(file, "coexist-rehearsal\n");
    const preflight = await run("npx", ["coexist", "preflight", "--stack", "sloppy"], envWith({ PULUMI_CONFIG_PASSPHRASE_FILE: file }));
    expect(preflight.status).not.toBe(0);
    expect(preflight.out).toContain("coexist: refusing to run stack sloppy with the rehearsal's passphrase");
    expect(preflight.out).toContain("Pulumi.sloppy.yaml was made under the published rehearsal passphrase");
    expect(preflight.out).toContain("npx coexist stack init <name> --from sloppy");
    expect(preflight.out).not.toContain("correct-horse");
  });

  it("names a missing or too-old pulumi with the fix instead of failing to spawn it", async () => {
    const missing = await run("npx", ["coexist", "status", "--stack", "rehearsal"], envWith({}, [node, ...systemPath].join(path.delimiter)));
    expect(missing.status).toBe(1);
    expect(missing.out).toContain(`coexist: no \`pulumi\` on PATH. coexist runs through the Pulumi CLI, v${PULUMI_CLI_FLOOR} or later`);
    expect(missing.out).not.toContain("ENOENT");
    const old = path.join(tmp, "old-pulumi");
    fs.mkdirSync(old);
    fs.writeFileSync(path.join(old, "pulumi"), "#!/bin/sh\necho v3.100.0\n", { mode: 0o755 });
    const tooOld = await run("npx", ["coexist", "plan", "--stack", "rehearsal"], envWith({}, [old, node, ...systemPath].join(path.delimiter)));
    expect(tooOld.status).toBe(1);
    expect(tooOld.out).toContain(`the Pulumi CLI on PATH is v3.100.0; coexist needs v${PULUMI_CLI_FLOOR} or later`);
  });

  it("runs coexist init from the bare packed package (nothing installed) and, without --packages, says how to get them", async () => {
    const bare = path.join(tmp, "bare");
    fs.mkdirSync(bare);
    execFileSync("tar", ["xzf", path.join(project, "packages", "coexist-provider-0.1.0.tgz"), "-C", bare]);
    const refused = await run(process.execPath, [path.join(bare, "package", "dist", "cli", "bin.js"), "init", path.join(tmp, "no-packs")], envWith({}), tmp);
    expect(refused.status).toBe(1);
    expect(refused.out.trim()).toBe(
      "coexist init needs the packed packages coexist-provider-0.1.0.tgz and coexist-entry-0.1.0.tgz: run `npm run package` in the coexist checkout (it writes them to dist/packages) and pass --packages <that folder>. " +
        "The project installs them from its own packages/ folder: coexist is not on a registry, and none may be asked for @coexist packages.",
    );
    expect(fs.existsSync(path.join(tmp, "no-packs"))).toBe(false);
    const made = await run(process.execPath, [path.join(bare, "package", "dist", "cli", "bin.js"), "init", path.join(tmp, "with-packs"), "--packages", path.join(project, "packages")], envWith({}), tmp);
    expect(made).toMatchObject({ status: 0 });
    expect(fs.readdirSync(path.join(tmp, "with-packs", "packages")).sort()).toEqual(["coexist-entry-0.1.0.tgz", "coexist-provider-0.1.0.tgz"]);
  });

  it("keeps the cleanup guard from the package: destroy is refused before the MX cutover and done after", async () => {
    const env = envWith({ PULUMI_CONFIG_PASSPHRASE: "coexist-rehearsal" });
    const pulumi = (...args: string[]) => run("pulumi", [...args, "--stack", "rehearsal", "--non-interactive", "--color", "never"], env);
    const early = await pulumi("destroy", "--yes", "--skip-preview");
    expect(early.status).not.toBe(0);
    expect(early.out).toContain("refusing to clean up");
    expect((await run("npx", ["coexist", "rehearse", "mx-cutover", "--stack", "rehearsal"], env)).out).toContain("now points at Exchange Online");
    const down = await pulumi("destroy", "--yes", "--skip-preview");
    expect(down).toMatchObject({ status: 0 });
    expect(down.out).toMatch(/- 7 deleted/);
    const world = JSON.parse(fs.readFileSync(path.join(project, ".sim", "rehearsal", "world.json"), "utf8")) as { tenant: { acceptedDomains: { DomainName: string; DomainType: string }[] } };
    expect(world.tenant.acceptedDomains.find((d) => d.DomainName === "contoso.com")?.DomainType).toBe("Authoritative");
  });
});
