import * as fs from "node:fs";
import * as path from "node:path";
import { domainOf } from "../exchange/addresses";
import { SmtpAddress } from "../exchange/command";
import { readWave } from "../waves/csv";
import { Problem } from "../waves/problems";
import { locate, StackConfig } from "./stackConfig";

/** A user to migrate, from a wave CSV, with their routing address worked out. */
export interface MigratedUser {
  emailAddress: string;
  forwardTo: string;
  sourceIdentity?: string;
  proxyAddress?: string;
  wave: string;
}

const isSmtp = (s: string) => SmtpAddress.safeParse(s).success;

export function routingAddress(config: StackConfig, email: string): string {
  const alias = email.slice(0, email.lastIndexOf("@"));
  return config.routingTemplate.replaceAll("{alias}", alias).replaceAll("{domain}", config.domain).replaceAll("{tenant}", config.tenant).toLowerCase();
}

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
      problems.push({ file: shownStackFile, ...locate(stackFile, ["waves", i]), message: `wave file ${wave} does not exist` });
      return;
    }
    for (const { row, line, columns } of readWave(shown, problems, fs.readFileSync(file, "utf8"))) {
      const at = (field: keyof typeof columns) => ({ file: shown, line, column: columns[field] ?? 1 });
      const email = row.emailAddress.toLowerCase();
      let ok = true;
      if (!isSmtp(email)) {
        problems.push({ ...at("emailAddress"), message: `"${row.emailAddress}" is not a valid email address` });
        ok = false;
      } else if (domainOf(email) !== config.domain) {
        problems.push({ ...at("emailAddress"), message: `${email} is outside the shared domain ${config.domain}` });
        ok = false;
      } else if (seen.has(email)) {
        problems.push({ ...at("emailAddress"), message: `${email} is listed twice (first at ${seen.get(email)})` });
        ok = false;
      }
      const forwardTo = row.forwardTo?.toLowerCase() ?? (ok ? routingAddress(config, email) : "");
      // An explicit ForwardTo or one from coexist:routingTemplate: both must route to the tenant.
      const from = row.forwardTo !== undefined ? at("forwardTo") : at("emailAddress");
      const via = row.forwardTo !== undefined ? "" : " (from coexist:routingTemplate)";
      if (ok || row.forwardTo !== undefined) {
        if (!isSmtp(forwardTo)) {
          problems.push({ ...from, message: `"${forwardTo}"${via} is not a valid forwarding address` });
          ok = false;
        } else if (!isRoutingDomain(config, domainOf(forwardTo))) {
          problems.push({ ...from, message: `${forwardTo}${via} is not a routing address: use ${config.tenant} or a subdomain of ${config.domain}` });
          ok = false;
        }
      }
      if (row.proxyAddress !== undefined && !isSmtp(row.proxyAddress)) {
        problems.push({ ...at("proxyAddress"), message: `"${row.proxyAddress}" is not a valid proxy address` });
        ok = false;
      }
      if (row.sourceIdentity !== undefined && (row.sourceIdentity.length > 256 || /[\u0000-\u001f]/.test(row.sourceIdentity))) {
        problems.push({ ...at("sourceIdentity"), message: "SourceIdentity must be at most 256 printable characters" });
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
  return users.filter((u) => !config.rollback.includes(u.emailAddress));
}
