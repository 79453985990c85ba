import * as fs from "node:fs";
import * as path from "node:path";

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
