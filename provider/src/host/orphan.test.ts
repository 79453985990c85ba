import { ChildProcess, spawn } from "node:child_process";
import * as fs from "node:fs";
import * as http2 from "node:http2";
import { AddressInfo } from "node:net";
import * as os from "node:os";
import * as path from "node:path";
import { commandLog, freshWorld, readWorld, simTarget } from "../testing/simulator";
import { isAlive } from "../simulator/store";
import { engineAddressFrom, watchEngine } from "./engineWatch";
import { engineArgument, pulumiRole } from "./orphanGuard";

// What happens to coexist's processes when the engine that started them disappears: the
// provider host notices and closes its sessions, and runners leave on end of input whatever
// they were doing. Processes are real; every wait is a poll for a condition, never a sleep.

const dist = path.join(__dirname, "..");
const started: ChildProcess[] = [];
const cleanups: Array<() => void | Promise<void>> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
  for (const child of started.splice(0)) if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
});

async function until<T>(what: string, value: () => T | undefined | false, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = value();
    if (v !== undefined && v !== false) return v;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

function node(script: string, env: NodeJS.ProcessEnv = {}): ChildProcess {
  const child = spawn(process.execPath, ["-e", script], { env: { ...process.env, ...env }, stdio: ["pipe", "pipe", "pipe"] });
  started.push(child);
  return child;
}

/** A stand-in for the engine's gRPC server: an HTTP/2 listener that can drop clients or die. */
async function fakeEngine(): Promise<{ port: number; sessions: () => number; dropClients(): void; die(): Promise<void> }> {
  const server = http2.createServer();
  const live = new Set<http2.ServerHttp2Session>();
  let seen = 0;
  server.on("session", (s) => {
    seen++;
    live.add(s);
    s.on("close", () => live.delete(s));
    s.on("error", () => {});
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const dropClients = () => live.forEach((s) => s.destroy());
  let dead = false;
  const die = () => {
    if (dead) return Promise.resolve();
    dead = true;
    return new Promise<void>((r) => {
      server.close(() => r());
      dropClients();
    });
  };
  cleanups.push(die);
  return { port: (server.address() as AddressInfo).port, sessions: () => seen, dropClients, die };
}

const tmp = () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "coexist-orphan-"));
  cleanups.push(() => fs.rmSync(dir, { recursive: true, force: true }));
  return dir;
};

describe("noticing that the engine is gone", () => {
  test("the engine's address is the last argument Pulumi gives a plugin", () => {
    expect(engineAddressFrom(["127.0.0.1:37959"])).toEqual({ host: "127.0.0.1", port: 37959 });
    expect(engineAddressFrom(["--logtostderr", "-v=9", "--tracing", "127.0.0.1:9411", "127.0.0.1:40001"])).toEqual({ host: "127.0.0.1", port: 40001 });
    expect(engineAddressFrom(["[::1]:5000"])).toEqual({ host: "::1", port: 5000 });
    expect(engineAddressFrom(["--tracing", "127.0.0.1:9411"])).toBeUndefined();
    expect(engineAddressFrom([])).toBeUndefined();
    expect(engineAddressFrom(["not an address"])).toBeUndefined();
    expect(engineAddressFrom(["127.0.0.1:70000"])).toBeUndefined();
  });

  test("only Pulumi's provider host and program are guarded, never a test or another host", () => {
    expect(pulumiRole("/p/node_modules/@pulumi/pulumi/cmd/dynamic-provider/index.js")).toBe("provider");
    expect(pulumiRole("/p/node_modules/@pulumi/pulumi/cmd/run/index.js")).toBe("program");
    expect(pulumiRole("/p/node_modules/@pulumi/pulumi/cmd/run-policy-pack/index.js")).toBeUndefined();
    expect(pulumiRole(undefined)).toBeUndefined();
    expect(pulumiRole()).toBeUndefined(); // this Jest worker
    const program = ["--monitor", "127.0.0.1:38731", "--engine", "127.0.0.1:39363", "--sync", "/tmp/p", "--stack", "faults", "index.js"];
    expect(engineArgument("program", program)).toEqual({ host: "127.0.0.1", port: 39363 });
    expect(engineArgument("program", ["index.js"])).toBeUndefined();
    expect(engineArgument("provider", ["127.0.0.1:37959"])).toEqual({ host: "127.0.0.1", port: 37959 });
  });

  test("a live engine that drops the connection is reconnected to, not taken for gone; a dead one is gone", async () => {
    const engine = await fakeEngine();
    const reasons: string[] = [];
    const watch = watchEngine({ address: { host: "127.0.0.1", port: engine.port }, intervalMs: 50, onGone: (why) => reasons.push(why) });
    cleanups.push(() => watch.stop());
    await until("the watch to connect", () => engine.sessions() === 1);
    engine.dropClients();
    await until("the watch to reconnect", () => engine.sessions() === 2);
    expect(reasons).toEqual([]);
    await engine.die();
    await until("the watch to see the engine gone", () => reasons.length > 0);
    expect(reasons).toEqual([`the engine at 127.0.0.1:${engine.port} no longer accepts connections`]);
  });

  test("an engine behind Pulumi's launcher script is watched through the script: killing the engine is noticed", async () => {
    const dir = tmp();
    const out = path.join(dir, "gone");
    // The shape Pulumi starts the Node provider host in: engine → /bin/sh pulumi-resource-… → node.
    fs.writeFileSync(
      path.join(dir, "watcher.js"),
      `const fs = require("fs");
       const { parentChain, watchEngine } = require(${JSON.stringify(path.join(dist, "host", "engineWatch.js"))});
       const chain = parentChain();
       fs.writeFileSync(${JSON.stringify(out)} + ".chain", JSON.stringify({ pid: process.pid, chain }));
       watchEngine({ chain, intervalMs: 50, onGone: (why) => { fs.writeFileSync(${JSON.stringify(out)}, why); process.exit(0); } });
       setInterval(() => {}, 1 << 30);`,
    );
    const shim = path.join(dir, "pulumi-resource-fake");
    fs.writeFileSync(shim, `#!/bin/sh\nif [ -n "$WATCHER" ]; then\n    "${process.execPath}" "$WATCHER" $@\nfi\n`);
    const engine = node(`require("child_process").spawn("/bin/sh", [${JSON.stringify(shim)}], { stdio: "ignore" }); setInterval(() => {}, 1 << 30);`, {
      WATCHER: path.join(dir, "watcher.js"),
    });
    const { pid, chain } = await until("the watcher to start", () => fs.existsSync(`${out}.chain`) && (JSON.parse(fs.readFileSync(`${out}.chain`, "utf8")) as { pid: number; chain: { pid: number; parent: number }[] }));
    cleanups.push(() => void (isAlive(pid) && process.kill(pid, "SIGKILL")));
    expect(chain).toHaveLength(2);
    expect(chain[1]!.parent).toBe(engine.pid);
    engine.kill("SIGKILL");
    const why = await until("the watcher to notice", () => fs.existsSync(out) && fs.readFileSync(out, "utf8"));
    expect(why).toBe(`the provider host lost the engine (process ${engine.pid}, parent of ${chain[1]!.pid})`);
    await until("the watcher to exit", () => !isAlive(pid));
  });

  test("a provider host whose own parent dies notices it", async () => {
    const dir = tmp();
    const out = path.join(dir, "gone");
    const script = `const fs = require("fs");
      const { parentChain, watchEngine } = require(${JSON.stringify(path.join(dist, "host", "engineWatch.js"))});
      const chain = parentChain();
      fs.writeFileSync(${JSON.stringify(out)} + ".chain", JSON.stringify({ pid: process.pid, chain }));
      watchEngine({ chain, intervalMs: 50, onGone: (why) => { fs.writeFileSync(${JSON.stringify(out)}, why); process.exit(0); } });
      setInterval(() => {}, 1 << 30);`;
    fs.writeFileSync(path.join(dir, "watcher.js"), script);
    // `; :` keeps the shell from exec-ing node: the shell stays the parent.
    const parent = spawn("/bin/sh", ["-c", `"${process.execPath}" "${path.join(dir, "watcher.js")}"; :`], { stdio: "ignore" });
    started.push(parent);
    const { pid, chain } = await until("the watcher to start", () => fs.existsSync(`${out}.chain`) && (JSON.parse(fs.readFileSync(`${out}.chain`, "utf8")) as { pid: number; chain: unknown[] }));
    cleanups.push(() => void (isAlive(pid) && process.kill(pid, "SIGKILL")));
    expect(chain).toEqual([{ pid, parent: parent.pid }]);
    parent.kill("SIGKILL");
    expect(await until("the watcher to notice", () => fs.existsSync(out) && fs.readFileSync(out, "utf8"))).toBe("the provider host lost its parent");
  });
});

describe("shutting down once the engine is gone", () => {
  test("the provider host ends every session, one of them mid-command, and exits; the world holds no session", async () => {
    const engine = await fakeEngine();
    const { stateFile } = freshWorld();
    // Each session's third command never gets an answer: one runner is busy for good.
    const target = simTarget(stateFile, { faults: { hangAfter: 3 } as never });
    const host = node(
      `const { startOrphanGuard } = require(${JSON.stringify(path.join(dist, "host", "orphanGuard.js"))});
       const { poolFor } = require(${JSON.stringify(path.join(dist, "pool", "registry.js"))});
       startOrphanGuard({ address: { host: "127.0.0.1", port: ${engine.port} }, intervalMs: 50, graceMs: 10000 });
       const pool = poolFor("exchange", ${JSON.stringify(target)}, { maxSessions: 2 });
       const get = () => pool.run({ cmdlet: "Get-AcceptedDomain", parameters: { Identity: "contoso.com" } });
       (async () => {
         await Promise.all([get(), get()]);
         await Promise.all([get(), get()]);
         get().catch(() => {});
       })();
       setInterval(() => {}, 1 << 30); // as the gRPC server keeps the real host alive`,
    );
    let stderr = "";
    host.stderr!.on("data", (d) => (stderr += d));
    const connects = () => commandLog(stateFile).filter((l) => l.event === "connect");
    await until("two sessions, one of them hung", () => connects().length === 2 && commandLog(stateFile).some((l) => l.fault === "hang"));
    const runners = connects();
    expect(runners.map((l) => l.ppid)).toEqual([host.pid, host.pid]);
    expect(readWorld(stateFile).sessions).toHaveLength(2);

    await engine.die();
    await until("the provider host to exit", () => host.exitCode !== null);
    expect(stderr).toContain(`coexist: the engine at 127.0.0.1:${engine.port} no longer accepts connections; closing its Exchange sessions and exiting`);
    expect(host.exitCode).toBe(0);
    await until("every runner to exit", () => runners.every((l) => !isAlive(l.pid!)));
    // Each runner gave its session back itself: none was killed.
    expect(readWorld(stateFile).sessions).toEqual([]);
  });

  test("the Pulumi program, whose reads hold sessions of their own, ends them and exits once its engine is gone", async () => {
    const engine = await fakeEngine();
    const { stateFile } = freshWorld();
    const target = simTarget(stateFile, { faults: { hangAfter: 1 } as never });
    // Where Pulumi's program runner lives, so that this process is taken for the program.
    const dir = tmp();
    const main = path.join(dir, "node_modules", "@pulumi", "pulumi", "cmd", "run", "index.js");
    fs.mkdirSync(path.dirname(main), { recursive: true });
    fs.writeFileSync(
      main,
      `const { SessionPool, defaultPoolOptions } = require(${JSON.stringify(path.join(dist, "pool", "sessionPool.js"))});
       const { launchFor } = require(${JSON.stringify(path.join(dist, "runner", "launch.js"))});
       const target = ${JSON.stringify(target)};
       const pool = new SessionPool({ ...defaultPoolOptions, maxSessions: 1, role: "exchange", target, launch: launchFor(target) });
       pool.run({ cmdlet: "Get-AcceptedDomain", parameters: { Identity: "contoso.com" } }).catch(() => {});
       setInterval(() => {}, 1 << 30);`,
    );
    const program = spawn(process.execPath, [main, "--monitor", "127.0.0.1:1", "--engine", `127.0.0.1:${engine.port}`, "index.js"], { stdio: ["ignore", "ignore", "pipe"] });
    started.push(program);
    let stderr = "";
    program.stderr!.on("data", (d) => (stderr += d));
    await until("the program's read to hang", () => commandLog(stateFile).some((l) => l.fault === "hang"));
    const runner = commandLog(stateFile).find((l) => l.event === "connect")!;
    expect(runner.ppid).toBe(program.pid);
    await engine.die();
    await until("the program to exit", () => program.exitCode !== null);
    expect(stderr).toContain("closing its Exchange sessions and exiting");
    expect(program.exitCode).toBe(0);
    await until("its runner to exit", () => !isAlive(runner.pid!));
    expect(readWorld(stateFile).sessions).toEqual([]);
  });
});
