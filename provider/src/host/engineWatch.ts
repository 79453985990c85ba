import * as fs from "node:fs";
import * as http2 from "node:http2";
import * as path from "node:path";

/**
 * How a Pulumi process that runs coexist's code (the dynamic-provider host, or the program)
 * tells that the engine which started it is gone. Nothing here times out an idle or a busy
 * process: both signals fire only once the engine process has exited, so a long cmdlet run for
 * a live engine is never cut short, however long it takes.
 *
 * 1. The engine's address stops answering. Pulumi passes each plugin its engine's gRPC address
 *    (the last argument; the program gets it as `--engine`). We hold one idle HTTP/2
 *    connection to it (gRPC's own transport, so the engine sees an ordinary client, no stray
 *    bytes); the kernel closes it the moment the engine exits, even on SIGKILL. We then
 *    reconnect: an engine that merely dropped the connection answers again; a dead one refuses,
 *    and two refusals in a row mean gone. A timeout or any other error proves nothing and is
 *    never counted.
 * 2. The chain of parents breaks. Our parent exiting re-parents us, which `process.ppid` shows.
 *    Pulumi starts the Node provider host through a shell script
 *    (`pulumi-resource-pulumi-nodejs`) and the program through its language host; both outlive
 *    a killed engine, so on Linux we also watch their own parent in /proc. Polled once a
 *    second; a re-parented process never gets its old parent back, so one look is proof.
 */

export interface EngineAddress {
  host: string;
  port: number;
}

/**
 * The engine's address among a plugin's arguments. Pulumi starts a plugin as
 * `<plugin> [--logtostderr] [-v=N] [--tracing <endpoint>] <engine address>`.
 */
export function engineAddressFrom(args: readonly string[]): EngineAddress | undefined {
  const last = args[args.length - 1];
  if (last === undefined || args[args.length - 2] === "--tracing") return undefined;
  const m = /^(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9.-]+):(\d{1,5})$/.exec(last);
  if (!m) return undefined;
  const port = Number(m[2]);
  if (port < 1 || port > 65535) return undefined;
  return { host: m[1]!.replace(/^\[(.*)\]$/, "$1"), port };
}

/** A process and the parent it must keep: if `pid`'s parent is no longer `parent`, the chain broke. */
export interface ParentLink {
  pid: number;
  parent: number;
}

/** The parent of a process: ours from Node, others' from /proc (Linux); undefined when unknown or gone. */
export function parentOf(pid: number): number | undefined {
  if (pid === process.pid) return process.ppid;
  try {
    // /proc/<pid>/stat: "pid (comm) state ppid ...": comm may hold spaces and parentheses.
    const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
    const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
    return Number.isInteger(ppid) ? ppid : undefined;
  } catch {
    return undefined;
  }
}

function commandLineOf(pid: number): string[] {
  try {
    return fs.readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0").filter((a) => a !== "");
  } catch {
    return [];
  }
}

/**
 * The links from this process up to the engine: our own parent, and when that parent is one
 * of Pulumi's in-between processes, its parent too, which is the engine: the launcher script of
 * a plugin (`pulumi-resource-*`, run by a shell that stays alive as long as we do) for the
 * provider host, the language host (`pulumi-language-*`) for the program.
 */
export function parentChain(): ParentLink[] {
  const chain: ParentLink[] = [{ pid: process.pid, parent: process.ppid }];
  const launcher = commandLineOf(process.ppid).some((arg) => /^pulumi-(resource|language)-/.test(path.basename(arg)));
  const engine = launcher ? parentOf(process.ppid) : undefined;
  if (engine !== undefined && engine > 1) chain.push({ pid: process.ppid, parent: engine });
  return chain;
}

export interface EngineWatchOptions {
  address?: EngineAddress;
  chain?: ParentLink[];
  /** How often the parent chain is checked, and how long to wait before reconnecting. */
  intervalMs?: number;
  /** Refused connections in a row that mean the engine is gone. */
  refusals?: number;
  /** Called once, with the reason, when the engine is gone. */
  onGone: (why: string) => void;
}

export interface EngineWatch {
  stop(): void;
}

type Attempt = { state: "open"; session: http2.ClientHttp2Session } | { state: "refused" } | { state: "unknown" };

/** One connection attempt: "refused" only when nothing listens at the address. */
function connect(address: EngineAddress, timeoutMs: number): Promise<Attempt> {
  return new Promise((resolve) => {
    const host = address.host.includes(":") ? `[${address.host}]` : address.host;
    const session = http2.connect(`http://${host}:${address.port}`);
    session.unref(); // the watch never keeps the provider alive by itself
    const timer = setTimeout(() => {
      session.destroy();
      resolve({ state: "unknown" });
    }, timeoutMs);
    timer.unref();
    session.once("connect", () => {
      clearTimeout(timer);
      resolve({ state: "open", session });
    });
    session.on("error", (e: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      resolve({ state: e.code === "ECONNREFUSED" ? "refused" : "unknown" });
    });
  });
}

export function watchEngine(options: EngineWatchOptions): EngineWatch {
  const intervalMs = options.intervalMs ?? 1_000;
  const refusalsToGone = options.refusals ?? 2;
  let stopped = false;
  let session: http2.ClientHttp2Session | undefined;
  let timer: NodeJS.Timeout | undefined;

  const stop = () => {
    stopped = true;
    if (timer) clearInterval(timer);
    session?.destroy();
  };
  const gone = (why: string) => {
    if (stopped) return;
    stop();
    options.onGone(why);
  };
  const wait = (ms: number) => new Promise<void>((r) => setTimeout(r, ms).unref());

  const chain = options.chain ?? [];
  if (chain.length > 0) {
    timer = setInterval(() => {
      for (const link of chain) {
        const now = parentOf(link.pid);
        if (now !== link.parent) {
          const who = link.pid === process.pid ? "its parent" : `the engine (process ${link.parent}, parent of ${link.pid})`;
          return gone(`the provider host lost ${who}`);
        }
      }
    }, intervalMs);
    timer.unref();
  }

  const address = options.address;
  if (address) {
    void (async () => {
      let refusals = 0;
      while (!stopped) {
        const attempt = await connect(address, Math.max(intervalMs, 2_000));
        if (stopped) {
          if (attempt.state === "open") attempt.session.destroy();
          return;
        }
        if (attempt.state === "open") {
          refusals = 0;
          session = attempt.session;
          await new Promise<void>((r) => attempt.session.once("close", () => r()));
          session = undefined;
        } else if (attempt.state === "refused") {
          if (++refusals >= refusalsToGone) return gone(`the engine at ${address.host}:${address.port} no longer accepts connections`);
        } else {
          refusals = 0;
        }
        await wait(intervalMs);
      }
    })();
  }

  return { stop };
}
