import { describeOutcome } from "../oracle";
import { World } from "../simulator/model";
import { mailRows, type MailRow } from "../safety/status";

/** Where each user's mail ends, from each entry point, in a simulated world (the row `status` prints). */
export type UserRow = MailRow;

/** A row per source mailbox, the world's first group as the coexist group. */
export const userRows = (world: World): UserRow[] =>
  mailRows(
    world,
    world.source.mailboxes.map((m) => m.PrimarySmtpAddress),
    world.tenant.groups[0]?.PrimarySmtpAddress,
  );

/** A row's outcomes from the internet, from a tenant user and from a source user. */
export const outcomesOf = (r: UserRow): string[] => [r.internet, r.exchange, r.source];

/** Users whose mail loops or bounces from some entry point: what no step may ever leave. */
export const undelivered = (world: World): UserRow[] => userRows(world).filter((r) => outcomesOf(r).some((o) => !o.startsWith("delivered-")));

const pad = (s: string, n: number) => (s.length >= n ? s : s + " ".repeat(n - s.length));

/** The shared objects as they are: the domain's type, the group, the connector, the rules, MX. */
export function renderSetup(world: World, domain: string): string {
  const d = world.tenant.acceptedDomains.find((x) => x.DomainName === domain);
  const g = world.tenant.groups[0];
  const c = world.tenant.outboundConnectors[0];
  const rules = world.tenant.transportRules.map((r) => `${r.Name} (${r.State})`).join(", ") || "none";
  return [
    `  Exchange Online: ${domain} ${d?.DomainType}${d?.MatchSubDomains ? " +subdomains" : ""} | group: ${g ? `${g.Name} (${g.Members.length} members)` : "none"} | connector: ${c ? `${c.Name} → ${c.SmartHosts.join(", ")}` : "none"}`,
    `  Rules: ${rules} | MX of ${domain} → ${world.mx[domain] === "exchange" ? "Exchange Online" : "source"}`,
    // Only a world whose source lists its domains says more (older worlds print as before).
    ...(world.source.acceptedDomains ? [`  Source: ${sourceSetup(world, domain)}`] : []),
  ].join("\n");
}

/** The source's side of the shared domain: its type there and the send connectors that relay for it. */
function sourceSetup(world: World, domain: string): string {
  const d = world.source.acceptedDomains?.find((x) => x.DomainName.toLowerCase() === domain.toLowerCase());
  const connectors = (world.source.sendConnectors ?? []).filter((c) => c.Enabled).map((c) => `${c.Name} → ${c.DNSRoutingEnabled ? "MX" : c.SmartHosts.join(", ")}`);
  return `${domain} ${d?.DomainType ?? "not accepted"} | send connectors: ${connectors.join(", ") || "none"}`;
}

export function renderWorld(world: World, domain: string): string {
  const lines = [renderSetup(world, domain), ""];
  const rows = userRows(world);
  const head = ["User", "In group", "Source forwards to", "From internet", "From EXO user", "From source user"];
  const cells = rows.map((r) => [r.user, r.inGroup ? "yes" : "no", r.forwardsTo ?? "-", describeOutcome(r.internet), describeOutcome(r.exchange), describeOutcome(r.source)]);
  const widths = head.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i]!.length)));
  lines.push("  " + head.map((h, i) => pad(h, widths[i]!)).join("  "));
  lines.push("  " + widths.map((w) => "-".repeat(w)).join("  "));
  for (const c of cells) lines.push("  " + c.map((x, i) => pad(x, widths[i]!)).join("  "));
  return lines.join("\n");
}
