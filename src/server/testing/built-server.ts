/**
 * The production server for API tests and benchmarks: `astro build` into a private folder (so it never
 * races a build of dist/ by someone else), then `node <build>/server/entry.mjs` with the environment the
 * caller gives (DATABASE_URL, QUIZ_POOL_DIR, MODELS_DIR, ...), on a free loopback port.
 */
import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import path from "node:path";
import { REPO_ROOT } from "../../../config/settings.ts";
import { freePort } from "../../../testing/free-port.ts";

export interface RunningServer {
  readonly url: string;
  readonly port: number;
  readonly process: ChildProcess;
  /** Output so far (for error messages). */
  log(): string;
  /** SIGTERM, then SIGKILL after 5 s. */
  stop(): Promise<void>;
  /** SIGKILL to every server process at once: a crash, with no chance to flush anything. */
  kill(): Promise<void>;
}

/** Inside the repository, so the built server still finds db/migrations by walking up to package.json. */
export const BUILD_DIR = path.join(REPO_ROOT, "node_modules/.cache/stf-server-build");

export function buildServer(outDir = BUILD_DIR): string {
  const astro = path.join(REPO_ROOT, "node_modules/astro/bin/astro.mjs");
  const build = spawnSync(process.execPath, [astro, "build", "--outDir", outDir], {
    cwd: REPO_ROOT,
    encoding: "utf8",
    env: { ...process.env, ASTRO_TELEMETRY_DISABLED: "1" },
  });
  if (build.status !== 0) throw new Error(`astro build failed:\n${build.stdout}\n${build.stderr}`);
  return path.join(outDir, "server/entry.mjs");
}

export interface ServerOptions {
  readonly port?: number;
  /** Processes sharing the port (scripts/serve-cluster.mjs); 1 runs the entry directly. */
  readonly workers?: number;
  /** Extra Node flags for the server process(es), e.g. ["--prof"] to see where its time goes. */
  readonly nodeArgs?: readonly string[];
}

export async function startServer(
  entry: string,
  env: Record<string, string>,
  { port, workers = 1, nodeArgs = [] }: ServerOptions = {},
): Promise<RunningServer> {
  const listenPort = port ?? (await freePort());
  const args = [...nodeArgs, ...(workers > 1 ? [path.join(REPO_ROOT, "scripts/serve-cluster.mjs"), entry] : [entry])];
  const child = spawn(process.execPath, args, {
    cwd: REPO_ROOT,
    env: { ...process.env, ...env, SERVER_WORKERS: String(workers), HOST: "127.0.0.1", PORT: String(listenPort) },
    stdio: ["ignore", "pipe", "pipe"],
    // Its own process group, so kill() takes the workers down with it, all at once.
    detached: true,
  });
  let output = "";
  const collect = (chunk: Buffer) => {
    output = (output + String(chunk)).slice(-20_000);
  };
  child.stdout?.on("data", collect);
  child.stderr?.on("data", collect);
  const url = `http://127.0.0.1:${listenPort}`;
  await waitUntilServing(url, child, () => output);
  const exited = new Promise<void>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve();
    else child.once("exit", () => resolve());
  });
  return {
    url,
    port: listenPort,
    process: child,
    log: () => output,
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill("SIGTERM");
        const timer = setTimeout(() => child.kill("SIGKILL"), 5_000);
        await exited;
        clearTimeout(timer);
      }
    },
    kill: async () => {
      if (child.exitCode === null && child.signalCode === null && child.pid !== undefined) {
        process.kill(-child.pid, "SIGKILL");
      }
      await exited;
    },
  };
}

async function waitUntilServing(url: string, child: ChildProcess, output: () => string): Promise<void> {
  // Generous: on a busy 2-core machine a server (loading Astro and its modules) takes well over 30 s.
  const deadline = Date.now() + 120_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`server exited with ${child.exitCode}:\n${output()}`);
    try {
      // An API path that touches nothing: answers as soon as the server listens.
      const response = await fetch(`${url}/api/__ready`);
      if (response.status === 404) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`server did not answer within 120 s:\n${output()}`);
}
