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
