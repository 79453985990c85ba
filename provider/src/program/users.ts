import * as fs from "node:fs";
import * as path from "node:path";
import { domainOf } from "../exchange/addresses";
import { Identity, SmtpAddress } from "../exchange/command";
import { readWave } from "../waves/csv";
import { Problem, quote, sortProblems } from "../waves/problems";
import { locate } from "../config/locate";
import { groupAddressOf, groupNameOf, routingAddress, StackConfig } from "../config/stack";
import { sourceKindOf } from "../exchange/targets";

/** A user to migrate, from a wave CSV, with their routing address worked out. */
export interface MigratedUser {
  emailAddress: string;
  forwardTo: string;
  sourceIdentity?: string;
  proxyAddress?: string;
  wave: string;
}

const isSmtp = (s: string) => SmtpAddress.safeParse(s).success;

/** The tenant (or its .mail. routing domain) or a subdomain of the shared domain. */
function isRoutingDomain(config: StackConfig, domain: string): boolean {
  const mail = config.tenant.replace(/\.onmicrosoft\.com$/, ".mail.onmicrosoft.com");
  return domain === config.tenant || domain === mail || domain.endsWith(`.${config.domain}`);
}

/**
 * Seed 1's `Identity, Members` file names its group in Identity. coexist has one group (the
 * configured one), so a file naming another group is refused: its members would be migrated,
 * not added to the group the file names. Exchange matches names and addresses without case.
 */
function isConfiguredGroup(config: StackConfig, identity: string): boolean {
  const id = identity.toLowerCase();
  return id === groupNameOf(config).toLowerCase() || id === groupAddressOf(config);
}

/**
 * Reads every wave and checks every row; problems are collected, never thrown one by one, and
 * left in reading order (the stack file, then each wave in coexist:waves order, by line).
 */
export function usersFromWaves(config: StackConfig, projectDir: string, stackFile: string, problems: Problem[], shownStackFile = stackFile): MigratedUser[] {
  const seen = new Map<string, string>();
  const users: MigratedUser[] = [];
  const order = [shownStackFile];
  config.waves.forEach((wave, i) => {
    const file = path.resolve(projectDir, wave);
    const shown = path.relative(projectDir, file) || wave;
    order.push(shown);
    if (!fs.existsSync(file)) {
      problems.push({ file: shownStackFile, ...locate(stackFile, ["waves", i]), message: `coexist:waves: wave file ${quote(wave)} does not exist` });
      return;
    }
    // One refusal per group a membership file names, at its first row.
    const otherGroups = new Map<string, { at: Problem; rows: number }>();
    for (const { row, line, places, headers } of readWave(shown, problems, fs.readFileSync(file, "utf8"))) {
      // Each message names the file, line, column and the field as the file's header spells it.
      const report = (field: keyof typeof places, message: string) =>
        problems.push({ file: shown, ...(places[field] ?? { line, column: 1 }), message: `${headers[field] ?? field}: ${message}` });
      const email = row.emailAddress.toLowerCase();
      let ok = true;
      // Values are quoted as written in the file; only comparisons ignore case.
      if (row.group !== undefined && !isConfiguredGroup(config, row.group)) {
        const key = row.group.toLowerCase();
        const other = otherGroups.get(key);
        if (other) other.rows++;
        else {
          const at: Problem = {
            file: shown,
            ...(places.group ?? { line, column: 1 }),
            message:
              `${headers.group ?? "Identity"}: ${quote(row.group)} is not the group coexist uses, ${quote(groupNameOf(config))} (${groupAddressOf(config)}): ` +
              `every member listed would be migrated and added to it instead; write that group's name or address in ` +
              `${headers.group ?? "Identity"}, or set coexist:names.group and coexist:names.groupAddress to the group to use`,
          };
          otherGroups.set(key, { at, rows: 1 });
        }
        ok = false;
      }
      if (!isSmtp(email)) {
        report("emailAddress", `${quote(row.emailAddress)} is not a valid email address`);
        ok = false;
      } else if (domainOf(email) !== config.domain) {
        report("emailAddress", `${row.emailAddress} is outside the shared domain ${config.domain}`);
        ok = false;
      } else if (seen.has(email)) {
        report("emailAddress", `${row.emailAddress} is listed twice (first at ${seen.get(email)})`);
        ok = false;
      }
      const forwardTo = row.forwardTo?.toLowerCase() ?? (ok ? routingAddress(config, email) : "");
      // An explicit ForwardTo or one from coexist:routingTemplate: both must route to the tenant.
      const from = row.forwardTo !== undefined ? "forwardTo" : "emailAddress";
      const via = row.forwardTo !== undefined ? "" : " (from coexist:routingTemplate)";
      if (ok || row.forwardTo !== undefined) {
        // A ForwardTo as written; a routing address as the template made it.
        const written = row.forwardTo ?? forwardTo;
        if (!isSmtp(forwardTo)) {
          report(from, `${quote(written)}${via} is not a valid forwarding address`);
          ok = false;
        } else if (!isRoutingDomain(config, domainOf(forwardTo))) {
          report(from, `${written}${via} is not a routing address: use ${config.tenant} or a subdomain of ${config.domain}`);
          ok = false;
        }
      }
      if (row.proxyAddress !== undefined && sourceKindOf(config.source) !== "exchange") {
        report("proxyAddress", `a proxy address is added to an Exchange source mailbox; a ${sourceKindOf(config.source)} source has none coexist can change (leave the column empty)`);
        ok = false;
      } else if (row.proxyAddress !== undefined && !isSmtp(row.proxyAddress)) {
        report("proxyAddress", `${quote(row.proxyAddress)} is not a valid proxy address`);
        ok = false;
      }
      const sourceIdentity = row.sourceIdentity === undefined ? undefined : Identity.safeParse(row.sourceIdentity);
      if (sourceIdentity && !sourceIdentity.success) {
        report("sourceIdentity", `${quote(row.sourceIdentity!)} ${sourceIdentity.error.issues[0]!.message}`);
        ok = false;
      }
      if (!seen.has(email)) seen.set(email, `${shown}:${line}`);
      if (ok) {
        users.push({
          emailAddress: email,
          forwardTo,
          wave: path.basename(wave, path.extname(wave)),
          ...(row.sourceIdentity ? { sourceIdentity: row.sourceIdentity } : {}),
          ...(row.proxyAddress ? { proxyAddress: row.proxyAddress.toLowerCase() } : {}),
        });
      }
    }
    for (const { at, rows } of otherGroups.values()) problems.push(rows > 1 ? { ...at, message: `${at.message} (${rows} rows name it)` } : at);
  });
  config.rollback.forEach((address, i) => {
    if (!seen.has(address)) problems.push({ file: shownStackFile, ...locate(stackFile, ["rollback", i]), message: `${address} is to be rolled back but is in no wave` });
  });
  problems.splice(0, problems.length, ...sortProblems(problems, order));
  return users;
}

/** The users to migrate and the users to roll back (listed in a wave and in coexist:rollback). */
export function splitRollback(config: StackConfig, all: MigratedUser[]): { users: MigratedUser[]; rolledBack: MigratedUser[] } {
  const back = new Set(config.rollback);
  return { users: all.filter((u) => !back.has(u.emailAddress)), rolledBack: all.filter((u) => back.has(u.emailAddress)) };
}

/**
 * pendingGroup's list of every source user (coexist:sourceUsers): a CSV with an EmailAddress
 * column (what `coexist source-users` writes) or seed 1's `Identity, Members`. Only addresses
 * are read; every row must be in the shared domain, listed once.
 */
export function sourceUsersOf(config: StackConfig, projectDir: string, stackFile: string, problems: Problem[], shownStackFile = stackFile): string[] {
  if (!config.sourceUsers) return [];
  const file = path.resolve(projectDir, config.sourceUsers);
  const shown = path.relative(projectDir, file) || config.sourceUsers;
  if (!fs.existsSync(file)) {
    problems.push({ file: shownStackFile, ...locate(stackFile, ["sourceUsers"]), message: `coexist:sourceUsers: file ${quote(config.sourceUsers)} does not exist (\`coexist source-users --stack <stack> --out ${config.sourceUsers}\` writes it from the source)` });
    return [];
  }
  const seen = new Map<string, number>();
  const out: string[] = [];
  for (const { row, line, places, headers } of readWave(shown, problems, fs.readFileSync(file, "utf8"))) {
    const report = (field: "emailAddress" | "group", message: string) => problems.push({ file: shown, ...(places[field] ?? { line, column: 1 }), message: `${headers[field] ?? field}: ${message}` });
    const email = row.emailAddress.toLowerCase();
    if (row.group !== undefined && !isConfiguredGroup(config, row.group)) report("group", `${quote(row.group)} is not the pending group, ${quote(groupNameOf(config))} (${groupAddressOf(config)})`);
    else if (!isSmtp(email)) report("emailAddress", `${quote(row.emailAddress)} is not a valid email address`);
    else if (domainOf(email) !== config.domain) report("emailAddress", `${row.emailAddress} is outside the shared domain ${config.domain}`);
    else if (seen.has(email)) report("emailAddress", `${row.emailAddress} is listed twice (first at line ${seen.get(email)})`);
    else {
      seen.set(email, line);
      out.push(email);
    }
  }
  return out;
}

/** coexist:cloudOnly: in the shared domain, and neither in a wave nor (pendingGroup) a source user. */
export function checkCloudOnly(config: StackConfig, users: MigratedUser[], sourceUsers: string[], stackFile: string, problems: Problem[], shownStackFile = stackFile): void {
  const inWave = new Map(users.map((u) => [u.emailAddress, u.wave]));
  const atSource = new Set(sourceUsers);
  config.cloudOnly.forEach((address, i) => {
    const at = { file: shownStackFile, ...locate(stackFile, ["cloudOnly", i]) };
    if (domainOf(address) !== config.domain) problems.push({ ...at, message: `coexist:cloudOnly: ${address} is outside the shared domain ${config.domain}` });
    else if (inWave.has(address)) problems.push({ ...at, message: `coexist:cloudOnly: ${address} is also in wave ${inWave.get(address)}: a cloud-only recipient has no source mailbox to forward; keep it in one of the two` });
    else if (atSource.has(address)) problems.push({ ...at, message: `coexist:cloudOnly: ${address} is also in coexist:sourceUsers: a user at the source is not cloud-only; keep it in one of the two` });
  });
}
