/**
 * The PowerShell each ExchangeOnlineManagement version needs, newest first
 * (exchange-online-powershell-v2.md, "Supported operating systems for the Exchange Online
 * PowerShell module", and the module's 3.10.0 release notes: 3.10 and later support PowerShell
 * 7.6 only among PowerShell 7 versions; 3.5 to 3.9 need 7.4 or later; 3.0 to 3.4 ran on 7.2).
 */
export const MODULE_FLOORS: ReadonlyArray<{ module: string; powershell: string }> = [
  { module: "3.10.0", powershell: "7.6.0" },
  { module: "3.5.0", powershell: "7.4.0" },
  { module: "3.0.0", powershell: "7.2.0" },
];

/** coexist needs the REST-based V3 module: -CommandName on Connect-ExchangeOnline, no WinRM Basic. */
export const MODULE_MINIMUM = "3.0.0";
/** runner.ps1's `#Requires -Version`. */
export const RUNNER_POWERSHELL = "7.4.0";

export function compareVersions(a: string, b: string): number {
  const pa = a.split(/[.-]/).map((p) => Number.parseInt(p, 10) || 0);
  const pb = b.split(/[.-]/).map((p) => Number.parseInt(p, 10) || 0);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (d !== 0) return Math.sign(d);
  }
  return 0;
}

/** The PowerShell floor of a module version, or undefined when the module is older than coexist supports. */
export function powershellFloor(moduleVersion: string): string | undefined {
  return MODULE_FLOORS.find((f) => compareVersions(moduleVersion, f.module) >= 0)?.powershell;
}

/**
 * The oldest Pulumi CLI coexist supports; `npx coexist` checks it. It is the newest CLI feature
 * coexist uses (pulumi/pulumi CHANGELOG.md): `pulumi config set-all --json` (3.202.0, #19427;
 * `coexist stack init`), after the engine passing the whole stack config to a Node dynamic
 * provider's configure() (3.139.0, #17673/#17697), `pulumi destroy --run-program` (3.160.0,
 * #19044) and `stackConfigDir` (3.27.0). The Node SDK sets no CLI minimum of its own: it asks the
 * engine for each feature it uses. The repository's tests run the CLI at the version
 * @pulumi/pulumi is pinned to (3.259.0), the only one its build machines have.
 */
export const PULUMI_CLI_FLOOR = "3.202.0";

/**
 * The oldest Node coexist runs on: the simulator's built-in `node:sqlite` (22.13 without a flag)
 * and @pulumi/pulumi's `engines.node >= 22`. package.json's `engines` says the same.
 */
export const NODE_FLOOR = "22.13.0";
