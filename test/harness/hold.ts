import * as fs from "node:fs";
import * as path from "node:path";
import { commandLog } from "@coexist/provider/testing";

export interface WriteLatch {
  /** The path for a simulator target's `faults.holdWritesWhile`. */
  file: string;
  /** From now on every write waits before it is applied, except the first `passes`. */
  hold(passes?: number): void;
  /** The writes waiting (or that waited) since hold(), in the order they began to. */
  held(): { pid: number; cmdlet: string }[];
  /** Lets every waiting write go on; later writes do not wait. */
  release(): void;
}

/**
 * The simulator's write latch (Faults.holdWritesWhile, docs/simulator.md): a test stops a run at
 * a known point (its first write, or after its first N), acts while it waits there, then lets it
 * go on, instead of racing the run's speed with a clock.
 */
export function writeLatch(file: string): WriteLatch {
  const marks = () =>
    fs.existsSync(path.dirname(file)) ? fs.readdirSync(path.dirname(file)).filter((f) => f.startsWith(`${path.basename(file)}.`)) : [];
  return {
    file,
    hold(passes = 0) {
      fs.mkdirSync(path.dirname(file), { recursive: true });
      for (const f of marks()) fs.rmSync(path.join(path.dirname(file), f));
      fs.writeFileSync(file, String(passes));
    },
    held() {
      const f = `${file}.held`;
      return fs.existsSync(f)
        ? fs
            .readFileSync(f, "utf8")
            .split("\n")
            .filter((l) => l !== "")
            .map((l) => JSON.parse(l) as { pid: number; cmdlet: string })
        : [];
    },
    release() {
      fs.rmSync(file, { force: true });
    },
  };
}

const WRITE = /^(Set|New|Remove|Add|Enable|Disable|Update)-/;

/**
 * Runs `pulumi up` one write at a time through `latch`, calling `check(k)` on the world before
 * the first write and after each of the k writes answered, then lets the run finish. Returns the
 * run's result and how many writes it made: "loop-free at every step", write by write.
 */
export async function upWriteByWrite(
  rehearsal: { up(): Promise<{ code: number; output: string }>; stateFile: string },
  latch: WriteLatch,
  check: (writes: number) => void,
  timeoutMs = 60_000,
): Promise<{ result: { code: number; output: string }; writes: number }> {
  const answered = (from: number) => commandLog(rehearsal.stateFile).slice(from).filter((l) => l.cmdlet && WRITE.test(l.cmdlet) && l.ok !== undefined).length;
  const from = commandLog(rehearsal.stateFile).length;
  latch.hold(0);
  let result: { code: number; output: string } | undefined;
  const run = rehearsal.up().then((r) => (result = r));
  for (let k = 0; ; k++) {
    check(k);
    if (result) break;
    fs.writeFileSync(latch.file, String(k + 1));
    const deadline = Date.now() + timeoutMs;
    while (result === undefined && answered(from) < k + 1) {
      if (Date.now() > deadline) throw new Error(`timed out waiting for write ${k + 1} to be answered`);
      await new Promise((r) => setTimeout(r, 20));
    }
  }
  latch.release();
  await run;
  return { result: result!, writes: answered(from) };
}
