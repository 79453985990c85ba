import * as http from "node:http";
import * as https from "node:https";
import type { AddressInfo } from "node:net";

/**
 * An npm registry that records every request and passes it on to the real one: set
 * `npm_config_registry` to its url, and `requests` is every package npm asked a registry for.
 * Requests are forwarded as they came (conditional headers included, so npm's cache keeps
 * working) and answered as the upstream answers.
 */
export interface RecordingRegistry {
  url: string;
  /** Request paths, URI-decoded (`/@pulumi/pulumi`, `/@pulumi/pulumi/-/pulumi-3.259.0.tgz`). */
  requests: string[];
  close(): Promise<void>;
}

export async function recordingRegistry(upstream = "https://registry.npmjs.org/"): Promise<RecordingRegistry> {
  const requests: string[] = [];
  const base = new URL(upstream);
  const client = base.protocol === "https:" ? https : http;
  const server = http.createServer((req, res) => {
    const url = req.url ?? "";
    let decoded = url;
    try {
      decoded = decodeURIComponent(url);
    } catch {
      // recorded as sent
    }
    requests.push(decoded);
    const target = new URL((req.url ?? "/").replace(/^\//, ""), base.href.endsWith("/") ? base.href : `${base.href}/`);
    const headers = { ...req.headers, host: target.host };
    delete headers.connection;
    const out = client.request(target, { method: req.method, headers }, (up) => {
      res.writeHead(up.statusCode ?? 502, up.headers);
      up.pipe(res);
    });
    out.on("error", (e) => {
      if (!res.headersSent) res.writeHead(502, { "content-type": "text/plain" });
      res.end(String(e));
    });
    req.pipe(out);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
