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
import { formatProblem, Problem } from "../waves/problems";
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

export const REFUSAL_POINTER = "coexist: refusing to clean up (the reason is given once, on another resource of this stack); nothing was removed";

let reported = false;
/**
 * The error a refused delete reports. The engine deletes several resources at once, and each
 * asks the guard: the reason is given once, by the first; the others point at it, so the CLI
 * shows the refusal once instead of once per resource in flight.
 */
export function refusalFor(e: unknown): unknown {
  if (!(e instanceof CleanupRefused)) return e;
  if (!reported) {
    reported = true;
    return e;
  }
  return new CleanupRefused(REFUSAL_POINTER);
}

/** A source user's forwarding; `rolledBack`: a vendor user whose latest request is the removal (confirmed or not). */
type Forwarding = Pick<MailboxObject, "PrimarySmtpAddress" | "ForwardingSmtpAddress" | "ForwardingAddress"> & { rolledBack?: boolean };

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
  // A rollback (coexist:rollback) whose removal the vendor has been asked for keeps its membership
  // (so the rule does not route a maybe-forwarded user back), but the user lives at the source:
  // stranded by a cleanup. The cleanup's own removal rows (a destroy that stopped and is run
  // again) are for users not rolled back, and do not count.
  const rolledBack = new Set(ctx.config.rollback.map(bare));
  return [...new Set([...users, ...states.keys()])].map((u) => ({ PrimarySmtpAddress: u, ForwardingSmtpAddress: askedForward(states.get(u)), ForwardingAddress: null, rolledBack: rolledBack.has(u) && states.get(u)?.latest.action === "remove" }));
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
    // Users who still live on the source (neither forwarded to the tenant nor in the group): after
    // cleanup nothing sends their mail there. Members count as migrated, so a cleanup that
    // stopped after turning some forwards off resumes: they stay members until the group goes,
    // and once it has gone no user resource is left (they all depend on it). One list read of
    // each side, whatever the number of users.
    const members = await groupMembers(ctx, config.groupAddress ?? `migrated@${domain}`);
    if (!members) return;
    const mailboxes = await sourceMailboxes(ctx, domain);
    const acknowledged = new Set(config.acknowledge.map(bare));
    // pendingGroup: the group holds exactly the users still at the source, so a member with no
    // forward is stranded; a user the cleanup already turned off is no member and passes. (A
    // source user in neither passes too: their mail lands in Exchange Online before the cleanup
    // as after it, which the safety gate refused at every up; the cleanup changes nothing for them.)
    const waiting = (a: string) => (config.routing === "pendingGroup" ? members.has(a) : !members.has(a));
    const stranded = mailboxes
      .filter((m) => domainOf(m.PrimarySmtpAddress) === domain && !m.ForwardingSmtpAddress && !m.ForwardingAddress && (m.rolledBack || waiting(bare(m.PrimarySmtpAddress))))
      .map((m) => bare(m.PrimarySmtpAddress))
      .filter((a) => !acknowledged.has(a))
      .sort();
    if (stranded.length > 0) {
      throw new CleanupRefused(strandedRefusal(domain, stranded));
    }
  })();
  return verdict;
}
