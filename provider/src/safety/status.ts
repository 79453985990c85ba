import { bare, domainOf } from "../exchange/addresses";
import { describeTrace, traceMail, viewOf, type Outcome, type RoutingWorld, type Trace, type View } from "../oracle";
import { ENTRIES, ENTRY_LABEL, Entry, GateResult, Home, notYetApplied } from "./gate";

/**
 * Where one user's mail ends today, from each entry point: the row `npm run status` prints and
 * the rehearsal's world report (rehearsal/report.ts) prints, computed once, here.
 */
export interface MailRow {
  user: string;
  inGroup: boolean;
  /** The source mailbox's forward: ForwardingSmtpAddress, or a ForwardingAddress (which wins). */
  forwardsTo: string | null;
  internet: Outcome;
  exchange: Outcome;
  source: Outcome;
}

/** The rows for `users` (primary addresses) in a world or snapshot, with `groupAddress` as the coexist group. */
export function mailRows(world: RoutingWorld, users: string[], groupAddress: string | undefined): MailRow[] {
  return withTraces(viewOf(world), users, members(world, groupAddress)).map((r) => r.row);
}

function members(world: RoutingWorld, groupAddress: string | undefined): Set<string> | undefined {
  const group = groupAddress === undefined ? undefined : world.tenant.groups.find((g) => bare(g.PrimarySmtpAddress) === bare(groupAddress));
  return group && new Set(group.Members.map(bare));
}

function withTraces(view: View, users: string[], inGroup: Set<string> | undefined): { row: MailRow; traces: Record<Entry, Trace>; hasMailbox: boolean }[] {
  return users.map((u) => {
    const user = bare(u);
    const m = view.sourceMailbox(user);
    const forwardsTo = m?.ForwardingAddress ? `${m.ForwardingAddress} (ForwardingAddress)` : (m?.ForwardingSmtpAddress ?? null);
    const traces = tracesTo(view, user);
    const row: MailRow = { user, inGroup: inGroup?.has(user) ?? false, forwardsTo, internet: traces.internet.outcome, exchange: traces.exchange.outcome, source: traces.source.outcome };
    return { row, traces, hasMailbox: m !== undefined };
  });
}

const tracesTo = (view: View, user: string) => Object.fromEntries(ENTRIES.map((e) => [e, traceMail(view, { to: user, entry: e })])) as Record<Entry, Trace>;

/**
 * `status`: where each user's mail ends today, from each entry point, on a live snapshot (or a
 * simulated world), against where the stack says they live; plus every anomaly and what the next
 * `pulumi up` would refuse. Read-only: it is computed from what the snapshot read.
 */
export interface StatusRow extends MailRow {
  /** Where the stack says the user lives once its waves and rollbacks are applied. */
  home: Home;
  /** A vendor source: the worksheet's last request for the user and whether the vendor confirmed it. */
  vendor?: string;
  /**
   * A vendor request not confirmed yet: where mail ends while the vendor has not applied it (the
   * row's own outcomes are once it has). coexist cannot see when the vendor acts, only the
   * confirmation recorded afterwards, so both are true possibilities until then.
   */
  untilApplied?: { vendor: string; requested: string } & Record<Entry, Outcome>;
}

/** The Vendor column: what the worksheet asked of the vendor for this user, confirmed or not. */
function vendorCell(m: { ForwardingSmtpAddress: string | null; unconfirmed?: { requested: string } | undefined } | undefined): string {
  if (!m) return "-";
  if (m.unconfirmed) return m.ForwardingSmtpAddress ? `add sent ${m.unconfirmed.requested}` : `remove requested ${m.unconfirmed.requested} (waiting)`;
  return m.ForwardingSmtpAddress ? "add confirmed" : "-";
}

export interface Status {
  rows: StatusRow[];
  /** What frames the table (no coexistence in place), not a problem. */
  notes: string[];
  anomalies: string[];
  /** The users' anomalies by kind (the line without its user-specific detail), most users first. */
  anomalyKinds: { kind: string; users: string[] }[];
  /** The gate's refusals of the next up, as lines of `anomalies` too. */
  refusals: string[];
  /** waitingForVendor: users whose last vendor request is not confirmed (0 on other sources). */
  totals: { users: number; inExchange: number; atSource: number; anomalies: number; refusedNextUp: number; waitingForVendor: number };
}

const LABEL: Record<Outcome, string> = { "delivered-exchange": "Exchange Online", "delivered-source": "source", "forwarded-outside": "outside (own forward)", loop: "LOOP", bounce: "BOUNCE" };
// A user's own forward out of both systems is where the source sends their mail: the source's doing.
const systemOf = (o: Outcome): Home | undefined => (o === "delivered-exchange" ? "exchange" : o === "delivered-source" || o === "forwarded-outside" ? "source" : undefined);

/**
 * Rows and anomalies for every user the gate counted (gate.homes), on today's snapshot, cloud-only
 * recipients included. In pendingGroup (seed 1) the group holds the users still at the source, so
 * a migrated user is one forwarded and out of it.
 */
export function statusOf(snapshot: RoutingWorld, domain: string, groupAddress: string, gate: GateResult, routing: "migratedGroup" | "pendingGroup" = "migratedGroup"): Status {
  const pending = routing === "pendingGroup";
  const view = viewOf(snapshot);
  const inGroup = members(snapshot, groupAddress);
  const group = inGroup !== undefined;
  const rows: StatusRow[] = [];
  const anomalies: string[] = [];
  const kinds = new Map<string, string[]>();
  // One line per user and problem; `kind` is the line without what differs from user to user,
  // so that a review of 500 users reads as a few kinds (renderStatus), not 500 lines.
  const anomaly = (user: string, text: string, kind = text) => {
    anomalies.push(`${user}: ${text}`);
    const users = kinds.get(kind);
    if (users) users.push(user);
    else kinds.set(kind, [user]);
  };
  // Users in Exchange Online today: each row's `now` below.
  let inExchange = 0;
  const users = [...gate.homes].filter(([u]) => domainOf(u) === domain).sort(([a], [b]) => a.localeCompare(b));
  const traced = withTraces(view, users.map(([u]) => u), inGroup);
  for (const [i, [user, home]] of users.entries()) {
    const { row: mail, traces, hasMailbox } = traced[i]!;
    const { user: _u, ...rest } = mail;
    const unconfirmed = view.sourceMailbox(user)?.unconfirmed;
    const before = unconfirmed && { ...unconfirmed, traces: tracesTo(notYetApplied(view, user)!, user) };
    const untilApplied = before && { vendor: before.vendor, requested: before.requested, ...(Object.fromEntries(ENTRIES.map((e) => [e, before.traces[e].outcome])) as Record<Entry, Outcome>) };
    const row: StatusRow = { user, home, ...rest, ...(snapshot.source.kind === "vendor" ? { vendor: vendorCell(view.sourceMailbox(user)) } : {}), ...(untilApplied ? { untilApplied } : {}) };
    // A vendor's unconfirmed request: the membership and the forward are meant to disagree until it confirms.
    const maybe = untilApplied !== undefined;
    const { forwardsTo } = row;
    rows.push(row);
    const cloud = gate.cloudOnly.has(user);
    if (!hasMailbox && !cloud) anomaly(user, "no source mailbox");
    const applied = cloud || (pending ? !row.inGroup : row.inGroup) && forwardsTo !== null;
    if (group && !cloud && !maybe) {
      if (pending) {
        if (forwardsTo && row.inGroup) anomaly(user, "forwarded but still in the group of users at the source");
        if (hasMailbox && !forwardsTo && !row.inGroup) anomaly(user, "neither forwarded nor in the group of users at the source");
      } else {
        if (hasMailbox && forwardsTo && !row.inGroup) anomaly(user, "forwarded but not in the group");
        if (row.inGroup && !forwardsTo) anomaly(user, "in the group but not forwarded");
      }
      if (home === "exchange" && !applied) anomaly(user, "in a wave but not (fully) applied: run pulumi up (it plans from what is live, so a change by hand is repaired too)");
      if (home === "source" && applied) anomaly(user, "migrated, but the stack says the source (rolled back or in no wave): pulumi up applies a pending rollback; otherwise this was set by hand: put the user in a wave, or undo it");
    }
    // Where mail should end today: where the user is now. With the group, migrated once in it
    // and forwarded; without it there is no coexistence: before it is set up (MX at the source)
    // everyone is at the source, after the cleanup (MX at Exchange Online) everyone has moved.
    const now: Home = cloud || (group ? applied : view.mx(domain) === "exchange") ? "exchange" : "source";
    if (now === "exchange") inExchange++;
    for (const e of ENTRIES) {
      const t = traces[e];
      const got = systemOf(t.outcome);
      if (got === undefined) anomaly(user, `${ENTRY_LABEL[e]}: ${LABEL[t.outcome]}: ${t.reason ?? describeTrace(t)}`, `${ENTRY_LABEL[e]}: ${LABEL[t.outcome]}`);
      // After the cleanup the source is being retired: what its own users send stays there.
      // A vendor's unconfirmed request: the user is between the two systems until it confirms.
      else if (got !== now && !maybe && !(e === "source" && !group && now === "exchange")) {
        const kind = `${ENTRY_LABEL[e]} lands in ${LABEL[t.outcome]}, but the user is ${now === "exchange" ? "in Exchange Online" : "at the source"}`;
        anomaly(user, `${kind}: ${describeTrace(t)}`, kind);
      }
      // Not applied yet, mail may end in either system (the gate's "maybe applied"): only a loop or a bounce is wrong.
      const b = before?.traces[e];
      if (b && systemOf(b.outcome) === undefined) {
        anomaly(
          user,
          `${ENTRY_LABEL[e]}: ${LABEL[b.outcome]} (if ${before!.vendor} has not applied the request of ${before!.requested} yet): ${b.reason ?? describeTrace(b)}`,
          `${ENTRY_LABEL[e]}: ${LABEL[b.outcome]} (if ${before!.vendor} has not applied the request yet)`,
        );
      }
    }
  }
  const notes = group ? [] : [`the group ${groupAddress} does not exist: coexistence is not set up yet, or was cleaned up (MX ${view.mx(domain) === "exchange" ? "at Exchange Online" : "at the source"})`];
  const waiting = rows.filter((r) => r.untilApplied);
  if (waiting.length > 0) {
    // vendor.md says where mail lands before the vendor acts, not what status shows meanwhile:
    // coexist knows only what it asked and what was confirmed, so it names both places.
    const vendor = waiting[0]!.untilApplied!.vendor;
    notes.push(
      `${waiting.length} user${waiting.length === 1 ? "" : "s"} wait${waiting.length === 1 ? "s" : ""} for ${vendor} to apply a request not confirmed yet (Vendor column): ` +
        `"X, or Y once applied" is where their mail ends until ${vendor} applies it, and after; coexist cannot see when it does, only the confirmation you record`,
    );
  }
  const refusals = gate.refusals.map((f) => `next pulumi up would refuse: ${f.message}`);
  anomalies.push(...refusals);
  return {
    rows,
    notes,
    anomalies,
    anomalyKinds: [...kinds].map(([kind, users]) => ({ kind, users })).sort((a, b) => b.users.length - a.users.length || a.kind.localeCompare(b.kind)),
    refusals,
    totals: { users: rows.length, inExchange, atSource: rows.length - inExchange, anomalies: anomalies.length, refusedNextUp: gate.refusals.length, waitingForVendor: waiting.length },
  };
}

const pad = (s: string, n: number) => (s.length >= n ? s : s + " ".repeat(n - s.length));

/**
 * Without --full, the table is printed up to this many rows: a pilot wave (the demo's 6 users, a
 * wave of 5 or 50) reads whole on a screen or two, while 500 rows would push the totals and the
 * anomalies, which are what a review acts on, out of sight; every anomaly names its user anyway.
 */
export const TABLE_ROWS = 50;

/** Without --full, more anomalies than this are printed by kind: a count and the first few users. */
export const ANOMALY_LINES = 20;
const NAMED = 3;

/** What a cell says: one place, or for a vendor request not applied yet both, the certain one first. */
function outcomeCell(r: StatusRow, e: Entry): string {
  const was = r.untilApplied?.[e];
  return was === undefined || was === r[e] ? LABEL[r[e]] : `${LABEL[was]}, or ${LABEL[r[e]]} once applied`;
}

/** Every anomaly, or past ANOMALY_LINES (without --full) one line per kind and the refusals. */
function anomalyLines(s: Status, full: boolean): string[] {
  if (s.anomalies.length === 0) return ["  No anomalies."];
  if (full || s.anomalies.length <= ANOMALY_LINES) return ["  Anomalies:", ...s.anomalies.map((a) => `    ${a}`)];
  const named = (users: string[]) => users.slice(0, NAMED).join(", ") + (users.length > NAMED ? ` and ${users.length - NAMED} more` : "");
  return [
    `  Anomalies, by kind (${s.anomalies.length}; --full prints each with its detail, \`trace\` one user's hops):`,
    ...s.anomalyKinds.map((k) => `    ${k.users.length} × ${k.kind}: ${named(k.users)}`),
    ...s.refusals.map((r) => `    ${r}`),
  ];
}

/** The report for a person: totals first, then the notes and anomalies, then the table (sorted by user; past TABLE_ROWS only with `full`). */
export function renderStatus(s: Status, options: { full?: boolean } = {}): string {
  const vendor = s.rows.some((r) => r.vendor !== undefined);
  const t = s.totals;
  const totals =
    `  Totals: ${t.users} users, ${t.inExchange} migrated, ${t.atSource} at the source, ${t.anomalies} anomal${t.anomalies === 1 ? "y" : "ies"}, next up would refuse ${t.refusedNextUp}` +
    (vendor ? `, ${t.waitingForVendor} waiting for the vendor` : "");
  const summary = [
    totals,
    ...s.notes.map((n) => `  Note: ${n}`),
    ...anomalyLines(s, options.full === true),
    "",
  ];
  if (!options.full && s.rows.length > TABLE_ROWS) {
    return [...summary, `  The table of ${s.rows.length} users is left out (more than ${TABLE_ROWS} rows): add --full to print every row, or --csv for one row per user.`].join("\n");
  }
  const head = ["User", "Lives in", "In group", "Source forwards to", ...(vendor ? ["Vendor"] : []), "From internet", "From EXO user", "From source user"];
  const cells = s.rows.map((r) => [r.user, r.home === "exchange" ? "Exchange Online" : "source", r.inGroup ? "yes" : "no", r.forwardsTo ?? "-", ...(vendor ? [r.vendor ?? "-"] : []), ...ENTRIES.map((e) => outcomeCell(r, e))]);
  const widths = head.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i]!.length)));
  const line = (c: string[]) => "  " + c.map((x, i) => pad(x, widths[i]!)).join("  ").trimEnd();
  return [...summary, line(head), "  " + widths.map((w) => "-".repeat(w)).join("  "), ...cells.map(line)].join("\n");
}

const csvCell = (v: string) => (/[",\n]/.test(v) ? `"${v.replaceAll('"', '""')}"` : v);

/** One row per user; a vendor source adds its column and, for a request not applied yet, where mail ends until it is (empty otherwise). */
export function statusCsv(s: Status): string {
  const vendor = s.rows.some((r) => r.vendor !== undefined);
  const head = ["user", "home", "inGroup", "forwardsTo", ...(vendor ? ["vendor"] : []), "internet", "exchange", "source", ...(vendor ? ENTRIES.map((e) => `${e}UntilApplied`) : [])];
  const row = (r: StatusRow) => [r.user, r.home, String(r.inGroup), r.forwardsTo ?? "", ...(vendor ? [r.vendor ?? ""] : []), r.internet, r.exchange, r.source, ...(vendor ? ENTRIES.map((e) => r.untilApplied?.[e] ?? "") : [])];
  return [head.join(","), ...s.rows.map((r) => row(r).map(csvCell).join(","))].join("\n");
}

/** `trace`: the hops of a message to one user from each entry point. */
export function renderTrace(snapshot: RoutingWorld, user: string): string {
  const view = viewOf(snapshot);
  const out: string[] = [];
  for (const e of ENTRIES) {
    const t = traceMail(view, { to: user, entry: e });
    out.push(`${ENTRY_LABEL[e]}: ${describeTrace(t)}`, ...t.hops.map((h) => `  ${h.at}: ${h.action}`));
  }
  return out.join("\n");
}
