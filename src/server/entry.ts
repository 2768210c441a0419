/**
 * The production server, bundled by `astro build` as dist/server/entry.mjs (see astro.config.mjs): Node's
 * http server answers /api/* through the API router directly and hands every other request (pages, static
 * files, model weights) to Astro's standalone handler. Pages and API share one module graph, so one set of
 * services (database, caches, rate limits) per process.
 *
 *   HOST=127.0.0.1 PORT=4321 node dist/server/entry.mjs
 */
import "./entry/no-astro-autostart.ts";
import { readFileSync } from "node:fs";
import http, { type IncomingMessage, type ServerResponse } from "node:http";
import https from "node:https";
import { handler as astro, options } from "@astrojs/node/server.js";
import { serveApi } from "./api/node-adapter.ts";

function route(req: IncomingMessage, res: ServerResponse): void {
  if (req.url?.startsWith("/api/")) {
    serveApi(req, res).catch((error: unknown) => {
      // serveApi turns every failure into a reply; this is a broken socket or a bug in writing it.
      console.error(`${req.method} ${req.url} could not be answered:`, error);
      if (!res.headersSent) res.writeHead(500).end();
      else res.destroy();
    });
    return;
  }
  astro(req, res);
}

function createServer(): http.Server {
  const { SERVER_CERT_PATH: cert, SERVER_KEY_PATH: key } = process.env;
  if (cert && key) return https.createServer({ cert: readFileSync(cert), key: readFileSync(key) }, route);
  return http.createServer(route);
}

const host =
  process.env.HOST ?? (typeof options.host === "string" ? options.host : options.host ? "0.0.0.0" : "localhost");
const port = Number(process.env.PORT ?? options.port);
const server = createServer();
// Longer than a typical proxy's idle timeout, so the proxy, not us, closes idle keep-alive connections.
server.keepAliveTimeout = 65_000;
server.listen(port, host, () => console.log(`Server listening on http://${host}:${port}`));

// Finish what is in flight, then exit; a second signal or 5 s later, exit regardless.
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.once(signal, () => {
    server.close(() => process.exit(0));
    server.closeIdleConnections();
    setTimeout(() => process.exit(0), 5_000).unref();
    process.once(signal, () => process.exit(0));
  });
}
