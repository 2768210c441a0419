/**
 * Data preparation: CelebA folder → face crops for training + the identity-disjoint quiz pool.
 *
 *   npm run data:prepare -- [--celeba <dir>] [--size 64|128] [--limit N] [--skip-bad] [--no-face-analysis]
 *
 * Reads the images with sharp, crops the face square, resizes, splits by identity, and writes the
 * files described in data/prepared.ts outside git. Each output is written to a temporary name and
 * renamed, so an interrupted run never leaves a half-written dataset behind.
 *
 * Then it runs face-api over every real face once (training/evaluate/face-cache.ts): the real faces do not
 * change between evaluations, so `model:evaluate` only has to analyse its fakes. The game's own start-up
 * (scripts/start.ts) calls prepareData alone and skips this.
 */
import { createHash } from "node:crypto";
import { mkdirSync, renameSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { SingleBar } from "cli-progress";
import { Command, InvalidArgumentError } from "commander";
import sharp from "sharp";
import { CELEBA_DIR, DATA_DIR, FACE_CACHE_DIR, QUIZ_POOL_DIR } from "../src/settings.ts";
import { type CelebaFace, cropFace, DataError, IMAGE_FOLDER, listFaces } from "./data/celeba.ts";
import type { PoolManifest, TrainManifest } from "./data/prepared.ts";
import { trainDir } from "./data/prepared.ts";
import { splitByIdentity } from "./data/split.ts";

export interface PrepareOptions {
  celebaDir: string;
  dataDir: string;
  poolDir: string;
  imageSize: number;
  /** Use only the first N images (by name): for tests and quick looks. */
  limit?: number;
  /** Leave out unreadable or odd-sized images instead of stopping. */
  skipBad?: boolean;
  progress?: boolean;
}

export interface PrepareSummary {
  train: number;
  pool: number;
  trainIdentities: number;
  poolIdentities: number;
  skipped: string[];
  seconds: number;
}

/** Parallel crops: sharp works on libuv's thread pool, so a few in flight keep both cores busy. */
const CONCURRENCY = 4;

export async function prepareData(options: PrepareOptions): Promise<PrepareSummary> {
  const started = performance.now();
  const faces = listFaces(options.celebaDir).slice(0, options.limit ?? Number.POSITIVE_INFINITY);
  const bar = options.progress ? new SingleBar({ format: "preparing {bar} {value}/{total} faces | ETA {eta}s" }) : null;
  bar?.start(faces.length, 0);
  const crops = await cropAll(faces, options, () => bar?.increment());
  bar?.stop();

  const usable = faces.filter((_, i) => crops[i] !== null);
  const skipped = faces.filter((_, i) => crops[i] === null).map((face) => face.source);
  const cropOf = new Map(faces.map((face, i) => [face.source, crops[i]]));
  const { train, pool } = splitByIdentity(usable);
  writeTrainingSet(train, (face) => cropOf.get(face.source) as Buffer, options);
  await writePool(pool, (face) => cropOf.get(face.source) as Buffer, options);
  return {
    train: train.length,
    pool: pool.length,
    trainIdentities: new Set(train.map((face) => face.identity)).size,
    poolIdentities: new Set(pool.map((face) => face.identity)).size,
    skipped,
    seconds: (performance.now() - started) / 1000,
  };
}

async function cropAll(faces: CelebaFace[], options: PrepareOptions, tick: () => void): Promise<(Buffer | null)[]> {
  const crops: (Buffer | null)[] = new Array(faces.length).fill(null);
  let next = 0;
  const worker = async () => {
    while (next < faces.length) {
      const index = next++;
      const face = faces[index] as CelebaFace;
      try {
        crops[index] = await cropFace(path.join(options.celebaDir, IMAGE_FOLDER, face.source), options.imageSize);
      } catch (error) {
        if (!(error instanceof DataError) || !options.skipBad) throw error;
      }
      tick();
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  return crops;
}

function writeTrainingSet(faces: CelebaFace[], crop: (face: CelebaFace) => Buffer, options: PrepareOptions): void {
  const dir = trainDir(options.dataDir, options.imageSize);
  const staging = `${dir}.partial`;
  rmSync(staging, { recursive: true, force: true });
  mkdirSync(staging, { recursive: true });
  writeFileSync(path.join(staging, "images.u8"), Buffer.concat(faces.map(crop)));
  const manifest: TrainManifest = {
    imageSize: options.imageSize,
    count: faces.length,
    identities: new Set(faces.map((face) => face.identity)).size,
    celebaDir: options.celebaDir,
    createdAt: new Date().toISOString(),
    faces: faces.map(({ source, identity }) => ({ source, identity })),
  };
  writeFileSync(path.join(staging, "manifest.json"), `${JSON.stringify(manifest)}\n`);
  replaceDir(staging, dir);
}

/** Opaque ids: nothing in a URL may hint at a CelebA file name or at the face being real. */
export function poolFaceId(source: string): string {
  return createHash("sha256").update(`spot-the-fake pool ${source}`).digest("hex").slice(0, 20);
}

async function writePool(
  faces: CelebaFace[],
  crop: (face: CelebaFace) => Buffer,
  options: PrepareOptions,
): Promise<void> {
  const staging = `${options.poolDir}.partial`;
  rmSync(staging, { recursive: true, force: true });
  mkdirSync(staging, { recursive: true });
  const size = options.imageSize;
  const manifest: PoolManifest = { imageSize: size, faces: [] };
  for (const face of faces) {
    const id = poolFaceId(face.source);
    const file = `${id}.png`;
    await sharp(crop(face), { raw: { width: size, height: size, channels: 3 } })
      .png()
      .toFile(path.join(staging, file));
    manifest.faces.push({ id, file, identity: face.identity, source: face.source });
  }
  writeFileSync(path.join(staging, "manifest.json"), `${JSON.stringify(manifest, null, 1)}\n`);
  replaceDir(staging, options.poolDir);
}

function replaceDir(staging: string, target: string): void {
  rmSync(target, { recursive: true, force: true });
  mkdirSync(path.dirname(target), { recursive: true });
  renameSync(staging, target);
}

function positiveInt(value: string): number {
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed <= 0) throw new InvalidArgumentError("expected a positive integer");
  return parsed;
}

async function main(): Promise<void> {
  const opts = new Command("data:prepare")
    .description("Crop CelebA faces for training and write the identity-disjoint quiz pool")
    .option("--celeba <dir>", "CelebA folder (img_align_celeba/ + identity_CelebA.txt)", CELEBA_DIR)
    .option("--data <dir>", "where prepared training data goes", DATA_DIR)
    .option("--pool <dir>", "where the quiz pool of real faces goes", QUIZ_POOL_DIR)
    .option("--size <n>", "crop side in pixels (64 or 128)", positiveInt, 64)
    .option("--limit <n>", "use only the first N images", positiveInt)
    .option("--skip-bad", "leave out unreadable or odd-sized images instead of stopping", false)
    .option("--face-cache <dir>", "where face-api's analyses of the real faces go", FACE_CACHE_DIR)
    .option("--no-face-analysis", "skip analysing the real faces for model:evaluate (it then does so itself)")
    .parse()
    .opts();
  const summary = await prepareData({
    celebaDir: path.resolve(opts.celeba),
    dataDir: path.resolve(opts.data),
    poolDir: path.resolve(opts.pool),
    imageSize: opts.size,
    limit: opts.limit,
    skipBad: opts.skipBad,
    progress: process.stderr.isTTY,
  });
  console.log(
    `Prepared ${summary.train} training faces (${summary.trainIdentities} people) in ${trainDir(opts.data, opts.size)}\n` +
      `and ${summary.pool} quiz-pool faces (${summary.poolIdentities} other people) in ${opts.pool}, in ${summary.seconds.toFixed(1)} s.`,
  );
  if (summary.skipped.length > 0)
    console.log(`Skipped ${summary.skipped.length} bad images: ${summary.skipped.join(", ")}`);
  if (opts.faceAnalysis) await analyseForEvaluation(path.resolve(opts.data), path.resolve(opts.pool), opts.faceCache);
}

/** Loaded on demand: face-api and tfjs are heavy, and only this step needs them. */
async function analyseForEvaluation(dataDir: string, poolDir: string, cacheDir: string): Promise<void> {
  const { selectBackend } = await import("./backends/select.ts");
  const { analyseRealFaces } = await import("./evaluate/evaluation.ts");
  const { phaseProgress } = await import("./report/phase-progress.ts");
  const started = performance.now();
  // The same backend as model:evaluate's default, so cached and fresh analyses agree.
  await selectBackend("wasm", { log: () => {} });
  const bars = phaseProgress();
  const counts = await analyseRealFaces({ dataDir, poolDir, cacheDir, phase: bars.phase }).finally(bars.stop);
  console.log(
    `Analysed ${counts.pool} quiz-pool and ${counts.training} training faces for model:evaluate into ${cacheDir}` +
      ` (cached: later runs only analyse new faces), in ${((performance.now() - started) / 1000).toFixed(1)} s.`,
  );
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  main().catch((error: unknown) => {
    if (error instanceof DataError) {
      console.error(`data:prepare: ${error.message}`);
      process.exit(2);
    }
    throw error;
  });
}
