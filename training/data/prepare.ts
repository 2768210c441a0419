/**
 * Data preparation: CelebA folder → face crops for training + the identity-disjoint quiz pool.
 *
 *   npm run data:prepare -- [--celeba <dir>] [--size 64|128] [--limit N] [--skip-bad]
 *
 * Splits the listed faces by identity first (the identity file says who is who), then crops and writes each
 * set as a stream (training-set.ts, quiz-pool.ts): memory stays flat on the full CelebA. Each output is
 * staged and renamed, so an interrupted run never leaves a half-written dataset behind. The game's own
 * start-up (scripts/start.ts) calls prepareQuizPool alone: it needs no training crops.
 *
 * What face-api makes of these real faces, for evaluation, is the evaluate stage's next step:
 * `npm run data:analyse` (training/evaluate/analyse-real-faces.ts).
 */
import path from "node:path";
import { SingleBar } from "cli-progress";
import { CELEBA_DIR, DATA_DIR, QUIZ_POOL_DIR } from "../../config/settings.ts";
import { positiveInteger } from "../cli/numbers.ts";
import { commandLine, isEntryPoint, runCommand } from "../cli/run-command.ts";
import { type CelebaFace, listFaces } from "./celeba.ts";
import { trainDir } from "./prepared.ts";
import { choosePoolFaces, writeQuizPool } from "./quiz-pool.ts";
import { splitByIdentity } from "./split.ts";
import { writeTrainingSet } from "./training-set.ts";

export interface PoolOptions {
  celebaDir: string;
  poolDir: string;
  imageSize: number;
  /** Use only the first N images (by name): for tests and quick looks. */
  limit?: number;
  /** Leave out unreadable or odd-sized images instead of stopping. */
  skipBad?: boolean;
  /** Faces in the quiz pool at most; default POOL_CAP. */
  poolCap?: number;
  progress?: boolean;
}

export interface PrepareOptions extends PoolOptions {
  dataDir: string;
}

export interface PoolSummary {
  pool: number;
  poolIdentities: number;
  /** Faces of held-out people in the folder; the pool keeps up to POOL_CAP of them. */
  heldOut: number;
  heldOutIdentities: number;
  skipped: string[];
  seconds: number;
}

export interface PrepareSummary extends PoolSummary {
  train: number;
  trainIdentities: number;
}

/** The training crops and the quiz pool. */
export async function prepareData(options: PrepareOptions): Promise<PrepareSummary> {
  const started = performance.now();
  const { train, pool: heldOut } = splitByIdentity(listLimited(options));
  const pool = choosePoolFaces(heldOut, options.poolCap);
  const bar = progressBar(options, train.length + pool.length);
  try {
    const training = await writeTrainingSet(train, { ...options, onFace: () => bar?.increment() });
    const poolSkipped = await writeQuizPool(pool, { ...options, onFace: () => bar?.increment() });
    return {
      train: training.written.length,
      trainIdentities: peopleIn(training.written),
      ...poolSummary(pool, heldOut, poolSkipped, started),
      skipped: [...training.skipped, ...poolSkipped].sort(),
    };
  } finally {
    bar?.stop();
  }
}

/** The quiz pool alone: what the game needs, without cropping a single training face. */
export async function prepareQuizPool(options: PoolOptions): Promise<PoolSummary> {
  const started = performance.now();
  const heldOut = splitByIdentity(listLimited(options)).pool;
  const pool = choosePoolFaces(heldOut, options.poolCap);
  const bar = progressBar(options, pool.length);
  try {
    const skipped = await writeQuizPool(pool, { ...options, onFace: () => bar?.increment() });
    return poolSummary(pool, heldOut, skipped, started);
  } finally {
    bar?.stop();
  }
}

function listLimited(options: PoolOptions): CelebaFace[] {
  return listFaces(options.celebaDir).slice(0, options.limit ?? Number.POSITIVE_INFINITY);
}

function progressBar(options: PoolOptions, total: number): SingleBar | null {
  if (!options.progress) return null;
  // Logs and pipes get a line every few seconds instead of a redrawn bar.
  const bar = new SingleBar({
    format: "cropping {bar} {value}/{total} faces | ETA {eta}s",
    noTTYOutput: !process.stderr.isTTY,
    notTTYSchedule: 5000,
  });
  bar.start(total, 0);
  return bar;
}

function poolSummary(
  pool: readonly CelebaFace[],
  heldOut: readonly CelebaFace[],
  skipped: readonly string[],
  started: number,
): PoolSummary {
  const bad = new Set(skipped);
  const kept = pool.filter((face) => !bad.has(face.source));
  return {
    pool: kept.length,
    poolIdentities: peopleIn(kept),
    heldOut: heldOut.length,
    heldOutIdentities: peopleIn(heldOut),
    skipped: [...skipped],
    seconds: (performance.now() - started) / 1000,
  };
}

const peopleIn = (faces: readonly CelebaFace[]) => new Set(faces.map((face) => face.identity)).size;

async function main(): Promise<void> {
  const opts = commandLine("data:prepare")
    .description("Crop CelebA faces for training and write the identity-disjoint quiz pool")
    .option("--celeba <dir>", "CelebA folder (img_align_celeba/ + identity_CelebA.txt)", CELEBA_DIR)
    .option("--data <dir>", "where prepared training data goes", DATA_DIR)
    .option("--pool <dir>", "where the quiz pool of real faces goes", QUIZ_POOL_DIR)
    .option("--size <n>", "crop side in pixels (64 or 128)", positiveInteger, 64)
    .option("--limit <n>", "use only the first N images", positiveInteger)
    .option("--skip-bad", "leave out unreadable or odd-sized images instead of stopping", false)
    .parse()
    .opts();
  const summary = await prepareData({
    celebaDir: path.resolve(opts.celeba),
    dataDir: path.resolve(opts.data),
    poolDir: path.resolve(opts.pool),
    imageSize: opts.size,
    limit: opts.limit,
    skipBad: opts.skipBad,
    progress: true,
  });
  console.log(
    `Prepared ${summary.train} training faces (${summary.trainIdentities} people) in ${trainDir(opts.data, opts.size)}\n` +
      `and ${summary.pool} quiz-pool faces (${summary.poolIdentities} other people, of ${summary.heldOut} held-out faces) ` +
      `in ${opts.pool}, in ${summary.seconds.toFixed(1)} s.`,
  );
  if (summary.skipped.length > 0)
    console.log(`Skipped ${summary.skipped.length} bad images: ${summary.skipped.join(", ")}`);
  console.log("Next: npm run data:analyse, so that each model:evaluate only has to analyse its fakes.");
}

if (isEntryPoint(import.meta.url)) runCommand("data:prepare", main);
