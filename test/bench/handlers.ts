import { World } from "@coexist/provider/dist/simulator/model";
import { initialWorld } from "@coexist/provider/dist/simulator/scenario";
import { sourceCmdlets } from "@coexist/provider/dist/simulator/source";
import { tenantCmdlets } from "@coexist/provider/dist/simulator/tenant";

/**
 * `node dist/test/bench/handlers.js [--users N]`: what a wave's two writes cost the simulator
 * itself, on an in-memory world of N users, no store: Add-DistributionGroupMember (tenant) and
 * Set-Mailbox (source), milliseconds a call: the simulator's own share of a wave's write at
 * that size, beside the store's (store.ts).
 */
const args = process.argv.slice(2);
const i = args.indexOf("--users");
const USERS = i >= 0 ? Number(args[i + 1]) : 10_000;
const alias = (n: number) => `user${String(n % USERS).padStart(5, "0")}`;

const users = Array.from({ length: USERS }, (_, n) => alias(n));
const w: World = initialWorld({ domain: "contoso.com", organization: "contoso.onmicrosoft.com", users });
const call = (cmdlets: typeof tenantCmdlets, name: string, p: object) => cmdlets[name]!(w, p as never);
call(tenantCmdlets, "New-DistributionGroup", { Name: "Migrated Users", ManagedBy: ["admin"], Type: "Security" });

function time(what: string, fn: (n: number) => unknown, calls = 200): void {
  for (let n = 0; n < 20; n++) fn(n); // warm
  const t0 = performance.now();
  for (let n = 20; n < 20 + calls; n++) fn(n);
  console.log(`${what}: ${((performance.now() - t0) / calls).toFixed(2)} ms a call`);
}

console.log(`simulator handlers, ${USERS} users, in memory (node ${process.version}):`);
time("Add-DistributionGroupMember (tenant)", (n) => call(tenantCmdlets, "Add-DistributionGroupMember", { Identity: "Migrated Users", Member: `${alias(n)}@contoso.com`, BypassSecurityGroupManagerCheck: true }));
time("Set-Mailbox (source)", (n) => call(sourceCmdlets, "Set-Mailbox", { Identity: `${alias(n)}@contoso.com`, ForwardingSmtpAddress: `${alias(n)}@contoso.onmicrosoft.com` }));
