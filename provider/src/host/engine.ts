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
  setEphemeral(e: boolean): void;
}

type Loaded = { Client: new (address: string, credentials: unknown) => EngineClient; credentials: unknown; proto: EngineProto };
const KEY = Symbol.for("coexist.engineProto");
type Slot = { loaded?: Loaded | null };

/** @pulumi/pulumi's gRPC and engine proto modules, loaded once; null outside the provider host. */
function load(): Loaded | null {
  const slot = ((globalThis as Record<symbol, Slot>)[KEY] ??= {});
  if (slot.loaded === undefined) {
    slot.loaded = null;
    if (engineAddress()) {
      try {
        const pulumiDir = path.dirname(require.resolve("@pulumi/pulumi/package.json"));
        const grpc = require(require.resolve("@grpc/grpc-js", { paths: [pulumiDir] }));
        const { EngineClient } = require("@pulumi/pulumi/proto/engine_grpc_pb");
        slot.loaded = { Client: EngineClient, credentials: grpc.credentials.createInsecure(), proto: require("@pulumi/pulumi/proto/engine_pb") as EngineProto };
      } catch {
        slot.loaded = null;
      }
    }
  }
  return slot.loaded;
}

/**
 * One call on a client of its own, closed after: no channel is left open to keep this process
 * alive once the engine is done with it.
 */
function engine<T>(fallback: T, call: (client: EngineClient, proto: EngineProto, done: (v: T) => void) => void): Promise<T> {
  const loaded = load();
  const address = engineAddress();
  if (!loaded || !address) return Promise.resolve(fallback);
  const client = new loaded.Client(address, loaded.credentials);
  return new Promise<T>((resolve) => call(client, loaded.proto, resolve)).finally(() => client.close());
}

const ROOT = Symbol.for("coexist.rootResourceUrn");
/**
 * The Stack's URN (`urn:pulumi:<stack>::<project>::pulumi:pulumi:Stack::…`), registered by the
 * program at preview and up. Kept once found (the stack does not change under a provider); not
 * found yet is asked again next time.
 */
export function rootResourceUrn(timeoutMs = 3000): Promise<string | undefined> {
  const memo = globalThis as { [ROOT]?: Promise<string | undefined> };
  const asked = (memo[ROOT] ??= engine<string | undefined>(undefined, (client, proto, done) =>
    client.getRootResource(new proto.GetRootResourceRequest(), { deadline: Date.now() + timeoutMs }, (err, r) => done(err || !r ? undefined : r.getUrn() || undefined)),
  ));
  return asked.then((urn) => {
    if (urn === undefined && memo[ROOT] === asked) delete memo[ROOT];
    return urn;
  });
}

/**
 * A diagnostic the CLI shows under the resource with this URN; false when there is no engine to
 * tell. `ephemeral`: a status the CLI shows on the resource's line while it runs, not kept among
 * the diagnostics (engine.proto LogRequest.ephemeral).
 */
export function logToResource(urn: string, message: string, severity: "info" | "warning" = "info", timeoutMs = 5000, ephemeral = false): Promise<boolean> {
  return engine(false, (client, proto, done) => {
    const req = new proto.LogRequest();
    req.setSeverity(severity === "info" ? proto.LogSeverity.INFO : proto.LogSeverity.WARNING);
    req.setMessage(message);
    req.setUrn(urn);
    if (ephemeral) req.setEphemeral(true);
    client.log(req, { deadline: Date.now() + timeoutMs }, (err) => done(!err));
  });
}
