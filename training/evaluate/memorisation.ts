/**
 * Memorisation: how close each generated face comes to a face the generator was trained on, by
 * descriptor distance. A fake within the same-person threshold of a training face may be a copy of that
 * person; held-out real faces measured the same way give the floor, since strangers can look alike (among
 * thousands of training faces, most people have a near look-alike).
 */
import { descriptorDistance, SAME_PERSON_THRESHOLD } from "./distance.ts";

export interface NearestNeighbour {
  index: number;
  distance: number;
}

export function nearestNeighbours(
  queries: readonly Float32Array[],
  references: readonly Float32Array[],
): NearestNeighbour[] {
  if (references.length === 0) throw new RangeError("no reference descriptors to compare with");
  return queries.map((query) => {
    let best: NearestNeighbour = { index: -1, distance: Number.POSITIVE_INFINITY };
    references.forEach((reference, index) => {
      const distance = descriptorDistance(query, reference);
      if (distance < best.distance) best = { index, distance };
    });
    return best;
  });
}

export function shareBelow(neighbours: readonly NearestNeighbour[], threshold: number): number {
  if (neighbours.length === 0) return 0;
  return neighbours.filter((n) => n.distance < threshold).length / neighbours.length;
}

export function medianDistance(neighbours: readonly NearestNeighbour[]): number {
  const sorted = neighbours.map((n) => n.distance).sort((a, b) => a - b);
  if (sorted.length === 0) return Number.NaN;
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1
    ? (sorted[mid] as number)
    : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

/** The share of held-out real people allowed under the near-copy distance: it is calibrated on them. */
export const NEAR_COPY_QUANTILE = 0.01;
/** Closest fake–training pairs kept for a person to look at. */
const CLOSEST_PAIRS = 5;

export interface Memorisation {
  /** Share of fakes within the same-person threshold of a training face. */
  memorisationShare: number;
  realMemorisationShare: number;
  nearestTrainingMedian?: number;
  realNearestTrainingMedian?: number;
  /**
   * The same-person threshold is loose for this question: among thousands of training faces almost everyone
   * has a look-alike that close. A copy must be closer than nearly all unseen people get: this distance is the
   * 1st percentile of held-out real faces' nearest-training distances, so real faces score 1 % by design.
   */
  copyThreshold?: number;
  nearCopyShare: number;
  closestPairs: { seed: number; source: string; distance: number }[];
}

export interface Described {
  descriptor: Float32Array;
}

export function measureMemorisation(
  fakes: readonly (Described & { seed: number })[],
  reals: readonly Described[],
  training: readonly (Described & { source: string })[],
): Memorisation {
  const references = training.map((t) => t.descriptor);
  const fakeNearest = nearestNeighbours(
    fakes.map((f) => f.descriptor),
    references,
  );
  const realNearest = nearestNeighbours(
    reals.map((r) => r.descriptor),
    references,
  );
  const realSorted = realNearest.map((n) => n.distance).sort((a, b) => a - b);
  const copyThreshold = realSorted.length > 0 ? quantile(realSorted, NEAR_COPY_QUANTILE) : undefined;
  const closestPairs = fakeNearest
    .map((n, i) => ({
      seed: (fakes[i] as { seed: number }).seed,
      source: (training[n.index] as { source: string }).source,
      distance: n.distance,
    }))
    .sort((a, b) => a.distance - b.distance)
    .slice(0, CLOSEST_PAIRS);
  return {
    memorisationShare: shareBelow(fakeNearest, SAME_PERSON_THRESHOLD),
    realMemorisationShare: shareBelow(realNearest, SAME_PERSON_THRESHOLD),
    ...(fakeNearest.length > 0 ? { nearestTrainingMedian: medianDistance(fakeNearest) } : {}),
    ...(realNearest.length > 0 ? { realNearestTrainingMedian: medianDistance(realNearest) } : {}),
    ...(copyThreshold !== undefined ? { copyThreshold } : {}),
    nearCopyShare: copyThreshold === undefined ? 0 : shareBelow(fakeNearest, copyThreshold),
    closestPairs,
  };
}

/** Linear interpolation between order statistics of a sorted list. */
export function quantile(sorted: readonly number[], p: number): number {
  const position = p * (sorted.length - 1);
  const low = Math.floor(position);
  const high = Math.min(low + 1, sorted.length - 1);
  const lowValue = sorted[low] as number;
  return lowValue + (position - low) * ((sorted[high] as number) - lowValue);
}
