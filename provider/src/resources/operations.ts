import { Command } from "../exchange/command";
import { ExchangeError, isNotFound } from "../exchange/errors";
import { identifies } from "../exchange/identity";
import { UserError } from "../host/quietErrors";
import { OUTCOME_UNKNOWN, SessionPool } from "../pool/sessionPool";

/**
 * The one object a Get returns for its -Identity, or undefined when Exchange says not found or
 * returns only other objects: for a non-existent Identity the Get-* references warn that "the
 * command returns all objects", so a result counts only when it is the object asked for
 * (exchange/identity.ts). Two matches are ambiguous, never a guess.
 */
export async function getOne<T>(pool: SessionPool, command: Command): Promise<T | undefined> {
  let results: Record<string, unknown>[];
  try {
    results = await pool.run(command);
  } catch (e) {
    if (isNotFound(e)) return undefined;
    throw e;
  }
  const asked = command.parameters.Identity;
  if (typeof asked !== "string") throw new Error(`getOne: ${command.cmdlet} needs an -Identity`);
  const matches = results.filter((r) => identifies(r, asked));
  if (matches.length > 1) {
    throw new ExchangeError(
      {
        kind: "other",
        reason: "ManagementObjectAmbiguousException",
        message: `The operation couldn't be performed because '${asked}' matches multiple entries (${matches.length} objects returned).`,
      },
      command.cmdlet,
    );
  }
  return matches[0] as T | undefined;
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

/**
 * Runs a New-* once and returns the object it made. When its outcome is unknown (the pool does not
 * repeat a New-* that timed out or was refused mid-way: OUTCOME_UNKNOWN), the object is read back:
 * there, it is the one this call made and is adopted; not there, it is created once more.
 */
export async function createOnce<T>(pool: SessionPool, create: Command, readBack: () => Promise<T | undefined>): Promise<T> {
  try {
    return ((await pool.run(create)) as T[])[0]!;
  } catch (e) {
    if (!(e instanceof ExchangeError) || e.reason !== OUTCOME_UNKNOWN) throw e;
    const made = await readBack();
    if (made !== undefined) return made;
    return ((await pool.run(create)) as T[])[0]!;
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
  return new UserError(
    `${kind} '${name}' already exists in Exchange with different settings (${differences.join("; ")}). ` +
      `coexist adopts an existing object only when it matches; remove or rename it, or declare its current settings.`,
  );
}
