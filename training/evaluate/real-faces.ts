/**
 * The real faces an evaluation compares with: held-out quiz-pool faces (people the generator never saw)
 * and a fixed sample of the training faces (for memorisation).
 */
import path from "node:path";
import sharp from "sharp";
import { seededUniform } from "../../src/core/noise.ts";
import { UserError } from "../cli/user-error.ts";
import type { FaceImages } from "../data/face-images.ts";
import { loadTrainingSubset, readPoolManifest, readTrainManifest } from "../data/prepared.ts";
import { spreadOverPeople } from "../data/spread.ts";

export interface PoolFaces {
  images: FaceImages;
  /** The CelebA identity of each face, in order. */
  identities: number[];
}

/**
 * Up to `limit` quiz-pool faces; a larger pool is sampled reproducibly with `seed`. `"rest"` gives the other
 * faces instead: every pool face that sample leaves out (what curation's judges may learn from, since
 * evaluations measure against the sample).
 */
export async function loadPoolFaces(
  poolDir: string,
  limit: number,
  seed: number,
  which: "sample" | "rest" = "sample",
): Promise<PoolFaces> {
  const manifest = readPoolManifest(poolDir);
  if (!manifest || manifest.faces.length < 4) {
    throw new UserError(`No quiz pool of real faces in ${poolDir} (need at least 4). Run: npm run data:prepare`);
  }
  const order = shuffled(manifest.faces.length, seed);
  const chosen = (which === "sample" ? order.slice(0, limit) : order.slice(limit)).sort((a, b) => a - b);
  const size = manifest.imageSize;
  const pixels = new Uint8Array(chosen.length * size * size * 3);
  for (const [slot, index] of chosen.entries()) {
    const face = manifest.faces[index] as (typeof manifest.faces)[number];
    const { data, info } = await sharp(path.join(poolDir, face.file))
      .removeAlpha()
      .raw()
      .toBuffer({ resolveWithObject: true });
    if (info.width !== size || info.height !== size || info.channels !== 3) {
      throw new UserError(`${face.file} is ${info.width}×${info.height}×${info.channels}, expected ${size}×${size}×3.`);
    }
    pixels.set(data, slot * size * size * 3);
  }
  const identities = chosen.map((index) => (manifest.faces[index] as (typeof manifest.faces)[number]).identity);
  return { images: { size, count: chosen.length, pixels }, identities };
}

/**
 * Two halves of a set of faces with no person in both, as near equal in size as whole people allow:
 * the real-vs-real baseline must compare strangers, as fakes vs reals does.
 */
export function identityHalves(identities: readonly number[], seed: number): [number[], number[]] {
  const byPerson = new Map<number, number[]>();
  for (const [index, identity] of identities.entries())
    byPerson.set(identity, [...(byPerson.get(identity) ?? []), index]);
  const people = [...byPerson.values()];
  const halves: [number[], number[]] = [[], []];
  for (const index of shuffled(people.length, seed)) {
    const smaller = halves[0].length <= halves[1].length ? halves[0] : halves[1];
    smaller.push(...(people[index] as number[]));
  }
  return halves;
}

/**
 * Training faces compared with each fake, at most: describing a face costs ~30 ms, so all 53,331 training
 * faces of the 59k folder would make a half-hour first evaluation (an hour and a half on the full CelebA).
 * 10,000 spread over people (spread.ts) still include every training person while there are fewer than
 * 10,000 of them (8,497 in the 59k folder, 9,137 in the full CelebA). The near-copy distance is calibrated
 * against the same sample (docs/model-evaluation.md says what it misses).
 */
export const TRAINING_SAMPLE = 10_000;
const TRAINING_SAMPLE_SALT = "spot-the-fake face-analysis training sample";

export interface TrainingFaces {
  images: FaceImages;
  /** The CelebA file each face was cropped from, in order. */
  sources: string[];
  /** Training faces in the prepared set, of which these are a sample. */
  total: number;
}

/** The fixed sample of `sample` training faces (all of them when there are no more). */
export function loadTrainingFaces(dataDir: string, imageSize: number, sample = TRAINING_SAMPLE): TrainingFaces {
  const manifest = readTrainManifest(dataDir, imageSize);
  const indexed = manifest.faces.map((face, index) => ({ ...face, index }));
  const chosen = spreadOverPeople(indexed, sample, TRAINING_SAMPLE_SALT);
  const pixels = loadTrainingSubset(
    dataDir,
    manifest,
    chosen.map((face) => face.index),
  );
  return {
    images: { size: imageSize, count: chosen.length, pixels },
    sources: chosen.map((face) => face.source),
    total: manifest.count,
  };
}

/** 0 … n−1 in a seeded random order (Fisher–Yates). */
export function shuffled(n: number, seed: number): number[] {
  const uniform = seededUniform(seed);
  const order = Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(uniform() * (i + 1));
    [order[i], order[j]] = [order[j] as number, order[i] as number];
  }
  return order;
}
