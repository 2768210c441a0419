/**
 * `npm start`: from a fresh clone to a running game. Prepares what is missing, in order, saying what it does:
 *   1. the quiz pool of real faces (from the CelebA folder, CELEBA_DIR) when it does not exist yet;
 *   2. the database schema (idempotent migrations);
 *   3. the site build, when dist/ is missing or older than the sources or the shipped models;
 * then runs the standalone server and prints its URL. HOST and PORT choose where it listens.
 */
import { spawn, spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import path from "node:path";
import { migrateDatabase } from "../db/client.ts";
import { CELEBA_DIR, DATA_DIR, QUIZ_POOL_DIR, REPO_ROOT } from "../src/core/settings.ts";
import { prepareData } from "../training/prepare.ts";
import { buildIsStale } from "./build-freshness.ts";

const HOST = process.env.HOST ?? "127.0.0.1";
const PORT = Number(process.env.PORT ?? 4321);
const SERVER_ENTRY = path.join(REPO_ROOT, "dist/server/entry.mjs");
/** The quiz pool matches the generators' output size: real and fake faces must share one pixel size. */
const POOL_IMAGE_SIZE = 64;

async function main(): Promise<void> {
  await ensureQuizPool();
  step("Bringing the database schema up to date…");
  await migrateDatabase();
  ensureBuild();
  await serve();
}

async function ensureQuizPool(): Promise<void> {
  if (existsSync(path.join(QUIZ_POOL_DIR, "manifest.json"))) return;
  if (!existsSync(path.join(CELEBA_DIR, "img_align_celeba"))) {
    fail(
      `The quiz pool of real faces is missing (${QUIZ_POOL_DIR}), and no CelebA folder was found at ${CELEBA_DIR}.\n` +
        "Point CELEBA_DIR at a folder holding img_align_celeba/ and identity_CelebA.txt, then run npm start again.",
    );
  }
  step(`Preparing the quiz pool of real faces from ${CELEBA_DIR} (once; about a minute)…`);
  const summary = await prepareData({
    celebaDir: CELEBA_DIR,
    dataDir: DATA_DIR,
    poolDir: QUIZ_POOL_DIR,
    imageSize: POOL_IMAGE_SIZE,
    skipBad: true,
    progress: process.stderr.isTTY,
  });
  step(`Quiz pool ready: ${summary.pool} real faces of ${summary.poolIdentities} people none of the generators saw.`);
}

function ensureBuild(): void {
  const reason = buildIsStale(REPO_ROOT);
  if (!reason) return;
  step(`Building the site (${reason})…`);
  const astro = path.join(REPO_ROOT, "node_modules/astro/bin/astro.mjs");
  const build = spawnSync(process.execPath, [astro, "build"], {
    cwd: REPO_ROOT,
    stdio: "inherit",
    env: { ...process.env, ASTRO_TELEMETRY_DISABLED: "1" },
  });
  if (build.status !== 0) fail("The build failed (see above).");
}

/** Runs the built server as a child, says where it is once it answers, and passes signals through. */
async function serve(): Promise<void> {
  const server = spawn(process.execPath, [SERVER_ENTRY], {
    cwd: REPO_ROOT,
    stdio: ["ignore", "inherit", "inherit"],
    env: { ...process.env, HOST, PORT: String(PORT) },
  });
  for (const signal of ["SIGINT", "SIGTERM"] as const) process.on(signal, () => server.kill(signal));
  const exited = new Promise<number>((resolve) =>
    server.on("exit", (code, signal) => resolve(code ?? (signal ? 0 : 1))),
  );
  const listening = await Promise.race([waitUntilServing(`http://${HOST}:${PORT}/`), exited.then(() => false)]);
  if (listening) {
    const shown = HOST === "127.0.0.1" || HOST === "0.0.0.0" ? "localhost" : HOST;
    step(`Spot the Fake is running at http://${shown}:${PORT}/  (Ctrl+C stops it)`);
  } else {
    console.error(`\nThe server stopped before answering. Is port ${PORT} in use? Try PORT=<another port> npm start.`);
  }
  process.exitCode = await exited;
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

function step(message: string): void {
  console.log(`▸ ${message}`);
}

function fail(message: string): never {
  console.error(`\n✖ ${message}`);
  process.exit(1);
}

await main();
