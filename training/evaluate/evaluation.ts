/**
 * One evaluation of a generator: N seeded fakes against up to N held-out real faces and the training set.
 */
import * as tf from "@tensorflow/tfjs";
import { generateFaces } from "../../src/core/generate-faces.ts";
import type { ModelMetrics } from "../../src/core/model-manifest.ts";
import { meanPairwiseDistance } from "./diversity.ts";
import { analyseFaces, type FaceAnalysis, isDetected, PROTOCOL } from "./face-analysis.ts";
import { FaceCache } from "./face-cache.ts";
import { frechetDistanceOf } from "./frechet.ts";
import { FAKES_PER_BATCH, type GeneratorSource } from "./generator-source.ts";
import { MANIFOLD_K, precisionRecall } from "./manifold.ts";
import { measureMemorisation } from "./memorisation.ts";
import { identityHalves, loadPoolFaces, loadTrainingFaces, type PoolFaces, type TrainingFaces } from "./real-faces.ts";

/** What `model:evaluate` uses unless told otherwise; data:analyse analyses the real faces these pick. */
export const DEFAULT_SAMPLES = 1000;
export const DEFAULT_SEED = 1;

export interface EvaluationOptions {
  samples: number;
  /** Fakes use seeds seed, seed + 1, …; the same seed picks and splits the real faces. */
  seed: number;
  truncation: number | null;
  poolDir: string;
  dataDir: string;
  cacheDir: string;
  /** Training faces to compare with (a fixed sample spread over people); default TRAINING_SAMPLE. */
  trainingSample?: number;
  /** Called at the start of each phase; returns the phase's progress callback. */
  phase?: (name: string, total: number) => (done: number) => void;
}

export async function evaluateGenerator(source: GeneratorSource, options: EvaluationOptions): Promise<ModelMetrics> {
  const started = performance.now();
  const phase = options.phase ?? (() => () => {});
  const references = await loadReferences(options);
  const seeds = Array.from({ length: options.samples }, (_, i) => options.seed + i);
  const size = references.pool.images.size;
  const images = await generateFaces(
    tf,
    source.model,
    seeds.map((seed) => ({ seed, truncation: options.truncation })),
    { size, batchSize: FAKES_PER_BATCH, onProgress: phase("generating", seeds.length) },
  );
  const fakes = await analyseFaces(images, phase("generated faces", seeds.length));
  return { ...scoreFakes(fakes, seeds, references, options), wallSeconds: (performance.now() - started) / 1000 };
}

/** The real faces every evaluation compares with, analysed (from the cache when it has them). */
export interface References {
  pool: PoolFaces;
  reals: FaceAnalysis[];
  training: TrainingFaces;
  trainingDescriptors: Float32Array[];
}

export async function loadReferences(options: EvaluationOptions): Promise<References> {
  const phase = options.phase ?? (() => () => {});
  const cache = FaceCache.open(options.cacheDir);
  const pool = await loadPoolFaces(options.poolDir, options.samples, options.seed);
  const count = pool.images.count;
  const scores = await cache.detect(pool.images, phase("real faces: detection", count));
  const descriptors = await cache.describe(pool.images, phase("real faces: descriptors", count));
  const reals = scores.map((score, i) => ({ score, descriptor: descriptors[i] as Float32Array }));
  const training = loadTrainingFaces(options.dataDir, pool.images.size, options.trainingSample);
  const trainingDescriptors = await cache.describe(training.images, phase("training faces", training.images.count));
  return { pool, reals, training, trainingDescriptors };
}

/**
 * Analyses the real faces a default evaluation uses (DEFAULT_SAMPLES pool faces picked by DEFAULT_SEED, the
 * training sample) into the cache: the slow part of a first evaluation (~11,000 faces × ~30 ms on 2 idle
 * cores), done once by data:analyse. Another seed or sample size analyses its other pool faces on first use.
 */
export async function analyseRealFaces(
  options: Pick<EvaluationOptions, "poolDir" | "dataDir" | "cacheDir" | "phase" | "trainingSample">,
): Promise<{ pool: number; training: number; trainingTotal: number }> {
  const references = await loadReferences({
    ...options,
    samples: DEFAULT_SAMPLES,
    seed: DEFAULT_SEED,
    truncation: null,
  });
  return {
    pool: references.reals.length,
    training: references.trainingDescriptors.length,
    trainingTotal: references.training.total,
  };
}

/** The metrics of analysed fakes (fakes[i] drawn from seeds[i]) against the references. */
export function scoreFakes(
  fakes: readonly FaceAnalysis[],
  seeds: readonly number[],
  { pool, reals, training, trainingDescriptors }: References,
  options: Pick<EvaluationOptions, "seed" | "truncation">,
): Omit<ModelMetrics, "wallSeconds"> {
  const fakeDescriptors = fakes.map((f) => f.descriptor);
  const realDescriptors = reals.map((r) => r.descriptor);
  const [halfA, halfB] = identityHalves(pool.identities, options.seed);
  const pick = (i: number) => realDescriptors[i] as Float32Array;
  // Only faces can be copies of faces: an undetected blob near some training descriptor is no memorisation.
  const memorisation = measureMemorisation(
    fakes.map((f, i) => ({ ...f, seed: seeds[i] as number })).filter(isDetected),
    reals.filter(isDetected),
    trainingDescriptors.map((descriptor, i) => ({ descriptor, source: training.sources[i] as string })),
  );
  return {
    evaluatedAt: new Date().toISOString(),
    protocol: PROTOCOL,
    samples: fakes.length,
    seed: options.seed,
    truncation: options.truncation,
    realSamples: reals.length,
    trainingFaces: trainingDescriptors.length,
    trainingFacesTotal: training.total,
    detectionRate: detectionRate(fakes),
    meanDetectionScore: meanScore(fakes),
    realDetectionRate: detectionRate(reals),
    realMeanDetectionScore: meanScore(reals),
    faceFd: frechetDistanceOf(fakeDescriptors, realDescriptors),
    realVsRealFd: frechetDistanceOf(halfA.map(pick), halfB.map(pick)),
    // FD falls with sample size, so the baseline's small halves need fakes at the same size to compare with.
    halfFaceFd: frechetDistanceOf(fakeDescriptors.slice(0, halfA.length), halfB.map(pick)),
    ...memorisation,
    diversity: meanPairwiseDistance(fakeDescriptors),
    realDiversity: meanPairwiseDistance(realDescriptors),
    ...manifoldMetrics("", fakeDescriptors, realDescriptors),
    ...manifoldMetrics("half", fakeDescriptors.slice(0, halfA.length), halfB.map(pick)),
    ...manifoldMetrics("real", halfA.map(pick), halfB.map(pick)),
  };
}

/**
 * Precision and recall (manifold.ts), or nothing when either set is too small to have a manifold (toy runs):
 * `halfPrecision` etc. with a prefix.
 */
function manifoldMetrics(
  prefix: "" | "half" | "real",
  fakes: readonly Float32Array[],
  reals: readonly Float32Array[],
): Partial<ModelMetrics> {
  if (fakes.length <= MANIFOLD_K || reals.length <= MANIFOLD_K) return {};
  const { precision, recall } = precisionRecall(fakes, reals);
  if (prefix === "") return { precision, recall };
  return { [`${prefix}Precision`]: precision, [`${prefix}Recall`]: recall };
}

function detectionRate(analyses: readonly { score: number }[]): number {
  return analyses.filter(isDetected).length / analyses.length;
}

/** Mean of each face's best score, 0 where nothing was found: it keeps falling below the threshold. */
function meanScore(analyses: readonly { score: number }[]): number {
  return analyses.reduce((sum, a) => sum + a.score, 0) / analyses.length;
}
