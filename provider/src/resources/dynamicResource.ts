import type * as pulumi from "@pulumi/pulumi";
import type { ResourceKind } from "./handlers";

/**
 * The provider object Pulumi serializes into every resource's state. It is the whole export of
 * a module in @coexist/entry, installed as a real copy under node_modules, so the closure
 * serializer records it as `require("@coexist/entry/<kind>")`: a few dozen bytes per resource,
 * and destroy/refresh always run the installed code rather than a copy frozen into state.
 */
export function providerFor(kind: ResourceKind): pulumi.dynamic.ResourceProvider {
  return require(`@coexist/entry/${kind}`) as pulumi.dynamic.ResourceProvider;
}

/** Resource inputs as the program passes them: every property may be an Output. */
export type Args<T> = { [K in keyof T]: pulumi.Input<T[K]> };
