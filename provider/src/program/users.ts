import * as fs from "node:fs";
import * as path from "node:path";
import { domainOf } from "../exchange/addresses";
import { Identity, quoted, SmtpAddress } from "../exchange/command";
import { readWave } from "../waves/csv";
import { Problem } from "../waves/problems";
import { locate, routingAddress, StackConfig } from "./stackConfig";

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

/** Reads every wave and checks every row; problems are collected, never thrown one by one. */
export function usersFromWaves(config: StackConfig, projectDir: string, stackFile: string, problems: Problem[], shownStackFile = stackFile): MigratedUser[] {
  const seen = new Map<string, string>();
  const users: MigratedUser[] = [];
  config.waves.forEach((wave, i) => {
    const file = path.resolve(projectDir, wave);
    const shown = path.relative(projectDir, file) || wave;
    if (!fs.existsSync(file)) {
      problems.push({ file: shownStackFile, ...locate(stackFile, ["waves", i]), message: `coexist:waves: wave file ${quoted(wave)} does not exist` });
      return;
    }
    for (const { row, line, places, headers } of readWave(shown, problems, fs.readFileSync(file, "utf8"))) {
      // Each message names the file, line, column and the field as the file's header spells it.
      const report = (field: keyof typeof places, message: string) =>
        problems.push({ file: shown, ...(places[field] ?? { line, column: 1 }), message: `${headers[field] ?? field}: ${message}` });
      const email = row.emailAddress.toLowerCase();
      let ok = true;
      if (!isSmtp(email)) {
        report("emailAddress", `${quoted(row.emailAddress)} is not a valid email address`);
        ok = false;
      } else if (domainOf(email) !== config.domain) {
        report("emailAddress", `${email} is outside the shared domain ${config.domain}`);
        ok = false;
      } else if (seen.has(email)) {
        report("emailAddress", `${email} is listed twice (first at ${seen.get(email)})`);
        ok = false;
      }
      const forwardTo = row.forwardTo?.toLowerCase() ?? (ok ? routingAddress(config, email) : "");
      // An explicit ForwardTo or one from coexist:routingTemplate: both must route to the tenant.
      const from = row.forwardTo !== undefined ? "forwardTo" : "emailAddress";
      const via = row.forwardTo !== undefined ? "" : " (from coexist:routingTemplate)";
      if (ok || row.forwardTo !== undefined) {
        if (!isSmtp(forwardTo)) {
          report(from, `${quoted(forwardTo)}${via} is not a valid forwarding address`);
          ok = false;
        } else if (!isRoutingDomain(config, domainOf(forwardTo))) {
          report(from, `${forwardTo}${via} is not a routing address: use ${config.tenant} or a subdomain of ${config.domain}`);
          ok = false;
        }
      }
      if (row.proxyAddress !== undefined && !isSmtp(row.proxyAddress)) {
        report("proxyAddress", `${quoted(row.proxyAddress)} is not a valid proxy address`);
        ok = false;
      }
      const sourceIdentity = row.sourceIdentity === undefined ? undefined : Identity.safeParse(row.sourceIdentity);
      if (sourceIdentity && !sourceIdentity.success) {
        report("sourceIdentity", `${quoted(row.sourceIdentity!)} ${sourceIdentity.error.issues[0]!.message}`);
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
  });
  config.rollback.forEach((address, i) => {
    if (!seen.has(address)) problems.push({ file: shownStackFile, ...locate(stackFile, ["rollback", i]), message: `${address} is to be rolled back but is in no wave` });
  });
  return users;
}

/** The users to migrate and the users to roll back (listed in a wave and in coexist:rollback). */
export function splitRollback(config: StackConfig, all: MigratedUser[]): { users: MigratedUser[]; rolledBack: MigratedUser[] } {
  const back = new Set(config.rollback);
  return { users: all.filter((u) => !back.has(u.emailAddress)), rolledBack: all.filter((u) => back.has(u.emailAddress)) };
}
