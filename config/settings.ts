/**
 * Where things live, overridable by environment variables. One place, so the training tools, the server,
 * the database tools and the scripts agree without passing paths around. It imports nothing of the project,
 * so every layer may import it (.dependency-cruiser.cjs). Node only: the browser never imports this.
 */
import { existsSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

/**
 * The nearest folder above this module holding package.json: config/ → the repository in the source tree,
 * and also from dist/server/chunks/ once Astro has bundled this module into the built server.
 */
function findRepoRoot(from: string): string {
  for (let dir = from; ; dir = path.dirname(dir)) {
    if (existsSync(path.join(dir, "package.json"))) return dir;
    if (path.dirname(dir) === dir) return path.resolve(from, "..");
  }
}

export const REPO_ROOT = findRepoRoot(path.dirname(fileURLToPath(import.meta.url)));

const fromRoot = (value: string) => path.resolve(REPO_ROOT, value);

/** The CelebA folder (img_align_celeba/, identity_CelebA.txt). Never copied into the repository. */
export const CELEBA_DIR = fromRoot(process.env.CELEBA_DIR ?? "../shared/data/celeba");

/** Prepared data (training tensors, the quiz pool of real faces): git-ignored, made by `data:prepare`. */
export const DATA_DIR = fromRoot(process.env.DATA_DIR ?? "data");

/** The identity-disjoint real faces the game shows: `<QUIZ_POOL_DIR>/manifest.json` + PNGs. */
export const QUIZ_POOL_DIR = fromRoot(process.env.QUIZ_POOL_DIR ?? path.join(DATA_DIR, "quiz-pool"));

/**
 * What face-api makes of the real faces (quiz pool, training set), made once by `data:prepare` so each
 * `model:evaluate` only analyses its fakes.
 */
export const FACE_CACHE_DIR = fromRoot(process.env.FACE_CACHE_DIR ?? path.join(DATA_DIR, "face-cache"));

/** Shipped generators and their registry (public/models/manifest.json). */
export const MODELS_DIR = fromRoot(process.env.MODELS_DIR ?? "public/models");

/** Training runs: checkpoints, logs, sample grids (git-ignored). */
export const RUNS_DIR = fromRoot(process.env.RUNS_DIR ?? "runs");

/** libsql URL: an embedded file by default, or a libsql server (sqld, Turso) with DATABASE_URL. */
export const DATABASE_URL = process.env.DATABASE_URL ?? `file:${path.join(DATA_DIR, "game.db")}`;
export const DATABASE_AUTH_TOKEN = process.env.DATABASE_AUTH_TOKEN;
/** Embedded files: FULL also survives a power cut or OS crash, at an fsync per commit (default NORMAL). */
export const DATABASE_SYNCHRONOUS = process.env.DATABASE_SYNCHRONOUS === "FULL" ? "FULL" : "NORMAL";
