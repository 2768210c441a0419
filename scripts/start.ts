/**
 * `npm start`: from a fresh clone to a running game. Prepares what is missing, in order, saying what it does:
 *   1. the quiz pool of real faces (from the CelebA folder, CELEBA_DIR) when it does not exist yet: only the
 *      held-out faces it keeps (training/data/quiz-pool.ts), never the training crops, which the game does not use;
 *   2. the database schema (idempotent migrations);
 *   3. the site build, when dist/ is missing or older than the sources or the shipped models;
 * then runs the production server (src/server/entry.ts, built) and prints its URL. HOST and PORT choose
 * where it listens.
 */
import { existsSync } from "node:fs";
import path from "node:path";
import {
  CELEBA_DIR,
  DATABASE_AUTH_TOKEN,
  DATABASE_URL,
  MODELS_DIR,
  QUIZ_POOL_DIR,
  REPO_ROOT,
} from "../config/settings.ts";
import { migrateDatabase, openDatabase } from "../db/client.ts";
import { isEntryPoint, runCommand } from "../training/cli/run-command.ts";
import { UserError } from "../training/cli/user-error.ts";
import { prepareQuizPool } from "../training/data/prepare.ts";
import { POOL_CAP } from "../training/data/quiz-pool.ts";
import { activeModel } from "./active-model.ts";
import { startServer } from "./server-process.ts";
import { ensureBuild } from "./site-build.ts";

const HOST = process.env.HOST ?? "127.0.0.1";
const PORT = Number(process.env.PORT ?? 4321);
/** Without a shipped generator to ask, the pool is cut at the size every generator so far has. */
const DEFAULT_IMAGE_SIZE = 64;

async function main(): Promise<void> {
  await ensureQuizPool();
  await migrate();
  if (!ensureBuild(REPO_ROOT, step)) throw new UserError("The build failed (see above).");
  await serve();
}

async function ensureQuizPool(): Promise<void> {
  if (existsSync(path.join(QUIZ_POOL_DIR, "manifest.json"))) return;
  if (!existsSync(path.join(CELEBA_DIR, "img_align_celeba"))) {
    throw new UserError(
      `The quiz pool of real faces is missing (${QUIZ_POOL_DIR}), and no CelebA folder was found at ${CELEBA_DIR}.\n` +
        "Point CELEBA_DIR at a folder holding img_align_celeba/ and identity_CelebA.txt, then run npm start again.",
    );
  }
  step(
    `Preparing the quiz pool: up to ${POOL_CAP} real faces of people held out of training, cropped from ` +
      `${CELEBA_DIR} into ${QUIZ_POOL_DIR} (once; 10–20 s on an idle machine)…`,
  );
  const summary = await prepareQuizPool({
    celebaDir: CELEBA_DIR,
    poolDir: QUIZ_POOL_DIR,
    imageSize: activeImageSize(),
    skipBad: true,
    progress: true,
  });
  const skipped = summary.skipped.length > 0 ? ` (${summary.skipped.length} unreadable images left out)` : "";
  step(
    `Quiz pool ready in ${summary.seconds.toFixed(0)} s: ${summary.pool} real faces of ${summary.poolIdentities} people ` +
      `none of the generators saw${skipped}.`,
  );
}

/** Runs the server, says where it is once it answers, and passes Ctrl+C on to it. */
async function serve(): Promise<void> {
  const server = await startServer({ root: REPO_ROOT, host: HOST, port: PORT, output: "inherit" });
  if (!server)
    throw new UserError(
      `The server stopped before answering. Is port ${PORT} in use? Try PORT=<another port> npm start.`,
    );
  for (const signal of ["SIGINT", "SIGTERM"] as const) process.on(signal, () => server.child.kill(signal));
  const shown = HOST === "127.0.0.1" || HOST === "0.0.0.0" ? "localhost" : HOST;
  step(`Spot the Fake is running at http://${shown}:${PORT}/  (Ctrl+C stops it)`);
  process.exitCode = await server.exited;
}

/** Real and fake faces must share one pixel size: the pool is cut at the active generator's output size. */
function activeImageSize(): number {
  return activeModel(MODELS_DIR)?.metadata.architecture.imageSize ?? DEFAULT_IMAGE_SIZE;
}

/** Migrates, then lets go of the database: the server opens its own connection. */
async function migrate(): Promise<void> {
  step("Bringing the database schema up to date…");
  const database = await openDatabase({ url: DATABASE_URL, authToken: DATABASE_AUTH_TOKEN });
  try {
    await migrateDatabase(database);
  } finally {
    database.close();
  }
}

function step(message: string): void {
  console.log(`▸ ${message}`);
}

if (isEntryPoint(import.meta.url)) runCommand("start", main);
