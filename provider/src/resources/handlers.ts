import type * as dynamic from "@pulumi/pulumi/dynamic";
import { acceptedDomainRelay } from "./acceptedDomainRelay/acceptedDomainRelay";
import { cloudOnlyRecipient } from "./cloudOnlyRecipient/cloudOnlyRecipient";
import { configure } from "./context";
import { AnyDefinition, handlerFor } from "./definition";
import { migratedMailbox } from "./migratedMailbox/migratedMailbox";
import { migratedMailboxes } from "./migratedMailboxes/migratedMailboxes";
import { migratedUsersGroup } from "./migratedUsersGroup/migratedUsersGroup";
import { partnerConnector } from "./partnerConnector/partnerConnector";
import { coexistenceRule } from "./transportRule/coexistenceRule";
import { sourceBypassRule } from "./transportRule/sourceBypassRule";

/**
 * Every coexistence object, by the kind name the serialized closures refer to: the one
 * registry. Each definition holds its type name and resource name; the program's classes
 * (classes.ts), the provider host's handlers (below) and the entry modules
 * (provider/entry/<kind>.js, checked by entry.test.ts) all come from it.
 */
export const definitions = {
  acceptedDomainRelay,
  migratedUsersGroup,
  partnerConnector,
  coexistenceRule,
  sourceBypassRule,
  migratedMailboxes,
  migratedMailbox,
  cloudOnlyRecipient,
} as const;
export type ResourceKind = keyof typeof definitions;

type Handler = Required<Omit<dynamic.ResourceProvider, "configure">>;
const handlers = Object.fromEntries(
  Object.entries(definitions).map(([kind, def]) => [kind, handlerFor(def as unknown as AnyDefinition)]),
) as Record<ResourceKind, Handler>;

/**
 * What the serialized closures call, in the provider process. Kept by name so that state holds a
 * few lines per resource, and destroy/refresh always run the installed code, never a copy
 * frozen into state.
 */
export const resourceHandlers = { configure, ...handlers };
