import { execFileSync, spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { repoRoot } from "../harness/pulumi";

/**
 * What a customer runs: @coexist/provider and @coexist/entry packed (`npm pack`), a fresh project
 * outside the repository written by the packed package's own `coexist init`, the tarballs
 * installed there with npm, and preview, up and destroy through the pinned Pulumi CLI against the
 * simulator. Nothing of the repository is on the project's module path: only its CLI (.tools/bin)
 * and its PULUMI_HOME are shared.
 */
const tools = path.join(repoRoot, ".tools");
const STACK = "rehearsal";

interface Run {
  status: number;
  out: string;
}

describe("the packed package in a customer project", () => {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "coexist-package-"));
  const packs = path.join(tmp, "packs");
  const project = path.join(tmp, "contoso-migration");
  // The customer's environment: the pinned CLI and Node, no repository node_modules on PATH,
  // their own backend and passphrase (never the rehearsal defaults of scripts/env.sh).
  const repoPath = (p: string) => p === repoRoot || p.startsWith(repoRoot + path.sep);
  const env: NodeJS.ProcessEnv = {
    ...Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith("COEXIST_") || k === "COEXIST_TEST_RUN")),
    PATH: [path.join(tools, "bin"), path.dirname(process.execPath), ...(process.env.PATH ?? "").split(path.delimiter).filter((p) => p !== "" && !repoPath(p))].join(path.delimiter),
    PULUMI_BACKEND_URL: `file://${path.join(tmp, "state")}`,
    PULUMI_CONFIG_PASSPHRASE: "packed-package-e2e",
    PULUMI_HOME: path.join(tools, "pulumi-home"),
    PULUMI_SKIP_UPDATE_CHECK: "true",
    PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: "true",
  };
  delete env.PULUMI_CONFIG_PASSPHRASE_FILE;
  const run = (cmd: string, args: string[], cwd = project): Run => {
    const r = spawnSync(cmd, args, { cwd, env, encoding: "utf8", maxBuffer: 64 * 1024 * 1024 });
    return { status: r.status ?? 1, out: `${r.stdout ?? ""}${r.stderr ?? ""}${r.error ? String(r.error) : ""}` };
  };
  const must = (cmd: string, args: string[], cwd = project): string => {
    const r = run(cmd, args, cwd);
    if (r.status !== 0) throw new Error(`${cmd} ${args.join(" ")} failed (exit ${r.status}):\n${r.out.slice(-6000)}`);
    return r.out;
  };
  const pulumi = (...args: string[]) => run("pulumi", [...args, "--stack", STACK, "--non-interactive", "--color", "never"]);
  const coexist = (...args: string[]) => must("npx", ["--no", "coexist", ...args]);

  afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

  it("packs, is written by coexist init, installs outside the repository, and runs preview, up and destroy on the simulator", () => {
    expect(path.relative(repoRoot, tmp).startsWith("..")).toBe(true);
    fs.mkdirSync(packs);
    fs.mkdirSync(path.join(tmp, "state"));
    const t0 = Date.now();
    const time: Record<string, number> = {};
    const lap = (what: string) => (time[what] = Date.now() - t0 - Object.values(time).reduce((a, b) => a + b, 0));

    // npm pack, as a release would; the provider's prepack puts the template inside it.
    const provider = must("npm", ["pack", "--silent", "--pack-destination", packs], path.join(repoRoot, "provider")).trim().split("\n").pop()!;
    const entry = must("npm", ["pack", "--silent", "--pack-destination", packs], path.join(repoRoot, "provider", "entry")).trim().split("\n").pop()!;
    expect([provider, entry]).toEqual(["coexist-provider-0.1.0.tgz", "coexist-entry-0.1.0.tgz"]);
    expect(fs.existsSync(path.join(repoRoot, "provider", "templates"))).toBe(false); // postpack removed the copy
    const listed = execFileSync("tar", ["tzf", path.join(packs, provider)], { encoding: "utf8" }).split("\n");
    for (const f of ["dist/cli/bin.js", "dist/index.js", "src/runner/runner.ps1", "src/runner/CoexistGoogle.psm1", "src/runner/errorKinds.json", "templates/coexist/Pulumi.yaml"]) {
      expect(listed).toContain(`package/${f}`);
    }
    expect(listed.filter((f) => /\.test\.(js|d\.ts)/.test(f))).toEqual([]);
    // Only the product: no test helper and no benchmark (they live in test/, issue 27).
    expect(listed.filter((f) => /^package\/dist\/testing\/|bench/.test(f))).toEqual([]);
    lap("pack");

    // coexist init from the packed package, before anything is installed (it needs only Node).
    must("tar", ["xzf", path.join(packs, provider), "-C", packs], tmp);
    const init = must(process.execPath, [path.join(packs, "package", "dist", "cli", "bin.js"), "init", project], tmp);
    expect(init).toContain("coexist project contoso-migration written to");
    const pulumiYaml = fs.readFileSync(path.join(project, "Pulumi.yaml"), "utf8");
    expect(pulumiYaml).toMatch(/^name: contoso-migration$/m);
    expect(pulumiYaml).not.toMatch(/\$\{|^template:/m);
    expect(fs.readFileSync(path.join(project, "index.ts"), "utf8")).toContain("export = coexistence();");
    expect(fs.existsSync(path.join(project, "stacks", `Pulumi.${STACK}.yaml`))).toBe(true);
    expect(fs.existsSync(path.join(project, "batches", "wave1.csv"))).toBe(true);
    // The customer's records and machine-local files stay out of the project's history (issue 27).
    const ignored = fs.readFileSync(path.join(project, ".gitignore"), "utf8");
    for (const p of ["/journal/", "/.sim/", "/.pulumi/", "/.tools/", "node_modules/"]) expect(ignored.split("\n")).toContain(p);
    expect(fs.readFileSync(path.join(project, "README.md"), "utf8")).toMatch(/^# contoso-migration$/m);

    must("npm", ["install", "--prefer-offline", "--no-audit", "--no-fund", "--loglevel=error", path.join(packs, provider), path.join(packs, entry)]);
    for (const name of ["provider", "entry"]) {
      // Real copies in the project (require-by-name is recorded only for a package under node_modules).
      const dir = path.join(project, "node_modules", "@coexist", name);
      expect(fs.lstatSync(dir).isSymbolicLink()).toBe(false);
      expect(repoPath(fs.realpathSync(dir))).toBe(false);
    }
    lap("init and npm install");

    must("pulumi", ["stack", "init", STACK, "--non-interactive"]);
    expect(coexist("rehearse", "init", "--stack", STACK)).toContain("2 users");
    const preview = pulumi("preview", "--diff");
    expect(preview).toMatchObject({ status: 0 });
    expect(preview.out).toContain("Set-AcceptedDomain -Identity 'contoso.com' -DomainType 'InternalRelay'");
    // The stack, the five shared objects and one resource for every user (issue 24).
    expect(preview.out).toMatch(/\+ 7 to create/);
    lap("preview");

    const up = pulumi("up", "--yes", "--skip-preview");
    expect(up).toMatchObject({ status: 0 });
    expect(up.out).toMatch(/\+ 7 created/);
    const world = JSON.parse(fs.readFileSync(path.join(project, ".sim", STACK, "world.json"), "utf8")) as {
      tenant: { acceptedDomains: { DomainName: string; DomainType: string }[] };
    };
    expect(world.tenant.acceptedDomains.find((d) => d.DomainName === "contoso.com")?.DomainType).toBe("InternalRelay");
    const status = JSON.parse(coexist("status", "--stack", STACK, "--json")) as { rows: { user: string; inGroup: boolean; forwardsTo: string | null }[]; totals: { anomalies: number } };
    expect(status.rows.map((r) => [r.user, r.inGroup, r.forwardsTo])).toEqual([
      ["alice@contoso.com", true, "alice@contoso.onmicrosoft.com"],
      ["bob@contoso.com", true, "bob@contoso.onmicrosoft.com"],
    ]);
    expect(status.totals.anomalies).toBe(0);

    // Each resource's provider in state is require("@coexist/entry/<kind>") by name, not code.
    const state = JSON.parse(must("pulumi", ["stack", "export", "--stack", STACK])) as { deployment: { resources: { type: string; inputs?: { __provider?: string } }[] } };
    const dynamic = state.deployment.resources.filter((r) => r.type.startsWith("pulumi-nodejs:dynamic:"));
    expect(dynamic).toHaveLength(6);
    for (const r of dynamic) {
      const serialized = r.inputs?.__provider ?? "";
      expect(serialized).toMatch(/require\("@coexist\/entry\/[A-Za-z]+\.js"\)/);
      expect(serialized.length).toBeLessThan(1000);
    }
    lap("up");

    // The cleanup guard holds from the package too: refused before MX cutover, done after.
    const early = pulumi("destroy", "--yes", "--skip-preview");
    expect(early.status).not.toBe(0);
    expect(early.out).toContain("refusing to clean up");
    expect(coexist("rehearse", "mx-cutover", "--stack", STACK)).toContain("now points at Exchange Online");
    const down = pulumi("destroy", "--yes", "--skip-preview");
    expect(down).toMatchObject({ status: 0 });
    expect(down.out).toMatch(/- 7 deleted/);
    const after = JSON.parse(fs.readFileSync(path.join(project, ".sim", STACK, "world.json"), "utf8")) as typeof world;
    expect(after.tenant.acceptedDomains.find((d) => d.DomainName === "contoso.com")?.DomainType).toBe("Authoritative");
    lap("destroy");
    console.log(`packed-package e2e: ${Object.entries(time).map(([k, ms]) => `${k} ${(ms / 1000).toFixed(1)}s`).join(", ")}`);
  });
});
