import { randomUUID } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import type { DatabaseSync, StatementSync } from "node:sqlite";
import { World } from "./model";

/**
 * The simulated world, shared by every simulator runner process: an SQLite database in WAL mode
 * (`<stateFile>.db`), one row per object of the world's big lists (mailboxes, groups, each group
 * member, rules, sessions, ...) and one row for the rest. SQLite gives what a 10,000-user
 * rehearsal needs: a writer killed at any instant leaves the last committed world (a transaction
 * is all or nothing, and its lock dies with its process); readers read a snapshot and never wait
 * for a writer; writers queue on the database's write lock, so none loses another's change.
 *
 * `update(change)` still hands `change` a whole World. It runs on this process's cached copy of
 * the latest world, and only what it changed is written: the lists it reached (their getters are
 * watched while it runs) are compared, object by object, with the rows they came from. A write
 * costs rows, not the 5 MB world of 10,000 users.
 *
 * `<stateFile>` itself stays the world as JSON, for people and tools: rewritten after every write
 * while it is small (under EXPORT_EACH_WRITE_BYTES), otherwise at most every EXPORT_EVERY_MS while
 * writes go on and whenever a writing process exits. A file that someone else changed (an edit,
 * or a world file from before the database) is imported on the next read or write.
 */

/** The lists stored one row per element: `parent` is the key under the world (none: the world itself). */
const COLLECTIONS: ReadonlyArray<{ name: string; parent?: "tenant" | "source"; key: string }> = [
  { name: "tenant.acceptedDomains", parent: "tenant", key: "acceptedDomains" },
  { name: "tenant.mailboxes", parent: "tenant", key: "mailboxes" },
  { name: "tenant.mailRecipients", parent: "tenant", key: "mailRecipients" },
  { name: "tenant.groups", parent: "tenant", key: "groups" },
  { name: "tenant.outboundConnectors", parent: "tenant", key: "outboundConnectors" },
  { name: "tenant.transportRules", parent: "tenant", key: "transportRules" },
  { name: "source.mailboxes", parent: "source", key: "mailboxes" },
  { name: "sessions", key: "sessions" },
];
/** A group's members are rows of their own: adding one of 10,000 members writes one row. */
const GROUPS = "tenant.groups";
const MEMBERS = "Members";
const membersOf = (groupRow: number) => `${GROUPS}/${groupRow}/${MEMBERS}`;
const ROOT = "$root";
/** Where a list stood in the root row. */
const PLACEHOLDER = "$rows";

export const EXPORT_EACH_WRITE_BYTES = 256 * 1024;
export const EXPORT_EVERY_MS = 5000;
const LOCK_WAIT_MS = 30_000;
const SCHEMA_VERSION = 1;

type Json = any; // eslint-disable-line @typescript-eslint/no-explicit-any
interface Entry {
  id: number;
  pos: number;
  /** The live object (for members, the address). */
  obj: Json;
  /** The object as its row holds it, to compare the live one with (objects only). */
  snap: Json;
  /** How many keys the snapshot has. */
  keys: number;
}
interface Head {
  epoch: string;
  gen: number;
  exportedGen: number;
  exportSig: string;
}
interface Cached {
  epoch: string;
  gen: number;
  lists: Map<string, Entry[]>;
  /** Row id → its list and entry, for applying other processes' changes. */
  where: Map<number, { coll: string; entry: Entry }>;
  world: World;
  /** The lists the root has (an optional one, such as mailRecipients, may be absent). */
  present: Set<string>;
}

const sleepSync = (ms: number) => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);

/**
 * node:sqlite, loaded without its ExperimentalWarning (Node 22.13 to 23 print one on stderr;
 * Node 24 does not): only that warning is dropped, and only while the module loads.
 */
function sqlite(): typeof import("node:sqlite") {
  const emit = process.emitWarning;
  process.emitWarning = function (this: unknown, warning: string | Error, ...rest: unknown[]) {
    const text = typeof warning === "string" ? warning : warning.message;
    const type = typeof rest[0] === "string" ? rest[0] : ((rest[0] as { type?: string } | undefined)?.type ?? (warning as Error).name);
    if (type === "ExperimentalWarning" && /sqlite/i.test(text)) return;
    return (emit as (...a: unknown[]) => void).call(process, warning, ...rest);
  } as typeof process.emitWarning;
  try {
    // getBuiltinModule, not require: test runners that resolve modules themselves (Jest) may not know node:sqlite.
    const m = process.getBuiltinModule?.("node:sqlite") as typeof import("node:sqlite") | undefined;
    if (!m) throw new Error(`the simulated tenant needs node:sqlite (Node 22.13 or later without flags); this is Node ${process.version}`);
    return m;
  } finally {
    process.emitWarning = emit;
  }
}

const isBusy = (e: unknown) => {
  const code = (e as { errcode?: number }).errcode;
  return (code !== undefined && (code & 0xff) === 5) || (code !== undefined && (code & 0xff) === 6) || /database is locked/.test(String((e as Error).message));
};

/**
 * Runs `fn`, retrying while the database is locked. Polls every millisecond: a write holds the
 * lock about that long, SQLite's own busy handler backs off to 100 ms sleeps, and faster polls
 * from several waiters took CPU from the holder on two cores (measured: half the throughput).
 */
function whileBusy<T>(what: string, fn: () => T): T {
  const deadline = Date.now() + LOCK_WAIT_MS;
  for (let attempt = 0; ; attempt++) {
    try {
      return fn();
    } catch (e) {
      if (!isBusy(e)) throw e;
      if (Date.now() > deadline) throw new Error(`simulated tenant: ${what} held for over ${LOCK_WAIT_MS / 1000} s`);
      sleepSync(1);
    }
  }
}

/** One connection per database per process, shared by its stores (a store per read must not leak descriptors). */
class Db {
  readonly db: DatabaseSync;
  inTransaction = false;
  readonly q: Record<"head" | "setHead" | "all" | "since" | "goneSince" | "insert" | "change" | "remove" | "tomb", StatementSync>;
  constructor(readonly file: string) {
    this.db = whileBusy(`opening ${file}`, () => {
      const db = new (sqlite().DatabaseSync)(file, { timeout: 0 });
      // WAL: readers keep their snapshot while a writer commits. NORMAL: a commit survives the
      // death of its process (not a power cut, which a rehearsal can afford).
      db.exec("PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;");
      return db;
    });
    whileBusy(`creating ${file}`, () => {
      const version = (this.db.prepare("PRAGMA user_version").get() as { user_version: number }).user_version;
      if (version !== 0 && version !== SCHEMA_VERSION) throw new Error(`${file}: simulated world schema ${version}, this build knows ${SCHEMA_VERSION}`);
      this.db.exec(`
        CREATE TABLE IF NOT EXISTS head(one INTEGER PRIMARY KEY CHECK (one = 1), epoch TEXT NOT NULL, gen INTEGER NOT NULL, exported_gen INTEGER NOT NULL, export_sig TEXT NOT NULL);
        CREATE TABLE IF NOT EXISTS rows(id INTEGER PRIMARY KEY AUTOINCREMENT, coll TEXT NOT NULL, pos INTEGER NOT NULL, gen INTEGER NOT NULL, json TEXT NOT NULL);
        CREATE INDEX IF NOT EXISTS rows_gen ON rows(gen);
        CREATE TABLE IF NOT EXISTS gone(id INTEGER PRIMARY KEY, gen INTEGER NOT NULL);
        CREATE INDEX IF NOT EXISTS gone_gen ON gone(gen);
        PRAGMA user_version = ${SCHEMA_VERSION};`);
    });
    const p = (sql: string) => this.db.prepare(sql);
    this.q = {
      head: p("SELECT epoch, gen, exported_gen AS exportedGen, export_sig AS exportSig FROM head WHERE one = 1"),
      setHead: p("INSERT OR REPLACE INTO head(one, epoch, gen, exported_gen, export_sig) VALUES (1, ?, ?, ?, ?)"),
      all: p("SELECT id, coll, pos, json FROM rows ORDER BY coll, pos"),
      // INDEXED BY: without it SQLite walks all 30,000 rows in id order rather than sort a few (ordered by id in JS).
      since: p("SELECT id, coll, pos, json FROM rows INDEXED BY rows_gen WHERE gen > ?"),
      goneSince: p("SELECT id FROM gone WHERE gen > ?"),
      insert: p("INSERT INTO rows(coll, pos, gen, json) VALUES (?, ?, ?, ?)"),
      change: p("UPDATE rows SET pos = ?, gen = ?, json = ? WHERE id = ?"),
      remove: p("DELETE FROM rows WHERE id = ?"),
      tomb: p("INSERT OR REPLACE INTO gone(id, gen) VALUES (?, ?)"),
    };
  }

  head(): Head | undefined {
    return this.q.head.get() as Head | undefined;
  }

  /** A transaction: IMMEDIATE takes the write lock up front (waiting for it), a read takes a snapshot. */
  transaction<T>(kind: "read" | "write", fn: () => T): T {
    if (this.inTransaction) {
      if (kind === "write") throw new Error("simulated tenant: WorldStore.update called inside another update of the same world");
      return fn();
    }
    whileBusy(`the write lock of ${this.file}`, () => {
      // A refused attempt throws: without a stack trace that costs a few microseconds, not tens.
      const limit = Error.stackTraceLimit;
      Error.stackTraceLimit = 0;
      try {
        this.db.exec(kind === "write" ? "BEGIN IMMEDIATE" : "BEGIN");
      } finally {
        Error.stackTraceLimit = limit;
      }
    });
    this.inTransaction = true;
    let done = false;
    try {
      const result = fn();
      this.db.exec("COMMIT");
      done = true;
      return result;
    } finally {
      this.inTransaction = false;
      if (!done) {
        try {
          this.db.exec("ROLLBACK");
        } catch {
          // nothing to roll back
        }
      }
    }
  }
}

const connections = new Map<string, { db: Db; ino: number }>();
/**
 * This process's connection to `file`, opened again when the file is not the one it opened: a
 * reset removes the world's folder and creates it anew (Rehearsal.reset), and a connection to
 * the removed file would go on reading and writing a world nobody else sees.
 */
function connect(file: string): Db {
  const ino = fs.statSync(file, { throwIfNoEntry: false })?.ino;
  const c = connections.get(file);
  if (c && c.ino === ino) return c.db;
  if (c) {
    try {
      c.db.db.close();
    } catch {
      // already closed
    }
  }
  const db = new Db(file);
  connections.set(file, { db, ino: fs.statSync(file).ino });
  return db;
}

/** Stores that wrote since the world file was last brought up to date: exported when the process exits. */
const behind = new Set<WorldStore>();
let exitHook = false;

function statSig(file: string): string {
  const st = fs.statSync(file, { throwIfNoEntry: false });
  // The world file is the world's existence: removing it removes the world, as it always did.
  if (!st) throw Object.assign(new Error(`ENOENT: no simulated world at ${file}; create one first (npm run rehearse -- init, docs/simulator.md)`), { code: "ENOENT" });
  return `${st.ino}:${st.size}:${st.mtimeMs}`;
}
const sizeOf = (sig: string) => Number(sig.split(":")[1]);

/** Deep equality of JSON values; an undefined property counts as absent, as in JSON. */
function same(a: Json, b: Json): boolean {
  if (a === b) return true;
  if (typeof a !== "object" || typeof b !== "object" || a === null || b === null) return false;
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!same(a[i], b[i])) return false;
    return true;
  }
  if (Array.isArray(b)) return false;
  let n = 0;
  for (const k in a) {
    if (a[k] === undefined) continue;
    n++;
    if (!same(a[k], b[k])) return false;
  }
  for (const k in b) if (b[k] !== undefined) n--;
  return n === 0;
}

/** The world less its lists (each left as a placeholder where it stood, so key order and presence survive). */
function rootOf(w: Json): string {
  const r = { ...w };
  for (const p of ["tenant", "source"] as const) if (r[p] && typeof r[p] === "object") r[p] = { ...r[p] };
  for (const c of COLLECTIONS) {
    const parent = c.parent ? r[c.parent] : r;
    if (parent && typeof parent === "object" && Array.isArray(parent[c.key])) parent[c.key] = PLACEHOLDER;
  }
  return JSON.stringify(r);
}
const rowJson = (coll: string, x: Json): string => {
  if (coll === ROOT) return x as string; // already the root's JSON
  if (coll === GROUPS && x && typeof x === "object") {
    const { [MEMBERS]: _members, ...rest } = x;
    return JSON.stringify(rest);
  }
  return JSON.stringify(x) ?? "null";
};

export class WorldStore {
  private cache: Cached | undefined;
  private exportTimer: NodeJS.Timeout | undefined;
  private lastExport = 0;
  private readonly dbFile: string;
  constructor(readonly file: string) {
    this.file = path.resolve(file);
    this.dbFile = `${this.file}.db`;
  }

  /** The connection for the operation under way (looked up once per operation: it stats the file). */
  private conn: Db | undefined;
  private get db(): Db {
    return this.conn ?? connect(this.dbFile);
  }
  private op<T>(fn: () => T, create = false): T {
    if (this.conn) return fn();
    // No world file, no world (ENOENT): and no empty database left behind by looking for one.
    if (!create) statSig(this.file);
    this.conn = connect(this.dbFile);
    try {
      return fn();
    } finally {
      this.conn = undefined;
    }
  }

  static create(file: string, world: World): WorldStore {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    const store = new WorldStore(file);
    store.op(() =>
      store.db.transaction("write", () => {
        store.replace(World.parse(world), "");
        store.export(store.sync(store.db.head()!));
      }),
      true,
    );
    return store;
  }

  /** The latest world, re-read only where it changed. Never mutate the result. */
  read(): World {
    return this.op(() => this.readNow());
  }

  private readNow(): World {
    const head = this.importIfEdited();
    if (this.cache && head.epoch === this.cache.epoch && head.gen === this.cache.gen) return this.cache.world;
    return this.db.transaction("read", () => this.sync(this.db.head() ?? raiseMissing(this.file))).world;
  }

  /**
   * Runs `change` on the latest world under the write lock and saves what it changed. When
   * `change` throws, nothing is saved and the cached world is put back as it was.
   */
  update<T>(change: (world: World) => T): T {
    return this.op(() => this.updateNow(change));
  }

  private updateNow<T>(change: (world: World) => T): T {
    this.importIfEdited();
    const result = this.db.transaction("write", () => {
      const head = this.db.head() ?? raiseMissing(this.file);
      const cached = this.sync(head);
      const watch = watchLists(cached.world);
      let result: T;
      try {
        result = change(cached.world);
      } catch (e) {
        this.revert(cached, watch.stop());
        throw e;
      }
      try {
        this.save(cached, watch.stop(), head);
      } catch (e) {
        this.cache = undefined; // half applied: read it all again
        throw e;
      }
      return result;
    });
    this.afterWrite();
    return result;
  }

  /** Brings the JSON file up to date now if any process wrote since it was last written. */
  exportNow(): void {
    this.op(() => this.exportIfBehind());
  }

  private exportIfBehind(): void {
    this.db.transaction("write", () => {
      const head = this.db.head();
      if (head && head.exportedGen < head.gen) this.export(this.sync(head));
    });
    behind.delete(this);
  }

  // ---- reading ------------------------------------------------------------------------------

  /** The cache brought to the database's latest world (inside a transaction). */
  private sync(head: Head): Cached {
    const c = this.cache;
    if (!c || c.epoch !== head.epoch) return (this.cache = this.load(head));
    if (c.gen === head.gen) return c;
    const gone = this.db.q.goneSince.all(c.gen) as Array<{ id: number }>;
    const rows = (this.db.q.since.all(c.gen) as Row[]).sort((a, b) => a.id - b.id);
    if (gone.length + rows.length > 5000) return (this.cache = this.load(head));
    // Lists whose live array is built again from their rows (a row gone or moved); the others
    // are patched in place, a row replaced or added at the end, as the rows say.
    const rebuilt = new Set<string>();
    const ops: Op[] = [];
    let rootChanged = false;
    for (const { id } of gone) {
      const at = c.where.get(id);
      if (at === undefined) continue;
      const list = c.lists.get(at.coll)!;
      const i = indexOf(list, at.entry);
      if (i >= 0) list.splice(i, 1);
      c.where.delete(id);
      rebuilt.add(at.coll);
    }
    const unsorted = new Set<string>();
    for (const r of rows) {
      const entry = entryOf(r);
      let list = c.lists.get(r.coll);
      if (!list) c.lists.set(r.coll, (list = []));
      const at = c.where.get(r.id);
      const i = at ? indexOf(list, at.entry) : -1;
      if (i >= 0) {
        if (list[i]!.pos !== r.pos) unsorted.add(r.coll);
        ops.push({ coll: r.coll, at: i, obj: entry.obj, old: list[i]!.obj });
        list[i] = entry;
      } else {
        if (list.length && list[list.length - 1]!.pos > r.pos) unsorted.add(r.coll);
        ops.push({ coll: r.coll, at: -1, obj: entry.obj });
        list.push(entry);
      }
      c.where.set(r.id, { coll: r.coll, entry });
      if (r.coll === ROOT) rootChanged = true;
    }
    for (const coll of unsorted) {
      c.lists.get(coll)!.sort((a, b) => a.pos - b.pos);
      rebuilt.add(coll);
    }
    c.gen = head.gen;
    patch(c, ops, rebuilt, rootChanged);
    return c;
  }

  private load(head: Head): Cached {
    const lists = new Map<string, Entry[]>();
    const where: Cached["where"] = new Map();
    for (const r of this.db.q.all.all() as Row[]) {
      let list = lists.get(r.coll);
      if (!list) lists.set(r.coll, (list = []));
      const entry = entryOf(r);
      list.push(entry);
      where.set(r.id, { coll: r.coll, entry });
    }
    const c: Cached = { epoch: head.epoch, gen: head.gen, lists, where, world: undefined as unknown as World, present: new Set() };
    attach(c);
    return c;
  }

  // ---- writing ------------------------------------------------------------------------------

  /**
   * Writes what `change` changed in the lists it reached and in the root. The changed world is
   * kept as the cache: it is what the rows now say.
   */
  private save(c: Cached, reached: Reached, head: Head): void {
    const gen = head.gen + 1;
    const q = this.db.q;
    const world = c.world as Json;
    let wrote = false;
    const insert = (coll: string, pos: number, x: Json): Entry => {
      const json = rowJson(coll, x);
      const id = Number(q.insert.run(coll, pos, gen, json).lastInsertRowid);
      const entry = entryOf({ id, coll, pos, json }, x);
      c.where.set(id, { coll, entry });
      wrote = true;
      return entry;
    };
    const remove = (e: Entry) => {
      q.remove.run(e.id);
      q.tomb.run(e.id, gen);
      c.where.delete(e.id);
      wrote = true;
    };
    const rewrite = (coll: string, e: Entry, x: Json) => {
      const json = rowJson(coll, x);
      q.change.run(e.pos, gen, json, e.id);
      Object.assign(e, entryOf({ id: e.id, coll, pos: e.pos, json }, x));
      wrote = true;
    };
    /**
     * The old rows against the new list. Objects match by identity, members by value; a kept
     * object whose content changed is rewritten. Usually the rows are all still there in order,
     * perhaps with more at the end (a push); otherwise what does not match in order is removed
     * and the rest of the list added again after the last match.
     */
    const diff = (coll: string, old: Entry[], now: unknown[], byValue = false): Entry[] => {
      const skip = coll === GROUPS ? MEMBERS : undefined;
      let last = old.length ? old[old.length - 1]!.pos : 0;
      let k = 0;
      const n = Math.min(old.length, now.length);
      while (k < n && old[k]!.obj === now[k]) k++;
      if (k === old.length) {
        if (!byValue) for (let i = 0; i < k; i++) if (!sameRow(now[i], old[i]!, skip)) rewrite(coll, old[i]!, now[i]);
        for (let i = k; i < now.length; i++) old.push(insert(coll, ++last, now[i]));
        return old;
      }
      const next: Entry[] = [];
      let i = 0;
      for (const x of now) {
        while (i < old.length && old[i]!.obj !== x) remove(old[i++]!);
        if (i < old.length) {
          const e = old[i++]!;
          if (!byValue && !sameRow(x, e, skip)) rewrite(coll, e, x);
          next.push(e);
        } else {
          next.push(insert(coll, ++last, x));
        }
      }
      while (i < old.length) remove(old[i++]!);
      return next;
    };

    const root = rootOf(world);
    const rootEntry = c.lists.get(ROOT)?.[0];
    if (!rootEntry) c.lists.set(ROOT, [insert(ROOT, 0, root)]);
    else if (rootEntry.obj !== root) rewrite(ROOT, rootEntry, root);
    for (const coll of reached) {
      const list = listAt(world, coll);
      const old = c.lists.get(coll) ?? [];
      const next = diff(coll, old, list ?? []);
      if (coll === GROUPS) {
        const kept = new Set(next.map((e) => e.id));
        for (const e of old) {
          if (kept.has(e.id)) continue;
          for (const m of c.lists.get(membersOf(e.id)) ?? []) remove(m);
          c.lists.delete(membersOf(e.id));
        }
        for (const e of next) {
          const members = Array.isArray(e.obj[MEMBERS]) ? (e.obj[MEMBERS] as unknown[]) : [];
          c.lists.set(membersOf(e.id), diff(membersOf(e.id), c.lists.get(membersOf(e.id)) ?? [], members, true));
        }
      }
      c.lists.set(coll, next);
      if (list) c.present.add(coll);
      else c.present.delete(coll);
    }
    if (!wrote) return; // nothing changed: no new generation, nothing for the others to re-read
    q.setHead.run(head.epoch, gen, head.exportedGen, head.exportSig);
    c.gen = gen;
    const small = sizeOf(head.exportSig || "0:0:0") < EXPORT_EACH_WRITE_BYTES;
    if (small || Date.now() - this.lastExport >= EXPORT_EVERY_MS) this.export(c);
    else behind.add(this);
  }

  /** Puts back what a failed `change` did to the cached world. */
  private revert(c: Cached, reached: Reached): void {
    for (const coll of reached) {
      for (const e of c.lists.get(coll) ?? []) if (!sameRow(e.obj, e, coll === GROUPS ? MEMBERS : undefined)) e.obj = structuredClone(e.snap);
    }
    attach(c);
  }

  /** Replaces the whole world (create, import) under a new epoch: every cache reads it afresh. */
  private replace(world: World, sig: string): void {
    const db = this.db;
    const gen = (db.head()?.gen ?? 0) + 1;
    db.db.exec("DELETE FROM rows; DELETE FROM gone;");
    const put = (coll: string, pos: number, x: Json) => Number(db.q.insert.run(coll, pos, gen, rowJson(coll, x)).lastInsertRowid);
    const w = world as Json;
    put(ROOT, 0, rootOf(w));
    for (const c of COLLECTIONS) {
      (listAt(w, c.name) ?? []).forEach((x, i) => {
        const id = put(c.name, i + 1, x);
        if (c.name === GROUPS && Array.isArray((x as Json)[MEMBERS])) ((x as Json)[MEMBERS] as unknown[]).forEach((m, j) => put(membersOf(id), j + 1, m));
      });
    }
    db.q.setHead.run(randomUUID(), gen, gen, sig);
    this.cache = undefined;
  }

  /** Writes the JSON file from the cache (inside the write transaction, so exports land in order). */
  private export(c: Cached): void {
    const tmp = `${this.file}.${process.pid}.tmp`;
    fs.writeFileSync(tmp, JSON.stringify(c.world));
    fs.renameSync(tmp, this.file);
    this.db.q.setHead.run(c.epoch, c.gen, c.gen, statSig(this.file));
    this.lastExport = Date.now();
    behind.delete(this);
  }

  private afterWrite(): void {
    if (!behind.has(this)) return;
    if (!exitHook) {
      exitHook = true;
      process.on("exit", () => {
        for (const s of [...behind]) {
          try {
            s.exportNow();
          } catch {
            // the next writer or reader's process exports it
          }
        }
      });
    }
    this.exportTimer ??= setTimeout(() => {
      this.exportTimer = undefined;
      try {
        if (behind.has(this)) this.exportNow();
      } catch {
        // Thrown from a timer it would end the process: the world's folder may be gone (a reset
        // or a test's cleanup removed it), or the database busy. The export is a copy; the next
        // write, or this process's exit hook, brings it up to date.
      }
    }, EXPORT_EVERY_MS).unref();
  }

  /** Imports the JSON file when it is not the one this database last wrote or read; the head after. */
  private importIfEdited(): Head {
    // A writer renames its export into place just before it commits: a look in between sees a
    // file the database does not know yet. That settles in microseconds, an edit never does, so
    // look again a few times before taking the write lock to import.
    for (let attempt = 0; ; attempt++) {
      const head = this.db.head();
      if (head?.exportSig === statSig(this.file)) return head;
      if (!head || attempt === 3) break;
      sleepSync(1);
    }
    return this.db.transaction("write", () => {
      const now = statSig(this.file);
      const current = this.db.head();
      if (current?.exportSig === now) return current; // another process got there first
      let world: World;
      try {
        world = JSON.parse(fs.readFileSync(this.file, "utf8")) as World;
      } catch (e) {
        throw new Error(`simulated tenant: ${this.file} is not a world (${(e as Error).message})`);
      }
      this.replace(world, now);
      return this.db.head()!;
    });
  }
}

const raiseMissing = (file: string): never => {
  throw new Error(`simulated tenant: no world in ${file}.db`);
};

type Reached = Set<string>;
type Row = { id: number; coll: string; pos: number; json: string };

/**
 * A row as a cache entry: the root stays text, an object gets its own snapshot copy to compare
 * with. `live` is the object the row was written from, kept as the cached one.
 */
function entryOf(r: Row, live?: Json): Entry {
  if (r.coll === ROOT) return { id: r.id, pos: r.pos, obj: r.json, snap: r.json, keys: 0 };
  const snap = JSON.parse(r.json) as Json;
  if (snap === null || typeof snap !== "object") return { id: r.id, pos: r.pos, obj: live ?? snap, snap, keys: 0 };
  return { id: r.id, pos: r.pos, obj: live ?? JSON.parse(r.json), snap, keys: Object.keys(snap).length };
}

/** Whether a live row still says what its snapshot says (`skip`: a field stored in rows of its own). */
function sameRow(a: Json, e: Entry, skip?: string): boolean {
  if (a === null || typeof a !== "object" || Array.isArray(a)) return same(a, e.snap);
  const b = e.snap;
  let n = 0;
  for (const k in a) {
    const v = a[k];
    if (v === undefined || k === skip) continue;
    n++;
    const s = b[k];
    if (v === s) continue;
    // Inlined for the common field, a short list of strings (EmailAddresses): this runs for
    // every row of every list a write reached.
    if (Array.isArray(v) && Array.isArray(s)) {
      if (v.length !== s.length) return false;
      for (let i = 0; i < v.length; i++) if (v[i] !== s[i] && !same(v[i], s[i])) return false;
    } else if (!same(v, s)) return false;
  }
  return n === e.keys;
}

/** Where an entry stands in its list, by binary search on its position (lists are in position order). */
function indexOf(list: Entry[], e: Entry): number {
  let lo = 0;
  let hi = list.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const p = list[mid]!.pos;
    if (p === e.pos) return list[mid]!.id === e.id ? mid : list.findIndex((x) => x.id === e.id);
    if (p < e.pos) lo = mid + 1;
    else hi = mid - 1;
  }
  return list.findIndex((x) => x.id === e.id); // not where its position says: look everywhere
}

function listAt(world: Json, name: string): unknown[] | undefined {
  const c = COLLECTIONS.find((x) => x.name === name)!;
  const parent = c.parent ? world?.[c.parent] : world;
  const v = parent && typeof parent === "object" ? parent[c.key] : undefined;
  return Array.isArray(v) ? v : undefined;
}

/**
 * Watches which lists `change` reaches: a getter and setter on each list's key while it runs,
 * so only those lists are compared afterwards. `stop()` puts plain properties back. A list
 * whose parent (tenant, source) was replaced counts as reached.
 */
function watchLists(world: Json): { stop(): Reached } {
  const reached: Reached = new Set();
  const watched = COLLECTIONS.map((c) => {
    const parent = c.parent ? world[c.parent] : world;
    if (!parent || typeof parent !== "object") {
      reached.add(c.name);
      return undefined;
    }
    const had = Object.prototype.hasOwnProperty.call(parent, c.key);
    const slot = { c, parent, had, value: parent[c.key] as unknown };
    Object.defineProperty(parent, c.key, {
      configurable: true,
      enumerable: true,
      get: () => (reached.add(c.name), slot.value),
      set: (v: unknown) => {
        reached.add(c.name);
        slot.value = v;
      },
    });
    return slot;
  });
  return {
    stop() {
      for (const w of watched) {
        if (!w) continue;
        const { c, parent, had, value } = w;
        if (value === undefined && !had) delete parent[c.key];
        else Object.defineProperty(parent, c.key, { configurable: true, enumerable: true, writable: true, value });
        if ((c.parent ? world[c.parent] : world) !== parent) reached.add(c.name);
      }
      return reached;
    },
  };
}

type Op = { coll: string; at: number; obj: Json; old?: Json };

/**
 * Applies other processes' rows to the cached world: a new root is a new world object that
 * takes the lists' arrays over; replaced and appended rows are patched into their arrays (an
 * array of 10,000 is not copied for one changed mailbox); lists in `rebuilt` are built again.
 */
function patch(c: Cached, ops: Op[], rebuilt: Set<string>, rootChanged: boolean): void {
  if (rootChanged) {
    const before = c.world as Json;
    c.world = JSON.parse(c.lists.get(ROOT)![0]!.obj as string) as World;
    forEachPlaceholder(c, (col, parent) => {
      const previous = listAt(before, col.name);
      if (previous) parent[col.key] = previous;
      else rebuilt.add(col.name);
    });
  }
  const w = c.world as Json;
  const live = (coll: string): unknown[] | undefined => {
    if (coll === ROOT) return undefined;
    const col = COLLECTIONS.find((x) => x.name === coll);
    if (col) return c.present.has(coll) ? listAt(w, coll) : undefined;
    const group = c.where.get(Number(coll.split("/")[1]))?.entry.obj;
    return Array.isArray(group?.[MEMBERS]) ? group[MEMBERS] : undefined;
  };
  for (const op of ops) {
    if (op.coll === ROOT || rebuilt.has(op.coll)) continue;
    const arr = live(op.coll);
    if (!arr) {
      rebuilt.add(op.coll);
      continue;
    }
    // A group's row holds no members: the new object takes the old one's member array.
    if (op.coll === GROUPS) op.obj[MEMBERS] = Array.isArray(op.old?.[MEMBERS]) ? op.old[MEMBERS] : [];
    if (op.at >= 0) arr[op.at] = op.obj;
    else arr.push(op.obj);
  }
  const order = [...rebuilt].sort((a, b) => Number(b === GROUPS) - Number(a === GROUPS)); // groups before their members
  for (const coll of order) {
    const col = COLLECTIONS.find((x) => x.name === coll);
    const entries = c.lists.get(coll) ?? [];
    if (col) {
      const parent = col.parent ? w[col.parent] : w;
      if (!c.present.has(coll) || !parent || typeof parent !== "object") continue;
      parent[col.key] = entries.map((e) => e.obj);
      if (coll === GROUPS) {
        for (const e of entries) if (!Array.isArray(e.obj[MEMBERS])) e.obj[MEMBERS] = (c.lists.get(membersOf(e.id)) ?? []).map((m) => m.obj);
      }
    } else {
      const group = c.where.get(Number(coll.split("/")[1]))?.entry.obj;
      if (group) group[MEMBERS] = entries.map((m) => m.obj);
    }
  }
}

/** Puts the whole cached world together from its rows: the root, each list put back where its placeholder stands. */
function attach(c: Cached): void {
  c.world = JSON.parse((c.lists.get(ROOT)?.[0]?.obj as string | undefined) ?? "{}") as World;
  forEachPlaceholder(c, (col, parent) => {
    const entries = c.lists.get(col.name) ?? [];
    parent[col.key] = entries.map((e) => e.obj);
    if (col.name === GROUPS) for (const e of entries) e.obj[MEMBERS] = (c.lists.get(membersOf(e.id)) ?? []).map((m) => m.obj);
  });
}

/** Each list whose placeholder stands in the cached root: marked present, then handed to `fill` with the object that holds it. */
function forEachPlaceholder(c: Cached, fill: (col: (typeof COLLECTIONS)[number], parent: Json) => void): void {
  c.present = new Set();
  const w = c.world as Json;
  for (const col of COLLECTIONS) {
    const parent = col.parent ? w[col.parent] : w;
    if (!parent || typeof parent !== "object" || parent[col.key] !== PLACEHOLDER) continue;
    c.present.add(col.name);
    fill(col, parent);
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
