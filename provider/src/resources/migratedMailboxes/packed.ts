import type { Step, UserRecord } from "./userPlan";

/**
 * The users' map and the plan as they travel between the program, the engine and the provider,
 * and as state keeps them: one JSON string each, a row per user sorted by address. Every copy of
 * a 10,000-entry map cost the SDKs' protobuf Struct code seconds to encode and decode (a Struct
 * node per field of every user, and each run passes the map six to eight times: the program's
 * registration, the check's and the diff's old and new inputs, the outputs); one string value
 * costs milliseconds. The resource parses them at its zod boundary (migratedMailboxes.ts), and
 * still reads the maps an older state holds.
 */
type Row = [email: string, action: UserRecord["action"], forwardTo: string, sourceIdentity?: string | null, proxyAddress?: string];

const byAddress = <T>(m: Record<string, T>): [string, T][] => Object.entries(m).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));

/** `[[email, action, forwardTo, sourceIdentity?, proxyAddress?], ...]`: no field names, absent fields left off the end. */
export function packUsers(users: Record<string, UserRecord>): string {
  return JSON.stringify(
    byAddress(users).map(([email, r]): Row => {
      const row: Row = [email, r.action, r.forwardTo];
      if (r.proxyAddress !== undefined) row.push(r.sourceIdentity ?? null, r.proxyAddress);
      else if (r.sourceIdentity !== undefined) row.push(r.sourceIdentity);
      return row;
    }),
  );
}

/** `[[email, ...steps], ...]`, the users with something to do. */
export function packSteps(steps: Record<string, readonly Step[]>): string {
  return JSON.stringify(byAddress(steps).filter(([, s]) => s.length > 0).map(([email, s]) => [email, ...s]));
}

/** A JSON string's value; anything else (or text that is not JSON) as it is, for zod to report. */
const parsed = (v: unknown): unknown => {
  if (typeof v !== "string") return v;
  try {
    return JSON.parse(v) as unknown;
  } catch {
    return v;
  }
};

/** A map from packed rows keyed by their first field (or the value as it is: a map, as an older state holds it); a malformed row is left for zod to report. */
function unpackRows(v: unknown, entry: (row: unknown[]) => unknown): unknown {
  const rows = parsed(v);
  if (!Array.isArray(rows)) return rows;
  const out: Record<string, unknown> = {};
  for (const row of rows) {
    if (!Array.isArray(row) || typeof row[0] !== "string") return rows;
    out[row[0]] = entry(row);
  }
  return out;
}

/** The users' map from its packed form (or a map, as an older state holds it). */
export const unpackUsers = (v: unknown): unknown =>
  unpackRows(v, (row) => {
    const [, action, forwardTo, sourceIdentity, proxyAddress] = row as Row;
    return { action, forwardTo, ...(sourceIdentity != null ? { sourceIdentity } : {}), ...(proxyAddress !== undefined ? { proxyAddress } : {}) };
  });

/** The plan from its packed form (or a map, as an older state holds it). */
export const unpackSteps = (v: unknown): unknown => unpackRows(v, (row) => row.slice(1));
