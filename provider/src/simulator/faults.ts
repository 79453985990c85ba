import * as fs from "node:fs";
import { Faults } from "../exchange/targets";

/** A small seeded PRNG (mulberry32): fault runs replay exactly for the same seed. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export type Fault = "none" | "transient" | "throttle" | "crash" | "hang";

/** Decides, command by command, which fault (if any) the simulated runner suffers. */
export class FaultPlan {
  private readonly random: () => number;
  private count = 0;
  constructor(private readonly faults: Faults, salt: number) {
    this.random = prng(faults.seed * 7919 + salt);
  }

  next(): Fault {
    this.count++;
    const f = this.faults;
    if (f.crashAfter !== undefined && this.count === f.crashAfter) return "crash";
    if (f.hangAfter !== undefined && this.count === f.hangAfter) return "hang";
    const r = this.random();
    let edge = f.crashRate;
    if (r < edge) return "crash";
    if (r < (edge += f.hangRate)) return "hang";
    if (r < (edge += f.throttleRate)) return "throttle";
    if (r < (edge += f.transientRate)) return "transient";
    return "none";
  }
}

/**
 * Waits while the latch file exists (Faults.holdWritesWhile). A number N in the latch lets N
 * writes pass: each takes one of `<latch>.pass1` … `<latch>.passN`, created exclusively, so
 * runners in different processes never take the same pass. A write that waits says so once, as
 * a JSON line in `<latch>.held`. Ends with "gone" when `gone` settles first (the runner's input
 * ended: nobody waits for the answer any more).
 */
export async function holdWhile(latch: string, what: object, gone: Promise<void>): Promise<"released" | "gone"> {
  let ended = false;
  void gone.then(() => (ended = true));
  for (let held = false; ; ) {
    let text: string;
    try {
      text = fs.readFileSync(latch, "utf8");
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === "ENOENT") return "released";
      throw e;
    }
    const passes = Number.parseInt(text, 10) || 0;
    for (let i = 1; i <= passes; i++) {
      try {
        fs.writeFileSync(`${latch}.pass${i}`, JSON.stringify(what), { flag: "wx" });
        return "released";
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== "EEXIST") throw e;
      }
    }
    if (!held) fs.appendFileSync(`${latch}.held`, JSON.stringify(what) + "\n");
    held = true;
    await Promise.race([gone, new Promise((r) => setTimeout(r, 25))]);
    if (ended) return "gone";
  }
}
