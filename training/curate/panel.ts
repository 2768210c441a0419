/**
 * The judges a version can be scored by, set up from what is on disk: its exported discriminator, a
 * classifier trained on the spot, the face-descriptor realism score. Shared by `model:curate` (one judge, many
 * candidates) and `model:judges` (every judge, compared).
 */
import { existsSync } from "node:fs";
import path from "node:path";
import type * as tf from "@tensorflow/tfjs";
import { UserError } from "../cli/user-error.ts";
import { type FaceImages, pickFaces } from "../data/face-images.ts";
import { analyseFaces, type FaceAnalysis } from "../evaluate/face-analysis.ts";
import { FaceCache } from "../evaluate/face-cache.ts";
import { kthNeighbourDistances, MANIFOLD_K } from "../evaluate/manifold.ts";
import { loadPoolFaces } from "../evaluate/real-faces.ts";
import { DISCRIMINATOR_DIR, loadLayersModelFromDisk } from "../export/model-files.ts";
import { drawFaces, type FaceScorer } from "./curation.ts";
import { classifierSteps, DEFAULT_CLASSIFIER, networkScores, realismScores, trainClassifier } from "./judges.ts";

export const JUDGES = ["discriminator", "classifier", "realism", "detector"] as const;
export type JudgeName = (typeof JUDGES)[number];

/** The classifier's fakes come from seeds here, disjoint from the candidates it will score. */
export const CLASSIFIER_SEED_START = 3_000_000;

export interface Judge {
  name: JudgeName;
  /** What the bank records: the judge and what it was built from. */
  label: string;
  score: FaceScorer;
  dispose(): void;
}

type Phase = (name: string, total: number) => (done: number) => void;

export async function discriminatorJudge(versionDir: string): Promise<Judge | null> {
  const file = path.join(versionDir, DISCRIMINATOR_DIR, "model.json");
  if (!existsSync(file)) return null;
  const model = await loadLayersModelFromDisk(file);
  return {
    name: "discriminator",
    label: "discriminator (the version's own D, logit)",
    score: (faces, onProgress) => networkScores(model, faces, onProgress),
    dispose: () => model.dispose(),
  };
}

export interface ClassifierJudge extends Judge {
  heldOutAuc: number;
}

/** Real faces the classifier learns from (and as many fakes): enough for a clear AUC, ~1 minute natively. */
export const CLASSIFIER_REALS = 2000;

/** Trains the real-vs-fake classifier on (up to CLASSIFIER_REALS of) `reals` against as many of the generator's fakes. */
export async function classifierJudge(
  generator: tf.LayersModel,
  truncation: number | null,
  allReals: FaceImages,
  phase: Phase,
): Promise<ClassifierJudge> {
  const reals = pickFaces(
    allReals,
    Array.from({ length: Math.min(CLASSIFIER_REALS, allReals.count) }, (_, i) => i),
  );
  const seeds = Array.from({ length: reals.count }, (_, i) => CLASSIFIER_SEED_START + i);
  const fakes = await drawFaces(generator, seeds, truncation, reals.size, phase("classifier: fakes", seeds.length));
  const steps = classifierSteps(reals.count, fakes.count);
  const { model, heldOutAuc } = await trainClassifier(
    reals,
    fakes,
    DEFAULT_CLASSIFIER,
    phase("classifier: training", steps),
  );
  return {
    name: "classifier",
    label: `classifier (fresh D, ndf ${DEFAULT_CLASSIFIER.ndf}, ${DEFAULT_CLASSIFIER.epochs} epochs on ${reals.count} reals vs ${fakes.count} fakes; held-out AUC ${heldOutAuc.toFixed(3)})`,
    score: (faces, onProgress) => networkScores(model, faces, onProgress),
    dispose: () => model.dispose(),
    heldOutAuc,
  };
}

/** Real descriptors the realism score measures against (judge reals, never the evaluation's). */
export const REALISM_REALS = 1000;

export interface RealismJudge extends Judge {
  /** Every face it scored, analysed, in scoring order: curation reuses them instead of analysing again. */
  analyses: FaceAnalysis[];
  /** The real descriptors a matched selection is matched to (by default the ones it scores against). */
  matchingReals: readonly Float32Array[];
}

/** The realism score against `realDescriptors` (needs face-api on every candidate: ~24 ms a face). */
export function realismJudge(
  realDescriptors: readonly Float32Array[],
  matchingReals: readonly Float32Array[] = realDescriptors,
): RealismJudge {
  const analyses: FaceAnalysis[] = [];
  // The reals' k-NN radii once, not per chunk of candidates.
  const radii = kthNeighbourDistances(realDescriptors, MANIFOLD_K);
  return {
    name: "realism",
    label: `realism (Kynkäänniemi et al., k = ${MANIFOLD_K}, ${realDescriptors.length} real descriptors) × detector score`,
    score: async (faces, onProgress) => {
      const analysed = await analyseFaces(faces, onProgress);
      analyses.push(...analysed);
      return realismScores(analysed, realDescriptors, MANIFOLD_K, radii);
    },
    dispose: () => {},
    analyses,
    matchingReals,
  };
}

/**
 * Quiz-pool faces a judge may learn from: every pool face except the ones evaluations measure against (the
 * sample `evaluation` describes), so that a judge never selects fakes for their likeness to the very faces the
 * selection is then scored on.
 */
export async function judgeReals(poolDir: string, evaluation: { samples: number; seed: number }): Promise<FaceImages> {
  const { images } = await loadPoolFaces(poolDir, evaluation.samples, evaluation.seed, "rest");
  if (images.count < 4)
    throw new UserError(
      `the quiz pool in ${poolDir} has ${images.count} faces beyond the ${evaluation.samples} evaluations use: a judge needs more (npm run data:prepare)`,
    );
  return images;
}

/** Descriptors of (up to `limit`) judge reals, from the face cache where it has them. */
export async function realDescriptors(cacheDir: string, reals: FaceImages, limit: number, phase: Phase) {
  const some = pickFaces(
    reals,
    Array.from({ length: Math.min(limit, reals.count) }, (_, i) => i),
  );
  return FaceCache.open(cacheDir).describe(some, phase("judge reals: descriptors", some.count));
}
