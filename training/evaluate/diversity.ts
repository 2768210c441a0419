/**
 * Diversity: the mean distance between every pair of descriptors in a set. A generator that collapses
 * onto a few faces scores far below real faces, whose pairs are mostly different people (~0.8).
 */
import { descriptorDistance } from "./distance.ts";

export function meanPairwiseDistance(descriptors: readonly Float32Array[]): number {
  let sum = 0;
  let pairs = 0;
  for (let i = 0; i < descriptors.length; i++) {
    for (let j = i + 1; j < descriptors.length; j++) {
      sum += descriptorDistance(descriptors[i] as Float32Array, descriptors[j] as Float32Array);
      pairs++;
    }
  }
  if (pairs === 0) throw new RangeError(`need at least 2 descriptors, got ${descriptors.length}`);
  return sum / pairs;
}
