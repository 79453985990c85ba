import * as fs from "node:fs";
import * as path from "node:path";
import { GetGSUser, GetMailbox, GSUserObject, MailboxObject } from "../exchange/cmdlets";
import { sourceKindOf, sourceRoleOf, SourceTarget } from "../exchange/targets";
import { bare, domainOf } from "../exchange/addresses";
import { stackFileOf } from "../config/locate";
import { rawConfig, readStackConfig } from "../config/stack";
import { readerPool } from "../safety/live";
import { projectRoot } from "../projectRoot";
import { formatProblem, InputError, Problem } from "../waves/problems";
import { stackValues } from "./stackValues";
import { arg } from "./args";

/**
 * `coexist source-users --stack X [--out FILE] [--force]` (`npm run source-users -- ...`): every
 * source mailbox of the shared domain as a CSV with one EmailAddress column, the list
 * coexist:sourceUsers names for seed 1's model (pendingGroup). One read at the source
 * (Get-Mailbox -ResultSize Unlimited), nothing written there. Users already forwarded are listed
 * too: the pending group's fill leaves them out by itself.
 */
export async function sourceUsersCsv(stack: string, cwd = projectRoot()): Promise<string> {
  const get = stackValues(stack, cwd);
  const problems: Problem[] = [];
  const stackFile = stackFileOf(cwd, stack);
  // The stack's config only, read as if migratedGroup: the list this writes may be what
  // coexist:sourceUsers (required with pendingGroup) still lacks.
  const { routing: _model, ...raw } = rawConfig(get);
  const source = SourceTarget.safeParse(raw.source);
  if (source.success && sourceKindOf(source.data) === "vendor") {
    throw new Error(`stack ${stack}: a vendor's system cannot be read, so coexist cannot list its users; ask the vendor for them and write a CSV with one EmailAddress column for coexist:sourceUsers`);
  }
  const config = readStackConfig(raw, stackFile, problems, path.relative(cwd, stackFile));
  if (!config || problems.length > 0) throw new InputError(problems);
  const google = sourceKindOf(config.source) === "google-workspace";
  const pool = readerPool(sourceRoleOf(config.source), config.source, 1, config.pool);
  try {
    // A Google source's directory (Get-GSUser -Filter *, one paged call), an Exchange source's mailboxes.
    const primaries = google
      ? ((await pool.run(GetGSUser({ Filter: "*", Projection: "Basic" }))) as GSUserObject[]).map((u) => u.PrimaryEmail)
      : ((await pool.run(GetMailbox({ ResultSize: "Unlimited" }))) as MailboxObject[]).map((m) => m.PrimarySmtpAddress);
    const users = [...new Set(primaries.map(bare).filter((a) => domainOf(a) === config.domain))].sort();
    return ["EmailAddress", ...users].join("\n") + "\n";
  } finally {
    await pool.close();
  }
}

export async function main(args: string[], cwd = projectRoot()): Promise<void> {
  const stack = arg(args, "--stack");
  const out = arg(args, "--out");
  if (!stack) throw new Error("usage: coexist source-users --stack NAME [--out FILE] [--force]");
  const file = out ? path.resolve(cwd, out) : undefined;
  if (file && fs.existsSync(file) && !args.includes("--force")) throw new Error(`${out} exists: --force replaces it (a list edited by hand is lost)`);
  const csv = await sourceUsersCsv(stack, cwd);
  if (!file) return void process.stdout.write(csv);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, csv);
  console.log(`${out}: ${csv.trim().split("\n").length - 1} source users of the shared domain; set coexist:sourceUsers to ${out}`);
}

if (require.main === module) {
  main(process.argv.slice(2)).catch((e) => {
    console.error(e instanceof InputError ? e.problems.map(formatProblem).join("\n") : (e as Error).message);
    process.exit(1);
  });
}
