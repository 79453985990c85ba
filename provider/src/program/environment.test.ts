import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { environmentRefusal, refuseRehearsalEnvironment, rehearsalDefaults, REHEARSAL_PASSPHRASE, sealedWithRehearsalPassphrase, usesPassphrase } from "./environment";

const SIM = JSON.stringify({ kind: "simulator", stateFile: ".sim/world.json" });
const ONLINE = JSON.stringify({ kind: "exchange-online", appId: "3f1c2a4e-8b7d-4c6e-9a10-2b3c4d5e6f70", organization: "contoso.onmicrosoft.com", certificateFilePath: "/s/c.pfx" });
const ONPREM = JSON.stringify({ kind: "exchange-onprem", connectionUri: "https://ex01.contoso.com/PowerShell/", username: "CONTOSO\\svc" });
const BACKEND = "file:///work/coexist/.pulumi-state";

/** What scripts/env.sh exports when it is given neither a backend nor a passphrase. */
const rehearsalEnv = { PULUMI_BACKEND_URL: BACKEND, COEXIST_REHEARSAL_BACKEND: BACKEND, PULUMI_CONFIG_PASSPHRASE: REHEARSAL_PASSPHRASE, COEXIST_REHEARSAL_PASSPHRASE: "1" };

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "coexist-env-"));
const stackFile = (name: string, text?: string) => {
  const f = path.join(dir, "stacks", `Pulumi.${name}.yaml`);
  fs.mkdirSync(path.dirname(f), { recursive: true });
  if (text !== undefined) fs.writeFileSync(f, text);
  return f;
};
const config = (exchange: string | undefined, source: string | undefined) => (k: string) => ({ exchange, source })[k as "exchange" | "source"];

describe("the tool environment's refusal", () => {
  it("lets simulator stacks run on the rehearsal's backend and passphrase", () => {
    expect(environmentRefusal("demo", config(SIM, SIM), stackFile("demo", "encryptionsalt: v1:abc\n"), rehearsalEnv)).toBeUndefined();
  });

  it("refuses a stack with a real target while either default is in force, naming both and the way out", () => {
    const file = stackFile("prod", "encryptionsalt: v1:abc\nconfig: {}\n");
    const both = environmentRefusal("prod", config(ONLINE, SIM), file, rehearsalEnv);
    expect(both).toContain("coexist: refusing to run stack prod with the rehearsal's backend and passphrase: its coexist:exchange is exchange-online, not the simulator. Nothing was run.");
    expect(both).toContain(`The backend is ${BACKEND}`);
    expect(both).toContain("(scripts/env.sh set it: none was given)");
    expect(both).toMatch(/COEXIST_BACKEND_URL=<url>.*PULUMI_BACKEND_URL or `pulumi login <url>`/);
    expect(both).toMatch(/PULUMI_CONFIG_PASSPHRASE \(or PULUMI_CONFIG_PASSPHRASE_FILE\).*another secrets provider/);
    expect(environmentRefusal("prod", config(SIM, ONPREM), file, rehearsalEnv)).toContain("its coexist:source is exchange-onprem, not the simulator");
    expect(environmentRefusal("prod", config(ONLINE, ONPREM), file, rehearsalEnv)).toContain("its coexist:exchange is exchange-online and coexist:source is exchange-onprem");

    // Own passphrase, rehearsal backend: still refused (the state would live in the checkout).
    const ownPassphrase = environmentRefusal("prod", config(ONLINE, SIM), file, { ...rehearsalEnv, PULUMI_CONFIG_PASSPHRASE: "mine", COEXIST_REHEARSAL_PASSPHRASE: undefined });
    expect(ownPassphrase).toContain("with the rehearsal's backend:");
    expect(ownPassphrase).not.toContain("PULUMI_CONFIG_PASSPHRASE is the published");
    // Own backend, rehearsal passphrase: refused too, also when typed in by hand from the docs.
    const ownBackend = { ...rehearsalEnv, COEXIST_REHEARSAL_BACKEND: undefined, PULUMI_BACKEND_URL: "s3://bucket" };
    expect(environmentRefusal("prod", config(ONLINE, SIM), file, ownBackend)).toContain("with the rehearsal's passphrase:");
    expect(environmentRefusal("prod", config(ONLINE, SIM), file, { ...ownBackend, COEXIST_REHEARSAL_PASSPHRASE: undefined })).not.toContain("scripts/env.sh set it");
  });

  it("lets a real stack run with your own backend and passphrase, or another secrets provider", () => {
    const file = stackFile("prod", "encryptionsalt: v1:abc\n");
    expect(environmentRefusal("prod", config(ONLINE, ONPREM), file, { PULUMI_BACKEND_URL: "s3://bucket", PULUMI_CONFIG_PASSPHRASE: "mine" })).toBeUndefined();
    // A backend changed after env.sh set it (say in a shell that sourced it) is yours.
    expect(environmentRefusal("prod", config(ONLINE, ONPREM), file, { ...rehearsalEnv, PULUMI_BACKEND_URL: "s3://bucket", PULUMI_CONFIG_PASSPHRASE_FILE: "/p", PULUMI_CONFIG_PASSPHRASE: undefined })).toBeUndefined();
    // With a KMS or the service's secrets provider the passphrase is not used for this stack.
    const kms = stackFile("kms", "secretsprovider: awskms://alias/coexist\nencryptedkey: abc\n");
    const service = stackFile("service", "config:\n  coexist:domain: contoso.com\n");
    const passphraseOnly = { ...rehearsalEnv, PULUMI_BACKEND_URL: "https://api.pulumi.com", COEXIST_REHEARSAL_BACKEND: undefined };
    expect(environmentRefusal("kms", config(ONLINE, ONPREM), kms, passphraseOnly)).toBeUndefined();
    expect(environmentRefusal("service", config(ONLINE, ONPREM), service, passphraseOnly)).toBeUndefined();
    expect(usesPassphrase(stackFile("named", "secretsprovider: passphrase\n"))).toBe(true);
    expect(usesPassphrase(stackFile("missing"))).toBe(true);
    // As Pulumi writes the salt into a stack file that was JSON.
    expect(usesPassphrase(stackFile("flow", `{"config": {"coexist:domain": "contoso.com"}, encryptionsalt: 'v1:ihURoxAYYOE=:v1:QLrX'}`))).toBe(true);
    expect(usesPassphrase(stackFile("flowkms", `{"config": {}, secretsprovider: 'awskms://alias/x', encryptedkey: 'abc'}`))).toBe(false);
    expect(usesPassphrase(stackFile("quoted", `config:\n  coexist:note: "encryptionsalt: no"\n`))).toBe(false);
  });

  // Salts written by `pulumi stack init` (v3.259.0) under coexist-rehearsal and under another passphrase.
  const SEALED_REHEARSAL = "encryptionsalt: v1:qcDF/hGdjbA=:v1:N4hXtZq19UUgTDoO:IZ65/EIwKbU/q5UsO1yRECLMj8GFtA==\n";
  const SEALED_OTHER = "encryptionsalt: v1:1IkNpEmR66E=:v1:yTfuvAI/xSBCkBPu:5MgBa/j6NscXBGKmYsM2LhRJxBUSTA==\n";

  it("tells a stack sealed under the rehearsal passphrase from one sealed under another, from the salt alone", () => {
    expect(sealedWithRehearsalPassphrase(stackFile("sealed", SEALED_REHEARSAL))).toBe(true);
    expect(sealedWithRehearsalPassphrase(stackFile("other", SEALED_OTHER))).toBe(false);
    expect(sealedWithRehearsalPassphrase(stackFile("kmsonly", "secretsprovider: awskms://alias/x\n"))).toBe(false);
    expect(sealedWithRehearsalPassphrase(stackFile("nofile"))).toBe(false);
  });

  it("refuses a real stack sealed under the rehearsal passphrase whatever passphrase is given now, naming coexist stack init", () => {
    const own = { PULUMI_BACKEND_URL: "s3://bucket", PULUMI_CONFIG_PASSPHRASE_FILE: "/secure/passphrase" };
    const refusal = environmentRefusal("prod", config(ONLINE, SIM), stackFile("prod-sealed", SEALED_REHEARSAL + "config:\n  coexist:certificatePassword:\n    secure: v1:x:y\n"), own);
    expect(refusal).toContain("coexist: refusing to run stack prod with the rehearsal's passphrase: its coexist:exchange is exchange-online");
    expect(refusal).toContain("Pulumi.prod-sealed.yaml was made under the published rehearsal passphrase");
    expect(refusal).toContain("`npx coexist stack init <name> --from prod`");
    expect(environmentRefusal("prod", config(ONLINE, SIM), stackFile("prod-own", SEALED_OTHER), own)).toBeUndefined();
    // A simulator stack may keep the rehearsal passphrase: that is what it is for.
    expect(environmentRefusal("demo", config(SIM, SIM), stackFile("demo-sealed", SEALED_REHEARSAL), own)).toBeUndefined();
  });

  it("leaves a config without a target kind to the input check", () => {
    expect(environmentRefusal("new", config(undefined, "not json"), stackFile("new"), rehearsalEnv)).toBeUndefined();
  });

  it("reads what scripts/env.sh set and is still in force", () => {
    expect(rehearsalDefaults(rehearsalEnv)).toEqual({ backend: BACKEND, passphrase: true });
    expect(rehearsalDefaults({ ...rehearsalEnv, PULUMI_BACKEND_URL: "file:///elsewhere" })).toEqual({ passphrase: true });
    expect(rehearsalDefaults({})).toEqual({ passphrase: false });
  });

  it("throws a RunError (the CLI prints just its message)", () => {
    stackFile("prod", "encryptionsalt: v1:abc\n");
    let thrown: unknown;
    try {
      refuseRehearsalEnvironment("prod", config(ONLINE, SIM), dir, rehearsalEnv);
    } catch (e) {
      thrown = e;
    }
    expect(pulumi.RunError.isInstance(thrown)).toBe(true);
    expect((thrown as Error).message).toContain("refusing to run stack prod");
    expect(() => refuseRehearsalEnvironment("demo", config(SIM, SIM), dir, rehearsalEnv)).not.toThrow();
  });
});

afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
