import { spawn } from "node:child_process";
import * as fs from "node:fs";
import { contoso, freshWorld } from "../testing/simulator";
import { World } from "./model";

// Several runner processes write one simulated world: no write may be lost or doubled, the
// file must always hold a whole world, and a writer killed while holding the lock must not
// stop (or let two of) the others.

const storeModule = require.resolve("./store");
const WRITES = 120;

/** A writer process: WRITES updates, each adding its own mark; prints each mark once saved. */
function writer(stateFile: string, tag: string, opts: { dieHoldingLockAt?: number; killAfterSaved?: number } = {}) {
  const script = `
    const { WorldStore } = require(${JSON.stringify(storeModule)});
    const store = new WorldStore(${JSON.stringify(stateFile)});
    for (let i = 0; i < ${WRITES}; i++) {
      store.update((w) => {
        if (i === ${opts.dieHoldingLockAt ?? -1}) process.kill(process.pid, "SIGKILL");
        (w.probe ??= []).push("${tag}:" + i);
      });
      process.stdout.write("${tag}:" + i + "\\n");
    }`;
  const child = spawn(process.execPath, ["-e", script], { stdio: ["ignore", "pipe", "inherit"] });
  let out = "";
  child.stdout.on("data", (d: Buffer) => {
    out += d.toString();
    // Killed from outside once this many writes are saved: mid-way, possibly holding the lock.
    if (opts.killAfterSaved !== undefined && out.split("\n").length > opts.killAfterSaved) child.kill("SIGKILL");
  });
  const done = new Promise<string[]>((resolve) => child.on("close", () => resolve(out.split("\n").filter(Boolean))));
  return { child, done };
}

describe("the simulated world's store", () => {
  it("keeps every saved write exactly once with six writers, two of them killed mid-way and one killed holding the lock", async () => {
    const { stateFile, dir } = freshWorld(contoso);
    const writers = [
      writer(stateFile, "a"),
      writer(stateFile, "b", { killAfterSaved: 30 }),
      writer(stateFile, "c"),
      writer(stateFile, "d", { killAfterSaved: 60 }),
      writer(stateFile, "e", { dieHoldingLockAt: 40 }), // dies inside update(), its lock file left behind
      writer(stateFile, "f"),
    ];
    const saved = (await Promise.all(writers.map((w) => w.done))).flat();

    const world = JSON.parse(fs.readFileSync(stateFile, "utf8")) as World & { probe: string[] };
    expect(World.safeParse(world).success).toBe(true);
    const marks = world.probe;
    expect(new Set(marks).size).toBe(marks.length); // nothing doubled
    expect(saved.filter((m) => !marks.includes(m))).toEqual([]); // nothing saved was lost
    // Writers that were not killed finished all their writes.
    for (const tag of ["a", "c", "f"]) expect(marks.filter((m) => m.startsWith(`${tag}:`))).toHaveLength(WRITES);
    // The one killed holding the lock got exactly its first 40 in; the others at most one unsaved.
    expect(marks.filter((m) => m.startsWith("e:"))).toHaveLength(40);
    for (const tag of ["b", "d"]) {
      const inWorld = marks.filter((m) => m.startsWith(`${tag}:`)).length;
      const reported = saved.filter((m) => m.startsWith(`${tag}:`)).length;
      expect(inWorld - reported).toBeGreaterThanOrEqual(0);
      expect(inWorld - reported).toBeLessThanOrEqual(1);
      expect(reported).toBeLessThan(WRITES); // it really died mid-way
    }
    expect(fs.readdirSync(dir).filter((f) => f.endsWith(".stale") || f.endsWith(".lock"))).toEqual([]);
    fs.rmSync(dir, { recursive: true, force: true });
  });
});
