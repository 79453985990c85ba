import * as path from "node:path";

/**
 * The Pulumi engine, as seen from Pulumi's dynamic-provider host: its address is the host's
 * first argument (`node .../dynamic-provider/index.js <engine address>`). The host itself uses
 * it for nothing else, so a provider reaches the engine with @pulumi/pulumi's own generated
 * gRPC client (proto/engine_grpc_pb): the root resource, and diagnostics attached to a URN.
 */
export function engineAddress(): string | undefined {
  const [, script, address] = process.argv;
  if (!script || !/dynamic-provider[\\/]index\.js$/.test(script)) return undefined;
  return address && /^[\w.[\]:-]+:\d+$/.test(address) ? address : undefined;
}

interface EngineClient {
  getRootResource(req: unknown, opts: { deadline: number }, cb: (err: Error | null, r: { getUrn(): string } | undefined) => void): void;
  log(req: unknown, opts: { deadline: number }, cb: (err: Error | null) => void): void;
  close(): void;
}
type EngineProto = { GetRootResourceRequest: new () => unknown; LogRequest: new () => LogRequest; LogSeverity: { INFO: number; WARNING: number } };
interface LogRequest {
  setSeverity(s: number): void;
  setMessage(m: string): void;
  setUrn(u: string): void;
}

const KEY = Symbol.for("coexist.engineClient");
type Slot = { client?: EngineClient | null; proto?: EngineProto };

/** One client per process, or null outside the provider host (or when the SDK's proto can't load). */
function engine(): { client: EngineClient; proto: EngineProto } | undefined {
  const slot = ((globalThis as Record<symbol, Slot>)[KEY] ??= {});
  if (slot.client === undefined) {
    const address = engineAddress();
    slot.client = null;
    if (address) {
      try {
        const pulumiDir = path.dirname(require.resolve("@pulumi/pulumi/package.json"));
        const grpc = require(require.resolve("@grpc/grpc-js", { paths: [pulumiDir] }));
        const { EngineClient } = require("@pulumi/pulumi/proto/engine_grpc_pb");
        slot.proto = require("@pulumi/pulumi/proto/engine_pb") as EngineProto;
        slot.client = new EngineClient(address, grpc.credentials.createInsecure()) as EngineClient;
      } catch {
        slot.client = null;
      }
    }
  }
  return slot.client && slot.proto ? { client: slot.client, proto: slot.proto } : undefined;
}

/** The Stack's URN (`urn:pulumi:<stack>::<project>::pulumi:pulumi:Stack::…`), registered by the program at preview and up. */
export function rootResourceUrn(timeoutMs = 3000): Promise<string | undefined> {
  const e = engine();
  if (!e) return Promise.resolve(undefined);
  return new Promise((resolve) =>
    e.client.getRootResource(new e.proto.GetRootResourceRequest(), { deadline: Date.now() + timeoutMs }, (err, r) => resolve(err || !r ? undefined : r.getUrn() || undefined)),
  );
}

/** A diagnostic the CLI shows under the resource with this URN; false when there is no engine to tell. */
export function logToResource(urn: string, message: string, severity: "info" | "warning" = "info", timeoutMs = 5000): Promise<boolean> {
  const e = engine();
  if (!e) return Promise.resolve(false);
  const req = new e.proto.LogRequest();
  req.setSeverity(severity === "info" ? e.proto.LogSeverity.INFO : e.proto.LogSeverity.WARNING);
  req.setMessage(message);
  req.setUrn(urn);
  return new Promise((resolve) => e.client.log(req, { deadline: Date.now() + timeoutMs }, (err) => resolve(!err)));
}
