import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { z } from "zod";
import { SimulatorTarget } from "../exchange/targets";
import { World } from "../simulator/model";
import { initialWorld, Scenario } from "../simulator/scenario";
import { WorldStore } from "../simulator/store";
import { Role } from "../exchange/protocol";
import { AnyTarget } from "../exchange/targets";
import { defaultPoolOptions, PoolOptions, SessionPool } from "../pool/sessionPool";
import { launchFor } from "../runner/launch";
import { ExchangeError } from "../exchange/errors";

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

export function simTarget(stateFile: string, extra: Partial<z.input<typeof SimulatorTarget>> = {}): SimulatorTarget {
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

const pools: SessionPool[] = [];
/**
 * A session pool for unit tests: fast retries and timeouts, the target's own runner; closed by
 * closeTestPools() (call it in afterEach).
 */
export function testPool(role: Role, target: AnyTarget, options: Partial<PoolOptions> = {}): SessionPool {
  const p = new SessionPool({
    ...defaultPoolOptions,
    retry: { attempts: 6, baseMs: 5, maxMs: 50 },
    commandTimeoutMs: 5_000,
    connectTimeoutMs: 10_000,
    role,
    target,
    launch: launchFor(target),
    ...options,
  });
  pools.push(p);
  return p;
}

export const closeTestPools = async (): Promise<void> => void (await Promise.all(pools.splice(0).map((p) => p.close())));

/** The ExchangeError a command fails with; fails the test when it succeeds or throws anything else. */
export async function exchangeFailure(p: Promise<unknown>): Promise<ExchangeError> {
  try {
    await p;
  } catch (e) {
    if (e instanceof ExchangeError) return e;
    throw e;
  }
  throw new Error("expected the command to fail");
}

/**
 * The store's stress world: `users` users and a group "Probe" holding all of them, created in a
 * temp folder (the store test and test/bench/store.ts write into it side by side).
 */
export function probeWorld(users: number, prefix = "coexist-store-"): { dir: string; stateFile: string } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  const stateFile = path.join(dir, "world.json");
  const aliases = Array.from({ length: users }, (_, i) => `user${String(i).padStart(5, "0")}`);
  const world = initialWorld({ domain: "contoso.com", organization: "contoso.onmicrosoft.com", users: aliases });
  world.tenant.groups.push({
    Guid: "00000000-0000-4000-8000-ffffffffffff", Name: "Probe", Alias: "Probe", DisplayName: "Probe", PrimarySmtpAddress: "probe@contoso.com",
    EmailAddresses: ["SMTP:probe@contoso.com"], Type: "Security", ManagedBy: ["admin"], MemberJoinRestriction: "Closed", MemberDepartRestriction: "Closed",
    RequireSenderAuthenticationEnabled: true, HiddenFromAddressListsEnabled: false, Members: aliases.map((u) => `${u}@contoso.com`),
  });
  WorldStore.create(stateFile, world);
  return { dir, stateFile };
}
