/**
 * Curation: score many random latents of a version with a realism judge and keep the best as its seed bank
 * (src/core/seed-bank.ts), leaving out faces that copy a training face or repeat another kept face.
 */
import * as tf from "@tensorflow/tfjs";
import { type FakeRequest, generateFaces } from "../../src/core/generate-faces.ts";
import type { BankSeed } from "../../src/core/seed-bank.ts";
import type { FaceImages } from "../data/face-images.ts";
import { descriptorDistance } from "../evaluate/distance.ts";
import type { FaceAnalysis } from "../evaluate/face-analysis.ts";
import { NEAR_COPY_QUANTILE, nearestNeighbours, quantile } from "../evaluate/memorisation.ts";

/**
 * Candidate seeds start here: far from the seeds evaluations (1…) and sample grids (0–63) use, so a bank's
 * faces are never the ones its model card was measured on.
 */
export const CANDIDATE_SEED_START = 2_000_000;

/** Faces generated and scored at a time: bounds memory (20,000 faces at 64 px are 245 MB as bytes). */
const CHUNK = 1000;
/** Faces per pass through the generator. */
const BATCH = 64;

/** Seeds' faces as the site draws them, at `size` px. */
export function drawFaces(
  generator: tf.LayersModel,
  seeds: readonly number[],
  truncation: number | null,
  size: number,
  onProgress?: (done: number) => void,
): Promise<FaceImages> {
  const requests: FakeRequest[] = seeds.map((seed) => ({ seed, truncation }));
  return generateFaces(tf, generator, requests, { size, batchSize: BATCH, ...(onProgress ? { onProgress } : {}) });
}

export type FaceScorer = (faces: FaceImages, onProgress: (done: number) => void) => Promise<Float32Array>;

/** Every seed's face, generated as the site draws it and scored by `score`, chunk by chunk. */
export async function scoreCandidates(
  generator: tf.LayersModel,
  seeds: readonly number[],
  truncation: number | null,
  size: number,
  score: FaceScorer,
  onProgress: (done: number) => void = () => {},
): Promise<Float32Array> {
  const scores = new Float32Array(seeds.length);
  for (let from = 0; from < seeds.length; from += CHUNK) {
    const chunk = seeds.slice(from, from + CHUNK);
    const faces = await drawFaces(generator, chunk, truncation, size);
    scores.set(await score(faces, (done) => onProgress(from + done)), from);
  }
  onProgress(seeds.length);
  return scores;
}

/** Indices of `scores` from highest to lowest (ties: lower index first). */
export function ranking(scores: ArrayLike<number>): number[] {
  return Array.from({ length: scores.length }, (_, i) => i).sort(
    (a, b) => (scores[b] as number) - (scores[a] as number) || a - b,
  );
}

export interface BankChoice {
  seeds: BankSeed[];
  /** Why candidates among the best were passed over. */
  nearCopies: number;
  nearDuplicates: number;
}

/**
 * Walks the shortlist from the best score down and keeps up to `keep` seeds, skipping a face closer to a
 * training face than `copyThreshold` (a near copy) or closer than `duplicateThreshold` to a face already kept.
 */
export function chooseBank(
  shortlist: readonly { seed: number; score: number; analysis: FaceAnalysis }[],
  trainingDescriptors: readonly Float32Array[],
  thresholds: { copy: number; duplicate: number },
  keep: number,
  truncation: number | null,
): BankChoice {
  const nearest = nearestNeighbours(
    shortlist.map((c) => c.analysis.descriptor),
    trainingDescriptors,
  );
  const kept: { seed: BankSeed; descriptor: Float32Array }[] = [];
  let nearCopies = 0;
  let nearDuplicates = 0;
  const order = ranking(shortlist.map((c) => c.score));
  for (const i of order) {
    if (kept.length >= keep) break;
    const candidate = shortlist[i] as (typeof shortlist)[number];
    if ((nearest[i]?.distance ?? Number.POSITIVE_INFINITY) < thresholds.copy) {
      nearCopies++;
      continue;
    }
    const descriptor = candidate.analysis.descriptor;
    if (kept.some((k) => descriptorDistance(k.descriptor, descriptor) < thresholds.duplicate)) {
      nearDuplicates++;
      continue;
    }
    kept.push({ seed: { seed: candidate.seed, truncation, score: candidate.score }, descriptor });
  }
  return { seeds: kept.map((k) => k.seed), nearCopies, nearDuplicates };
}

/** As the evaluation's: closer to a training face than 99 % of held-out real people get. */
export function copyThreshold(realDescriptors: Float32Array[], trainingDescriptors: Float32Array[]): number {
  const distances = nearestNeighbours(realDescriptors, trainingDescriptors)
    .map((n) => n.distance)
    .sort((a, b) => a - b);
  return quantile(distances, NEAR_COPY_QUANTILE);
}

/**
 * Distribution matching: each reference real face in turn takes the candidate nearest to it in descriptor space
 * that nobody has taken (references are cycled when more picks than references are asked for). The selection
 * then mirrors the real faces' spread — what face FD measures — while every pick sits close to some real face;
 * ranking candidates by a per-face score instead piles the selection onto the most typical faces (docs/curation.md).
 * Returns candidate indices in the order they were picked.
 */
export function matchReferences(
  candidates: readonly Float32Array[],
  references: readonly Float32Array[],
  count: number,
  options: { eligible?: (index: number) => boolean; duplicate?: number } = {},
): { picked: number[]; nearDuplicates: number } {
  if (references.length === 0) throw new RangeError("matching needs at least one reference face");
  const eligible = options.eligible ?? (() => true);
  const taken = Uint8Array.from(candidates, (_, i) => (eligible(i) ? 0 : 1));
  const picked: number[] = [];
  let nearDuplicates = 0;
  for (let r = 0; picked.length < count; r++) {
    const reference = references[r % references.length] as Float32Array;
    let best = -1;
    let bestDistance = Number.POSITIVE_INFINITY;
    for (const [i, candidate] of candidates.entries()) {
      if (taken[i]) continue;
      const distance = descriptorDistance(reference, candidate);
      if (distance < bestDistance) {
        best = i;
        bestDistance = distance;
      }
    }
    if (best < 0) break;
    taken[best] = 1;
    picked.push(best);
    // A face too close to one already picked would show the same person twice: it leaves the race.
    if (options.duplicate === undefined) continue;
    const chosen = candidates[best] as Float32Array;
    for (const [i, candidate] of candidates.entries()) {
      if (!taken[i] && descriptorDistance(chosen, candidate) < options.duplicate) {
        taken[i] = 1;
        nearDuplicates++;
      }
    }
  }
  return { picked, nearDuplicates };
}
