import { smartHostKey } from "../exchange/addresses";
import { sclOf } from "../exchange/cmdlets/transportRule";

/** How a declared property is compared in diff: Exchange is case-insensitive in most places. */
export type Comparer = (a: unknown, b: unknown) => boolean;

const norm = (v: unknown): unknown => (v === undefined ? null : v);

export const exact: Comparer = (a, b) => JSON.stringify(norm(a)) === JSON.stringify(norm(b));

export const caseless: Comparer = (a, b) =>
  typeof a === "string" && typeof b === "string" ? a.toLowerCase() === b.toLowerCase() : exact(a, b);

/** Arrays (or one value) as sets of their elements' keys: Exchange returns multi-valued properties unordered. */
const setBy =
  (key: (element: string) => string): Comparer =>
  (a, b) => {
    const set = (v: unknown) => new Set((Array.isArray(v) ? v : v == null ? [] : [v]).map((x) => key(String(x))));
    const x = set(a);
    const y = set(b);
    return x.size === y.size && [...x].every((e) => y.has(e));
  };

/** Arrays as sets, elements case-insensitive. */
export const caselessSet: Comparer = setBy((x) => x.toLowerCase());

/** Smart hosts as sets, each as smartHostKey reads it: "[198.51.100.25]" is 198.51.100.25. */
export const smartHostSet: Comparer = setBy(smartHostKey);

/** An SMTP address or a ProxyAddress (`smtp:` prefix ignored). */
export const address: Comparer = (a, b) =>
  typeof a === "string" && typeof b === "string"
    ? a.replace(/^smtp:/i, "").toLowerCase() === b.replace(/^smtp:/i, "").toLowerCase()
    : exact(a, b);

/** An SCL as a number: Exchange may print a rule's SetSCL as -1 or as "-1" (cmdlets/transportRule.ts). */
export const scl: Comparer = (a, b) => (a == null || b == null ? norm(a) === norm(b) : sclOf(a) !== null && sclOf(a) === sclOf(b));
