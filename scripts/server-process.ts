/**
 * Runs the built production server (dist/server/entry.mjs, from src/server/entry.ts) as a child process and
 * waits until it answers.
 */
import { type ChildProcess, spawn } from "node:child_process";
import path from "node:path";

export interface RunningServer {
  url: string;
  child: ChildProcess;
  /** Resolves with the exit code once the server stops. */
  exited: Promise<number>;
}

export interface ServerOptions {
  root: string;
  host: string;
  port: number;
  env?: NodeJS.ProcessEnv;
  /** Where the server's output goes: shown (npm start) or dropped (benchmarks). */
  output: "inherit" | "ignore";
}

/** Null when the server stopped before answering (typically: the port is taken). */
export async function startServer(options: ServerOptions): Promise<RunningServer | null> {
  const child = spawn(process.execPath, [path.join(options.root, "dist/server/entry.mjs")], {
    cwd: options.root,
    stdio: ["ignore", options.output, options.output],
    env: { ...process.env, ...options.env, HOST: options.host, PORT: String(options.port) },
  });
  const exited = new Promise<number>((resolve) =>
    child.on("exit", (code, signal) => resolve(code ?? (signal ? 0 : 1))),
  );
  const url = `http://${options.host}:${options.port}/`;
  const answered = await Promise.race([waitUntilServing(url), exited.then(() => false)]);
  return answered ? { url, child, exited } : null;
}

async function waitUntilServing(url: string): Promise<boolean> {
  for (let attempt = 0; attempt < 300; attempt++) {
    try {
      await fetch(url, { signal: AbortSignal.timeout(1_000) });
      return true;
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
  return false;
}
