import type { ResourceKind } from "./handlers";

/**
 * Each resource's type and the name the program gives it: one place, read by the program that
 * declares them and by the provider that names them in diagnostics (a URN is
 * `urn:pulumi:<stack>::<project>::pulumi-nodejs:dynamic:<Type>::<name>` for a child of the stack).
 */
export const TYPE_NAMES = {
  acceptedDomainRelay: "AcceptedDomainRelay",
  migratedUsersGroup: "MigratedUsersGroup",
  partnerConnector: "PartnerConnector",
  coexistenceRule: "CoexistenceRule",
  sourceBypassRule: "SourceBypassRule",
  migratedMailbox: "MigratedMailbox",
} as const satisfies Record<ResourceKind, string>;

export const SHARED_NAMES = {
  acceptedDomainRelay: "accepted-domain",
  migratedUsersGroup: "migrated-users",
  partnerConnector: "partner-connector",
  coexistenceRule: "coexistence-rule",
  sourceBypassRule: "source-bypass-rule",
} as const;

/** A MigratedMailbox is named by the user's address. */
export const resourceNameOf = (kind: ResourceKind, inputs: Record<string, unknown>): string =>
  kind === "migratedMailbox" ? String(inputs.emailAddress) : SHARED_NAMES[kind];

export const urnOf = (root: string, kind: ResourceKind, name: string): string | undefined => {
  const m = /^(urn:pulumi:[^:]+::[^:]+)::/.exec(root);
  return m ? `${m[1]}::pulumi-nodejs:dynamic:${TYPE_NAMES[kind]}::${name}` : undefined;
};
