// @ts-check
/**
 * Runs the built server (dist/server/entry.mjs, or the path given) as SERVER_WORKERS processes sharing one
 * port, so one machine's cores all serve requests: a single Node process uses one core. The workers are
 * stateless apart from caches and per-process rate limits; they share the database (an embedded file in
 * WAL mode, or a libsql server). A worker that dies is replaced.
 *
 *   SERVER_WORKERS=2 node scripts/serve-cluster.mjs [entry]
 */
import cluster from "node:cluster";
import os from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";

const entry = path.resolve(process.argv[2] ?? "dist/server/entry.mjs");
const workers = Math.max(1, Number(process.env.SERVER_WORKERS ?? os.availableParallelism()));

if (cluster.isPrimary && workers > 1) {
  let stopping = false;
  for (let i = 0; i < workers; i++) cluster.fork();
  cluster.on("exit", (worker, code, signal) => {
    if (stopping) return;
    console.error(`server worker ${worker.process.pid} exited (${signal ?? code}); starting another`);
    cluster.fork();
  });
  for (const signal of /** @type {const} */ (["SIGINT", "SIGTERM"])) {
    process.on(signal, () => {
      stopping = true;
      for (const worker of Object.values(cluster.workers ?? {})) worker?.kill(signal);
      setTimeout(() => process.exit(0), 5_000).unref();
      cluster.on("exit", () => {
        if (Object.keys(cluster.workers ?? {}).length === 0) process.exit(0);
      });
    });
  }
} else {
  await import(pathToFileURL(entry).href);
}
