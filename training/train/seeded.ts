/**
 * Randomness for training that depends only on (run seed, step, purpose). A resumed run therefore
 * draws exactly the batches, noise and augmentations the uninterrupted run would have drawn, and
 * the checkpoint needs no random-generator state.
 */
import { seededUniform } from "../../src/core/noise.ts";

const PURPOSES = [
  "batch",
  "z-d",
  "z-g",
  "labels",
  "instance-noise",
  "augment-real-d",
  "augment-fake-d",
  "augment-fake-g",
] as const;
export type Purpose = (typeof PURPOSES)[number];

/** A 32-bit seed for tfjs' seeded random ops (tf.randomNormal(..., seed)). */
export function stepSeed(runSeed: number, step: number, purpose: Purpose): number {
  const mix = seededUniform((runSeed * 0x9e3779b1 + step * 0x85ebca6b + PURPOSES.indexOf(purpose) * 0xc2b2ae35) >>> 0);
  mix();
  return Math.floor(mix() * 0xffffffff);
}

/** A seeded uniform source in [0, 1) for randomness drawn in JavaScript (batch indices, augment offsets). */
export function stepUniform(runSeed: number, step: number, purpose: Purpose): () => number {
  return seededUniform(stepSeed(runSeed, step, purpose));
}
