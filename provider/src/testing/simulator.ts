import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { SimulatorTarget } from "../exchange/targets";
import { World } from "../simulator/model";
import { initialWorld, Scenario } from "../simulator/scenario";
import { WorldStore } from "../simulator/store";

/** Helpers for tests and the demo: a fresh simulated world on disk and a target for it. */
export const contoso: Scenario = {
  domain: "contoso.com",
  organization: "contoso.onmicrosoft.com",
  users: ["alice", "bob", "carol"],
};

export function freshWorld(scenario: Scenario = contoso, dir?: string): { dir: string; stateFile: string; store: WorldStore } {
  const d = dir ?? fs.mkdtempSync(path.join(os.tmpdir(), "coexist-sim-"));
  const stateFile = path.join(d, "world.json");
  return { dir: d, stateFile, store: WorldStore.create(stateFile, initialWorld(scenario)) };
}

export function simTarget(stateFile: string, extra: Partial<SimulatorTarget> = {}): SimulatorTarget {
  return SimulatorTarget.parse({ kind: "simulator", stateFile, ...extra });
}

export interface LoggedCommand {
  t: string;
  session: string;
  role: string;
  event?: string;
  cmdlet?: string;
  parameters?: Record<string, unknown>;
  ok?: boolean;
  kind?: string;
  fault?: string;
  applied?: boolean;
  pid?: number;
  ppid?: number;
}

/** The simulator's command log: every command it received, in order. */
export function commandLog(stateFile: string): LoggedCommand[] {
  const file = `${stateFile}.log`;
  if (!fs.existsSync(file)) return [];
  return fs
    .readFileSync(file, "utf8")
    .split("\n")
    .filter((l) => l.trim() !== "")
    .map((l) => JSON.parse(l) as LoggedCommand);
}

export const readWorld = (stateFile: string): World => new WorldStore(stateFile).read();
