/**
 * Improved precision and recall (Kynkäänniemi et al. 2019) over face descriptors.
 *
 * FD summarises a whole sample in two moments, so a few garbled faces among a thousand barely move it: the
 * long runs passed FD ≤ 0.05 with ~8 broken faces in every 64 (docs/training-runs.md). Precision counts faces
 * one by one — the share of fakes that fall inside the real faces' manifold (some real face's
 * k-th-nearest-neighbour ball) — so a broken face counts fully; recall is the same test the other way round
 * (the share of real faces the fakes' manifold covers), so precision cannot be bought with fewer kinds of face.
 */
import { descriptorDistance } from "./distance.ts";

/** Each point's ball reaches its k-th nearest neighbour; the paper's k = 3. */
export const MANIFOLD_K = 3;

/** Each descriptor's distance to its k-th nearest neighbour among the others. */
export function kthNeighbourDistances(descriptors: readonly Float32Array[], k = MANIFOLD_K): Float64Array {
  if (descriptors.length <= k) throw new RangeError(`a manifold needs more than k = ${k} descriptors`);
  return Float64Array.from(descriptors, (a, i) => {
    const distances = descriptors.flatMap((b, j) => (i === j ? [] : [descriptorDistance(a, b)]));
    return distances.sort((x, y) => x - y)[k - 1] as number;
  });
}

/** The share of `points` inside the manifold of `support`: within radii[i] of some support[i]. */
export function shareInside(
  points: readonly Float32Array[],
  support: readonly Float32Array[],
  radii: ArrayLike<number> = kthNeighbourDistances(support),
): number {
  if (points.length === 0) return 0;
  const inside = points.filter((p) => support.some((s, i) => descriptorDistance(p, s) <= (radii[i] as number)));
  return inside.length / points.length;
}

export function precisionRecall(
  fakes: readonly Float32Array[],
  reals: readonly Float32Array[],
): { precision: number; recall: number } {
  return { precision: shareInside(fakes, reals), recall: shareInside(reals, fakes) };
}
