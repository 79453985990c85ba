import { launchFor, rehearsalServiceAccountKey } from "./launch";
import { ExchangeOnlineTarget, GoogleWorkspaceTarget, OnPremisesTarget, SimulatorTarget, VendorTarget } from "../exchange/targets";

describe("launchFor", () => {
  const saved = { ...process.env };
  afterEach(() => {
    process.env = { ...saved };
  });

  test("starts no runner with the Pulumi passphrase or access token in its environment, whatever the target or the runner", () => {
    process.env.PULUMI_CONFIG_PASSPHRASE = "stack-passphrase";
    process.env.PULUMI_CONFIG_PASSPHRASE_FILE = "/secure/passphrase";
    process.env.PULUMI_ACCESS_TOKEN = "pul-token";
    const targets = [
      SimulatorTarget.parse({ kind: "simulator", stateFile: "/tmp/world.json" }),
      ExchangeOnlineTarget.parse({ kind: "exchange-online", appId: "00000000-0000-4000-8000-0000000000aa", organization: "contoso.onmicrosoft.com", certificateFilePath: "/secure/app.pfx" }),
      OnPremisesTarget.parse({ kind: "exchange-onprem", connectionUri: "https://ex01.contoso.com/PowerShell/", username: "svc", password: "pw" }),
      GoogleWorkspaceTarget.parse({ kind: "google-workspace", adminEmail: "admin@contoso.com", domain: "contoso.com", serviceAccountKey: rehearsalServiceAccountKey }),
      VendorTarget.parse({ kind: "vendor", name: "HostCo" }),
    ];
    const launches = [...targets.map((t) => launchFor(t))];
    process.env.COEXIST_SIMULATOR_RUNNER = "pwsh";
    process.env.COEXIST_SIMULATOR_MODULES = "/doubles";
    launches.push(launchFor(targets[0]!));
    for (const l of launches) {
      const env = l.env ?? process.env;
      expect([env.PULUMI_CONFIG_PASSPHRASE, env.PULUMI_CONFIG_PASSPHRASE_FILE, env.PULUMI_ACCESS_TOKEN]).toEqual([undefined, undefined, undefined]);
      expect(env.PATH).toBe(process.env.PATH);
    }
  });
});
