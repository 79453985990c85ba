import { createHash } from "node:crypto";
import { Role } from "../exchange/protocol";
import { AnyTarget } from "../exchange/targets";
import { launchFor } from "../runner/launch";
import { defaultPoolOptions, PoolOptions, SessionPool } from "./sessionPool";

/**
 * One pool per target per provider process. The dynamic-provider host may load this module more
 * than once (one deserialised provider per distinct closure), so the pools live on globalThis:
 * every resource operation of a `pulumi up` shares the same warm sessions.
 */
const KEY = Symbol.for("coexist.sessionPools");
type Registry = Map<string, SessionPool>;
const registry = (): Registry => ((globalThis as Record<symbol, Registry>)[KEY] ??= new Map());

export type PoolTuning = Partial<Omit<PoolOptions, "role" | "target" | "launch">>;

export function poolFor(role: Role, target: AnyTarget, tuning: PoolTuning = {}): SessionPool {
  const key = createHash("sha256").update(JSON.stringify({ role, target, tuning })).digest("hex");
  let pool = registry().get(key);
  if (!pool) {
    pool = new SessionPool({ ...defaultPoolOptions, ...tuning, role, target, launch: launchFor(target) });
    registry().set(key, pool);
  }
  return pool;
}

/** Closes every pool of this process; resolves once all their runners have exited. */
export async function closeAllPools(graceMs?: number): Promise<void> {
  const pools = [...registry().values()];
  registry().clear();
  await Promise.all(pools.map((p) => p.close(graceMs)));
}
