import { GetDistributionGroupMember, GetMailbox, MailboxObject, RecipientObject } from "../exchange/cmdlets";
import { isNotFound } from "../exchange/errors";
import { bare, domainOf } from "../exchange/addresses";
import { networkFor } from "../snapshot/network";
import { UserError } from "../host/quietErrors";
import { Context } from "./context";
import * as fs from "node:fs";
import * as path from "node:path";
import { Command } from "../exchange/command";
import { sourceKindOf } from "../exchange/targets";
import { SessionPool } from "../pool/sessionPool";
import { projectRoot } from "../projectRoot";
import { readGoogleSource } from "../snapshot/googleSource";
import { readWave } from "../waves/csv";
import { formatProblem, Problem, quote } from "../waves/problems";
import type { ProviderConfig, RoutingModel } from "../config/provider";
import { askedForward, type VendorState } from "./vendorLedger";
import { statesNow } from "./migratedMailbox/vendorSteps";

/**
 * The post-MX cleanup guard. `pulumi destroy` removes the rules, the connector and the group and
 * makes the domain Authoritative again: before MX points at Exchange Online that bounces mail
 * for everyone still on the source, and after it, mail for users who still live on the source
 * lands in Exchange Online mailboxes nobody reads. A destroy never runs the program, so the
 * provider tells it apart from an `up` that rolls a user back: during an `up` the engine checks
 * every declared resource first; during a destroy nothing is checked.
 */
const KEY = Symbol.for("coexist.programRan");
const flags = globalThis as Record<symbol, boolean | undefined>;
export const noteProgramRan = (): void => void (flags[KEY] = true);
export const programRan = (): boolean => flags[KEY] === true;

async function groupMembers(ctx: Context, group: string): Promise<Set<string> | undefined> {
  try {
    const list = (await ctx.exchange.run(GetDistributionGroupMember({ Identity: group, ResultSize: "Unlimited" }))) as RecipientObject[];
    return new Set(list.map((m) => bare(m.PrimarySmtpAddress)));
  } catch (e) {
    if (isNotFound(e)) return undefined;
    throw e;
  }
}

/** At most this many users are named in the refusal; the count says how many more. */
const NAMED = 20;

/** The guard's refusal: a message for the user (docs/runbook/05-cleanup.md quotes it), not a crash. */
export class CleanupRefused extends UserError {
  override name = "CleanupRefused";
}

export function mxRefusal(domain: string, mx: string | undefined): string {
  return (
    `coexist: refusing to clean up: the MX of ${domain} ${mx === "source" ? "points at the source" : "has no record"}, not Exchange Online. ` +
    `Cleanup makes the domain Authoritative and removes the route to the source, so mail for users still there would bounce. ` +
    `Cut MX over first. If it is done and DNS is not yet visible from here, run \`pulumi config set --path coexist:cutover.done true\`, ` +
    `then \`pulumi up\` (destroy uses the provider settings recorded by the last up) or \`pulumi destroy --run-program\`.`
  );
}

export function strandedRefusal(domain: string, stranded: string[]): string {
  const named = stranded.slice(0, NAMED).join(", ") + (stranded.length > NAMED ? ` and ${stranded.length - NAMED} more` : "");
  return (
    `coexist: refusing to clean up: ${stranded.length} user${stranded.length === 1 ? "" : "s"} of ${domain} still live${stranded.length === 1 ? "s" : ""} on the source (no forwarding to Exchange Online): ${named}. ` +
    `After cleanup their mail would land in Exchange Online, where they do not read it, or bounce. ` +
    `Migrate them in a last wave first, or, if they are leaving or are not people, list them in coexist:acknowledge and run \`pulumi up\` before \`pulumi destroy\`.`
  );
}

/**
 * What the deletes after the first say: the refusal's first sentence (the cause, and the users
 * it names), so the reason is never lost whichever delete the CLI shows (issue 27), and a
 * pointer to the full text with its fix.
 */
export const refusalPointer = (reason: string): string => {
  const end = reason.indexOf(". ");
  return `${end < 0 ? reason.replace(/\.$/, "") : reason.slice(0, end)} (the reason in full, with the fix, is given once, on another resource of this stack); nothing was removed`;
};

let reported = false;
/**
 * The error a refused delete reports. The engine deletes several resources at once, and each
 * asks the guard: the whole reason is given once, by the first; the others give its first
 * sentence and point at it, so the CLI shows the fix once instead of once per resource in flight.
 */
export function refusalFor(e: unknown): unknown {
  if (!(e instanceof CleanupRefused)) return e;
  if (!reported) {
    reported = true;
    return e;
  }
  return new CleanupRefused(refusalPointer(e.message));
}

/** A source user's forwarding. */
type Forwarding = Pick<MailboxObject, "PrimarySmtpAddress" | "ForwardingSmtpAddress" | "ForwardingAddress">;

/**
 * Every source user and their forwarding, by source kind: an Exchange source's one list read; a
 * Google source's directory and each user's auto-forwarding (snapshot/googleSource.ts); a
 * vendor's users from coexist:sourceUsers with the forwarding its ledger asked for (an
 * unconfirmed request counts as applied: once the rules are gone a late forward is delivered in
 * Exchange Online anyway).
 */
async function sourceMailboxes(ctx: Context, domain: string): Promise<Forwarding[]> {
  const kind = sourceKindOf(ctx.config.source);
  if (kind === "exchange") return (await ctx.source.run(GetMailbox({ ResultSize: "Unlimited" }))) as MailboxObject[];
  if (kind === "google-workspace") return (await readGoogleSource(ctx.source, domain, async <T>(pool: SessionPool, c: Command) => (await pool.run(c)) as T[])).mailboxes;
  let states: ReadonlyMap<string, VendorState>;
  try {
    states = await statesNow(ctx.config.vendor);
  } catch (e) {
    // No stack to name the ledger by, or a bad confirmations row: said as the guard's refusal.
    if (e instanceof UserError) throw new CleanupRefused(`coexist: refusing to clean up: ${e.message.replace(/^coexist: /, "")}`);
    throw e;
  }
  const problems: Problem[] = [];
  const list = ctx.config.sourceUsers ? path.resolve(projectRoot(), ctx.config.sourceUsers) : undefined;
  const users = list && fs.existsSync(list) ? readWave(list, problems).map((r) => bare(r.row.emailAddress)) : [];
  if (problems.length > 0) throw new CleanupRefused(`coexist: refusing to clean up: ${problems.map(formatProblem).join("; ")}`);
  // A rollback waiting for the vendor's confirmation has asked for no forward: stranded, as it is
  // not declared migrated either. The cleanup's own removal rows are for declared users.
  return [...new Set([...users, ...states.keys()])].map((u) => ({ PrimarySmtpAddress: u, ForwardingSmtpAddress: askedForward(states.get(u)), ForwardingAddress: null }));
}

/**
 * The users the stack declares migrated: everyone in the waves of coexist:waves, read now from the
 * files the last up named, minus coexist:rollback. A missing or unreadable wave is a refusal
 * naming the file (and line and field), as the program's would be.
 */
export function declaredMigrated(config: Pick<ProviderConfig, "waves" | "rollback">, root = projectRoot()): Set<string> {
  const problems: Problem[] = [];
  const missing: string[] = [];
  const users = new Set<string>();
  for (const wave of config.waves) {
    const file = path.resolve(root, wave);
    const shown = path.relative(root, file) || wave;
    if (!fs.existsSync(file)) missing.push(`coexist:waves: wave file ${quote(wave)} does not exist`);
    else for (const { row } of readWave(shown, problems, fs.readFileSync(file, "utf8"))) users.add(bare(row.emailAddress));
  }
  const reasons = [...missing, ...problems.map(formatProblem)];
  if (reasons.length > 0) throw new CleanupRefused(`coexist: refusing to clean up: ${reasons.join("; ")}`);
  for (const u of config.rollback) users.delete(bare(u));
  return users;
}

/**
 * The source users of `domain` the cleanup would strand, sorted: no forward, not acknowledged, and
 * at the source by the stack's word (not declared migrated) or by the live group's. The group
 * alone is not trusted: a membership changed by hand would let a user at the source through. It
 * can only add, so a declared user whose last up stopped before their steps is held back too.
 * `members` is undefined once the group has gone, and the stack's word decides alone: a cleanup
 * that stopped half-way resumes either way, since the users whose forward it turned off are
 * declared (and stay members, migratedGroup, or never rejoin, pendingGroup, until the group goes).
 */
export function strandedUsers(p: { domain: string; routing: RoutingModel; mailboxes: Forwarding[]; declared: Set<string>; members: Set<string> | undefined; acknowledged: Set<string> }): string[] {
  const waitsByGroup = (a: string) => p.members !== undefined && (p.routing === "pendingGroup" ? p.members.has(a) : !p.members.has(a));
  return p.mailboxes
    .filter((m) => domainOf(m.PrimarySmtpAddress) === p.domain && !m.ForwardingSmtpAddress && !m.ForwardingAddress)
    .map((m) => bare(m.PrimarySmtpAddress))
    .filter((a) => (!p.declared.has(a) || waitsByGroup(a)) && !p.acknowledged.has(a))
    .sort();
}

let verdict: Promise<void> | undefined;

/** Resolves when cleanup may go ahead; rejects with what to do otherwise. Asked once per run. */
export function cleanupAllowed(ctx: Context): Promise<void> {
  verdict ??= (async () => {
    const { config } = ctx;
    if (!config.domain) throw new CleanupRefused("coexist: refusing to clean up: coexist:domain is not set, so the MX cutover cannot be checked");
    const domain = config.domain;
    if (!config.cutover.done && !config.cutover.allowBeforeMx) {
      const mx = await networkFor(config.exchange, [], []).mx(domain);
      if (mx !== "exchange") {
        throw new CleanupRefused(mxRefusal(domain, mx));
      }
    }
    if (config.cutover.allowBeforeMx) return; // the consultant has taken over: nothing else is checked
    // One read of the group and one of the source, whatever the number of users; the waves are files.
    const declared = declaredMigrated(config);
    const members = await groupMembers(ctx, config.groupAddress ?? `migrated@${domain}`);
    const mailboxes = await sourceMailboxes(ctx, domain);
    const stranded = strandedUsers({ domain, routing: config.routing, mailboxes, declared, members, acknowledged: new Set(config.acknowledge.map(bare)) });
    if (stranded.length > 0) {
      throw new CleanupRefused(strandedRefusal(domain, stranded));
    }
  })();
  return verdict;
}
