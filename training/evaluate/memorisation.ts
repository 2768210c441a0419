/**
 * Memorisation: how close each generated face comes to a face the generator was trained on, by
 * descriptor distance. A fake within the same-person threshold of a training face may be a copy of that
 * person; held-out real faces measured the same way give the floor, since strangers can look alike (among
 * thousands of training faces, most people have a near look-alike).
 */
import { descriptorDistance } from "./distance.ts";

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
