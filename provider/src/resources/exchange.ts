import { Command } from "../exchange/command";
import { isNotFound } from "../exchange/errors";
import { SessionPool } from "../pool/sessionPool";

/** The one object a Get returns, or undefined when Exchange says not found (and only then). */
export async function getOne<T>(pool: SessionPool, command: Command): Promise<T | undefined> {
  try {
    const [first] = await pool.run(command);
    return first as T | undefined;
  } catch (e) {
    if (isNotFound(e)) return undefined;
    throw e;
  }
}

/** Runs a write whose target may not be visible yet right after New-* (replication lag). */
export async function afterNew(pool: SessionPool, command: Command, attempts = 5, delayMs = 2000): Promise<void> {
  for (let i = 1; ; i++) {
    try {
      await pool.run(command);
      return;
    } catch (e) {
      if (!isNotFound(e) || i >= attempts) throw e;
      await new Promise((r) => setTimeout(r, delayMs));
    }
  }
}

/** Runs a Remove-*, treating "already gone" as done: a re-run of a half-done destroy converges. */
export async function removeIfPresent(pool: SessionPool, command: Command): Promise<void> {
  try {
    await pool.run(command);
  } catch (e) {
    if (!isNotFound(e)) throw e;
  }
}

/** A clear refusal to adopt an object that exists but is not the one declared. */
export function conflict(kind: string, name: string, differences: string[]): Error {
  return new Error(
    `${kind} '${name}' already exists in Exchange with different settings (${differences.join("; ")}). ` +
      `coexist adopts an existing object only when it matches; remove or rename it, or declare its current settings.`,
  );
}
