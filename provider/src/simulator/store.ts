import * as fs from "node:fs";
import * as path from "node:path";
import { World } from "./model";

const sleepSync = (ms: number) => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);

/**
 * The simulated world on disk, shared by every simulator runner process. Writers take an
 * exclusive lock file (stale locks of dead processes are broken), read the latest state, apply
 * the change and replace the file atomically (write to a temp file, then rename), so readers
 * always see a whole world and concurrent writers never lose each other's changes.
 */
export class WorldStore {
  private cache: { key: string; world: World } | undefined;
  constructor(readonly file: string) {}

  static create(file: string, world: World): WorldStore {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    const store = new WorldStore(file);
    store.writeAtomically(World.parse(world));
    return store;
  }

  /** The latest world, re-read only when the file changed. Never mutate the result. */
  read(): World {
    const st = fs.statSync(this.file);
    const key = `${st.ino}:${st.size}:${st.mtimeMs}`;
    if (this.cache?.key !== key) {
      this.cache = { key, world: JSON.parse(fs.readFileSync(this.file, "utf8")) as World };
    }
    return this.cache.world;
  }

  /** Runs `change` on a private copy of the latest world under the lock, then saves it. */
  update<T>(change: (world: World) => T): T {
    return this.withLock(() => {
      // A fresh parse is already a private copy: no clone while other runners wait for the lock.
      this.cache = undefined;
      const world = JSON.parse(fs.readFileSync(this.file, "utf8")) as World;
      const result = change(world);
      this.writeAtomically(world);
      return result;
    });
  }

  private writeAtomically(world: World): void {
    const tmp = `${this.file}.${process.pid}.tmp`;
    fs.writeFileSync(tmp, JSON.stringify(world));
    fs.renameSync(tmp, this.file);
  }

  private withLock<T>(fn: () => T): T {
    const lock = `${this.file}.lock`;
    const mine = `${lock}.${process.pid}`;
    const deadline = Date.now() + 30_000;
    for (let attempt = 0; ; attempt++) {
      try {
        // The lock appears with its holder's pid already in it (written aside, then linked,
        // which fails if the lock exists): a holder killed at any instant leaves a lock that
        // names it, so the next writer can tell it is stale.
        fs.writeFileSync(mine, String(process.pid));
        try {
          fs.linkSync(mine, lock);
        } finally {
          fs.rmSync(mine, { force: true });
        }
        break;
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== "EEXIST") throw e;
        const dead = deadHolder(lock);
        if (dead !== undefined) {
          breakStaleLock(lock, dead);
          continue;
        }
        if (Date.now() > deadline) throw new Error(`simulated tenant: state lock ${lock} held for over 30 s`);
        // Short polls: a write holds the lock for milliseconds, and runners queue behind it.
        sleepSync(attempt < 50 ? 1 : 5);
      }
    }
    try {
      return fn();
    } finally {
      fs.rmSync(lock, { force: true });
    }
  }
}

/** The pid in the lock file when that process is dead, else undefined. */
function deadHolder(lock: string): number | undefined {
  let pid: number;
  try {
    pid = Number(fs.readFileSync(lock, "utf8"));
  } catch {
    return undefined; // just released: try again
  }
  if (!Number.isInteger(pid) || pid <= 0) return undefined;
  return isAlive(pid) ? undefined : pid;
}

/**
 * Removes the lock of a dead holder without ever removing a live one. Between a writer's look
 * at the lock and its removal another writer may have broken it and taken the lock itself, so
 * breaking takes a second, short-lived lock (`.break`): under it the lock is read again and
 * removed only if it still names the dead holder. Nobody takes the main lock while it names a
 * dead holder except through this, so it cannot change hands in between. A `.break` lock older
 * than a second belongs to a breaker that died in those microseconds and is cleared. (Left open:
 * two writers clearing such a dead breaker's `.break` at the same instant could both break.)
 */
function breakStaleLock(lock: string, deadPid: number): void {
  const guard = `${lock}.break`;
  const mine = `${guard}.${process.pid}`;
  try {
    fs.writeFileSync(mine, String(process.pid));
    fs.linkSync(mine, guard);
  } catch {
    try {
      if (Date.now() - fs.statSync(guard).mtimeMs > 1000) fs.rmSync(guard, { force: true });
    } catch {
      // gone already
    }
    return;
  } finally {
    fs.rmSync(mine, { force: true });
  }
  try {
    if (Number(fs.readFileSync(lock, "utf8")) === deadPid) fs.rmSync(lock, { force: true });
  } catch {
    // released meanwhile
  } finally {
    fs.rmSync(guard, { force: true });
  }
}

/**
 * Whether a process still runs. A zombie does not: a runner whose provider died first is
 * reparented to init, and until init reaps it, kill(pid, 0) still succeeds (on Linux, where
 * /proc says so, a zombie's session is therefore released at once).
 */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === "EPERM";
  }
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
    return !/^[ZX]/.test(stat.slice(stat.lastIndexOf(")") + 2));
  } catch {
    return true; // no /proc (macOS): kill(pid, 0) is all we know
  }
}
