/**
 * Fréchet distance between two sets of vectors, each summarised as a Gaussian (mean, covariance):
 *
 *   FD = |μ1 − μ2|² + tr Σ1 + tr Σ2 − 2 tr (Σ1^½ Σ2 Σ1^½)^½
 *
 * The cross term is written with Σ1^½ Σ2 Σ1^½ rather than the usual (Σ1 Σ2)^½: it has the same trace but is
 * symmetric positive semi-definite, so both square roots come from symmetric eigendecompositions, which
 * are stable, instead of a general matrix square root of a non-symmetric product.
 */
import { EigenvalueDecomposition, Matrix } from "ml-matrix";

export interface Gaussian {
  mean: number[];
  covariance: Matrix;
  count: number;
}

/** Mean and unbiased (n − 1) covariance of the rows. */
export function fitGaussian(samples: readonly ArrayLike<number>[]): Gaussian {
  const first = samples[0];
  if (!first || samples.length < 2) throw new RangeError(`need at least 2 samples, got ${samples.length}`);
  const dim = first.length;
  const mean = new Array<number>(dim).fill(0);
  for (const row of samples) for (let j = 0; j < dim; j++) mean[j] = (mean[j] as number) + (row[j] as number);
  for (let j = 0; j < dim; j++) mean[j] = (mean[j] as number) / samples.length;
  const centred = new Matrix(samples.length, dim);
  samples.forEach((row, i) => {
    for (let j = 0; j < dim; j++) centred.set(i, j, (row[j] as number) - (mean[j] as number));
  });
  const covariance = centred
    .transpose()
    .mmul(centred)
    .div(samples.length - 1);
  return { mean, covariance, count: samples.length };
}

/** S^½ of a symmetric PSD matrix; eigenvalues that rounding pushed below zero count as zero. */
export function symmetricSqrt(matrix: Matrix): Matrix {
  const evd = new EigenvalueDecomposition(symmetrised(matrix), { assumeSymmetric: true });
  const vectors = evd.eigenvectorMatrix;
  const roots = evd.realEigenvalues.map((value) => Math.sqrt(Math.max(value, 0)));
  return vectors.mmul(Matrix.diag(roots)).mmul(vectors.transpose());
}

/** tr S^½ of a symmetric PSD matrix. */
export function traceSqrt(matrix: Matrix): number {
  const evd = new EigenvalueDecomposition(symmetrised(matrix), { assumeSymmetric: true });
  return evd.realEigenvalues.reduce((sum, value) => sum + Math.sqrt(Math.max(value, 0)), 0);
}

/** Products of symmetric matrices are symmetric only up to rounding; the symmetric solver needs it exact. */
function symmetrised(matrix: Matrix): Matrix {
  return matrix.clone().add(matrix.transpose()).div(2);
}

export function frechetDistance(a: Gaussian, b: Gaussian): number {
  if (a.mean.length !== b.mean.length) throw new RangeError(`dimensions differ: ${a.mean.length} vs ${b.mean.length}`);
  let meanTerm = 0;
  a.mean.forEach((value, j) => {
    meanTerm += (value - (b.mean[j] as number)) ** 2;
  });
  const rootA = symmetricSqrt(a.covariance);
  const cross = traceSqrt(rootA.mmul(b.covariance).mmul(rootA));
  const distance = meanTerm + a.covariance.trace() + b.covariance.trace() - 2 * cross;
  // Identical sets give a tiny negative number from rounding; a distance is never below zero.
  return Math.max(distance, 0);
}

export function frechetDistanceOf(a: readonly ArrayLike<number>[], b: readonly ArrayLike<number>[]): number {
  return frechetDistance(fitGaussian(a), fitGaussian(b));
}
