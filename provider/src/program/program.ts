import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import {
  AcceptedDomainRelay,
  CoexistenceRule,
  MigratedMailbox,
  MigratedUsersGroup,
  PartnerConnector,
  SourceBypassRule,
} from "../resources/classes";
import { projectRoot } from "../projectRoot";
import { InputError, Problem } from "../waves/problems";
import { rawConfig, readStackConfig, StackConfig } from "./stackConfig";
import { MigratedUser, usersFromWaves } from "./users";

/** Reads and checks the whole input (config and every wave) before anything is declared. */
export function loadInputs(get: (key: string) => string | undefined, projectDir: string, stackFile: string): { config: StackConfig; users: MigratedUser[] } {
  const problems: Problem[] = [];
  const shown = path.relative(projectDir, stackFile) || stackFile;
  const config = readStackConfig(rawConfig(get), stackFile, problems, shown);
  const users = config ? usersFromWaves(config, projectDir, stackFile, problems, shown) : [];
  if (problems.length > 0 || !config) throw new InputError(problems);
  return { config, users };
}

/**
 * The coexist program: the shared objects of seed 2's recipe, then one MigratedMailbox per
 * user in the waves. Names are plain values from config, so dependencies are explicit.
 */
export function coexistence(): Promise<Record<string, unknown>> {
  const projectDir = projectRoot();
  const stackFile = path.join(projectDir, "stacks", `Pulumi.${pulumi.getStack()}.yaml`);
  const cfg = new pulumi.Config("coexist");
  let inputs: ReturnType<typeof loadInputs>;
  try {
    inputs = loadInputs((k) => cfg.get(k), projectDir, stackFile);
  } catch (e) {
    // A RunError prints just the message: the list of file:line:column problems.
    if (e instanceof InputError) throw new pulumi.RunError(e.message);
    throw e;
  }
  return declare(inputs.config, inputs.users);
}

async function declare(config: StackConfig, users: MigratedUser[]): Promise<Record<string, unknown>> {
  // Declared after an await: each resource's stack trace (kept in state) is then this
  // function's frames only, which keeps every state entry small.
  await Promise.resolve();

  const groupAddress = (config.names.groupAddress ?? `migrated@${config.domain}`).toLowerCase();
  // Dependencies give seed 2's cleanup order on destroy (dependents go first): rules, then
  // the connector, then the group, then the domain back to Authoritative. Creation runs the
  // other way round. Per-user resources depend on the group.
  const relay = new AcceptedDomainRelay("accepted-domain", { domain: config.domain, matchSubDomains: config.matchSubDomains });
  const group = new MigratedUsersGroup(
    "migrated-users",
    { name: config.names.group, primarySmtpAddress: groupAddress, managedBy: config.groupOwners },
    { dependsOn: [relay] },
  );
  const connector = new PartnerConnector(
    "partner-connector",
    { name: config.names.connector, smartHosts: config.smartHosts, comment: `TransportRule Scoped Connector for shared namespace ${config.domain}` },
    { dependsOn: [group] },
  );
  new CoexistenceRule(
    "coexistence-rule",
    { name: config.names.coexistenceRule, connector: config.names.connector, exceptMembersOf: groupAddress },
    { dependsOn: [connector] },
  );
  new SourceBypassRule("source-bypass-rule", { name: config.names.bypassRule, senderIpRanges: config.sourceIpRanges }, { dependsOn: [connector] });

  for (const u of users) {
    new MigratedMailbox(
      u.emailAddress,
      {
        emailAddress: u.emailAddress,
        group: groupAddress,
        forwardTo: u.forwardTo,
        deliverToMailboxAndForward: config.deliverToMailboxAndForward,
        ...(u.sourceIdentity ? { sourceIdentity: u.sourceIdentity } : {}),
        ...(u.proxyAddress ? { proxyAddress: u.proxyAddress } : {}),
      },
      { dependsOn: [group] },
    );
  }
  const perWave: Record<string, number> = {};
  for (const u of users) perWave[u.wave] = (perWave[u.wave] ?? 0) + 1;
  return { domain: config.domain, migratedUsers: users.length, waves: perWave };
}
