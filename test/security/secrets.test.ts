import * as fs from "node:fs";
import * as path from "node:path";
import { commandLog, sha256 } from "@coexist/provider/testing";
import { contosoStack, e2eRunners, rehearsalProject, sessionFronts } from "../harness/rehearsal";

// The certificate password and the source password, set with `pulumi config set --secret`,
// through every command a consultant runs and every failure we can provoke: they must appear
// in no CLI output, no file the project or its state holds, and no runner log.
const CERT = "Cert-P@ss'w0rd$(x)|7f3a-e1";
const SOURCE = 'Src-S3cret;`&"-91bd-c4';
const SECRETS = [CERT, SOURCE];
const USERNAME = "CONTOSO\\svc-coexist";

const base = {
  ...contosoStack,
  waves: ["batches/wave1.csv"],
  source: { ...contosoStack.source, username: USERNAME },
  pool: { retryBaseMs: 10, retryMaxMs: 50, retryAttempts: 3, connectTimeoutSeconds: 20 },
};
const credentials = { certificatePassword: CERT, source: { username: USERNAME, password: SOURCE } };

const up = ["up", "--yes", "--skip-preview"];

/** Every file below `dir` (links not followed), with its text. */
function* files(dir: string): Generator<[string, string]> {
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) yield* files(p);
    else if (e.isFile()) yield [p, fs.readFileSync(p, "latin1")];
  }
}

// Through the simulator's own runner, and through runner.ps1 in real pwsh, where the secrets take
// the real modules' way (Connect-ExchangeOnline -CertificatePassword, New-PSSession -Credential).
describe.each(e2eRunners)("secrets through the real CLI (%s)", (runner) => {
  const project = rehearsalProject("secrets", { runner });
  const { rehearsal } = project;
  afterAll(() => project.cleanup());

  /** Every CLI output of this suite, to be searched for the secrets at the end as well. */
  const outputs: { what: string; output: string }[] = [];
  async function cli(what: string, args: string[], input?: string) {
    const r = await rehearsal.run(args, input);
    outputs.push({ what, output: r.output });
    expect(SECRETS.filter((s) => r.output.includes(s))).toEqual([]);
    return r;
  }
  async function succeeds(what: string, args: string[], input?: string) {
    const r = await cli(what, args, input);
    expect(r.code === 0 ? "ok" : r.output).toBe("ok");
    return r.output;
  }

  beforeAll(async () => {
    project.writeConfig(base);
    await rehearsal.reset({ domain: "contoso.com", organization: "contoso.onmicrosoft.com", users: ["alice", "bob", "carol", "dave", "erin"], credentials });
  });

  it("takes both secrets on stdin and keeps them in the stack file only as ciphertext", async () => {
    await succeeds("config set certificatePassword", ["config", "set", "--secret", "coexist:certificatePassword"], CERT);
    await succeeds("config set sourcePassword", ["config", "set", "--secret", "coexist:sourcePassword"], SOURCE);
    const stack = fs.readFileSync(rehearsal.stackFile, "utf8");
    expect(stack).toMatch(/coexist:certificatePassword'?:\s+\{?secure: '?v1:/);
    expect(stack).toMatch(/coexist:sourcePassword'?:\s+\{?secure: '?v1:/);
    expect(await succeeds("config", ["config"])).toMatch(/certificatePassword\s+\[secret\]\n/);
  });

  it("previews, applies, refreshes and re-applies a wave with them, printing neither", async () => {
    await succeeds("preview", ["preview", "--diff", "--debug"]);
    await succeeds("up", up);
    await succeeds("refresh", ["refresh", "--yes", "--skip-preview"]);
    await succeeds("up again", up);
    // The simulated tenant checked both: sessions were let in on each side.
    const connects = commandLog(rehearsal.stateFile).filter((l) => l.event === "connect");
    expect(new Set(connects.map((l) => l.role))).toEqual(new Set(["exchange", "source"]));
    expect(rehearsal.world().tenant.groups[0]?.Members).toHaveLength(3);
  });

  it("fails a connect with a wrong secret as an auth error that quotes no secret", async () => {
    // The tenant's certificate and the source's password are rotated behind coexist's back.
    rehearsal.updateWorld((w) => void (w.credentials = { exchange: { certificatePasswordSha256: sha256("rotated") }, source: { username: USERNAME, passwordSha256: sha256("rotated") } }));
    // From here on the stack file is changed only through the CLI, which keeps the secrets.
    await succeeds("add wave 2", ["config", "set", "--path", "coexist:waves[1]", "batches/wave2.csv"]);
    const refresh = await cli("refresh with rotated secrets", ["refresh", "--yes", "--skip-preview"]);
    expect(refresh.code).not.toBe(0);
    expect(refresh.output).toMatch(/the specified network password is not correct|Access is denied/);
    const wave = await cli("up with rotated secrets", up);
    expect(wave.code).not.toBe(0);
    expect(wave.output).toMatch(/the specified network password is not correct|Access is denied/);
    rehearsal.updateWorld((w) => void (w.credentials = { exchange: { certificatePasswordSha256: sha256(CERT) }, source: { username: USERNAME, passwordSha256: sha256(SOURCE) } }));
    await succeeds("up after the rotation is undone", up);
    expect(rehearsal.world().tenant.groups[0]?.Members).toHaveLength(5);
  });

  // Against a real tenant this machine cannot connect: no pwsh, or (CI, where set-up installs
  // pwsh) runner.ps1 finding no ExchangeOnlineManagement module.
  it("fails a connect to Exchange Online that this machine cannot make (no pwsh or no module) without quoting the secret", async () => {
    const online = { kind: "exchange-online", appId: "00000000-0000-4000-8000-0000000000aa", organization: "contoso.onmicrosoft.com", certificateFilePath: "/secure/coexist.pfx" };
    await succeeds("switch to Exchange Online", ["config", "set", "coexist:exchange", JSON.stringify(online)]);
    // A rollback needs the tenant (erin leaves the group), so this up must connect to it.
    await succeeds("roll erin back", ["config", "set", "--path", "coexist:rollback[0]", "erin@contoso.com"]);
    const rollback = await cli("up against Exchange Online", up);
    expect(rollback.code).not.toBe(0);
    expect(rollback.output).toMatch(/pwsh was not found|The ExchangeOnlineManagement module is not installed/);
    await succeeds("switch back to the simulator", ["config", "set", "coexist:exchange", JSON.stringify(base.exchange)]);
    await succeeds("undo the rollback", ["config", "rm", "coexist:rollback"]);
    await succeeds("up back on the simulator", up);
    expect(rehearsal.world().tenant.groups[0]?.Members).toHaveLength(5);
  });

  it("cleans up after MX cutover, printing neither secret", async () => {
    rehearsal.updateWorld((w) => void (w.mx["contoso.com"] = "exchange"));
    await succeeds("destroy", ["destroy", "--yes", "--skip-preview"]);
    expect(rehearsal.world().tenant.groups).toEqual([]);
  });

  it("leaves neither secret in stack export, state, history, the simulated world, its command log or any output", async () => {
    const exported = await succeeds("stack export", ["stack", "export"]);
    expect(exported).toContain('"version": 3');
    // Not even encrypted: provider configuration never becomes state.
    const revealed = await succeeds("stack export --show-secrets", ["stack", "export", "--show-secrets"]);
    expect(SECRETS.filter((s) => revealed.includes(s))).toEqual([]);
    const seen = [...files(project.dir)].filter(([, text]) => SECRETS.some((s) => text.includes(s))).map(([p]) => path.relative(project.dir, p));
    expect(seen).toEqual([]);
    // The search itself finds a secret where one is (this suite's own test file, say).
    expect([...files(__dirname)].some(([, text]) => text.includes(CERT))).toBe(true);
    expect(outputs.length).toBeGreaterThan(10);
    expect(outputs.filter((o) => SECRETS.some((s) => o.output.includes(s))).map((o) => o.what)).toEqual([]);
  });

  it("served every session through the runner under test", () => {
    const fronts = sessionFronts(rehearsal.stateFile);
    expect(fronts.length).toBeGreaterThan(0);
    expect(new Set(fronts)).toEqual(new Set([runner]));
  });
});
