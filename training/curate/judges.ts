/**
 * Realism judges: each gives every candidate face a score, higher meaning "more likely to pass as real".
 * The three of issue 12, all on the faces exactly as the site draws them (bytes at the pool's size):
 *
 * - the version's own discriminator (Discriminator Rejection Sampling, Azadi et al. 2019): D's logit;
 * - a real-vs-fake classifier trained after the fact on held-out real faces against this version's fakes
 *   (a fresh D-shaped network: what gives *this* generator away), scored on fakes it never saw;
 * - face-descriptor realism (Kynkäänniemi et al. 2019): how deep a fake's face descriptor sits inside the
 *   k-nearest-neighbour balls of real descriptors, times the face detector's score.
 */
import * as tf from "@tensorflow/tfjs";
import { buildDiscriminator } from "../../src/core/dcgan.ts";
import { byteToTanh } from "../../src/core/pixels.ts";
import type { FaceImages } from "../data/face-images.ts";
import { descriptorDistance } from "../evaluate/distance.ts";
import type { FaceAnalysis } from "../evaluate/face-analysis.ts";
import { kthNeighbourDistances, MANIFOLD_K } from "../evaluate/manifold.ts";
import { shuffled } from "../evaluate/real-faces.ts";

type Progress = (done: number) => void;

const BATCH = 64;

/** Faces [from, to) as a [-1, 1] float batch, the networks' input. */
export function faceBatch(images: FaceImages, from: number, to: number): tf.Tensor4D {
  const { size } = images;
  const bytes = images.pixels.subarray(from * size * size * 3, to * size * size * 3);
  const values = Float32Array.from(bytes, byteToTanh);
  return tf.tensor4d(values, [to - from, size, size, 3]);
}

/** A network's logit for each face (D, or the classifier). */
export async function networkScores(
  model: tf.LayersModel,
  images: FaceImages,
  onProgress: Progress = () => {},
): Promise<Float32Array> {
  const scores = new Float32Array(images.count);
  for (let from = 0; from < images.count; from += BATCH) {
    const to = Math.min(images.count, from + BATCH);
    const logits = tf.tidy(() => (model.predict(faceBatch(images, from, to)) as tf.Tensor).reshape([-1]));
    scores.set(await logits.data(), from);
    logits.dispose();
    onProgress(to);
  }
  return scores;
}

export interface ClassifierOptions {
  /** Passes over the training faces. */
  epochs: number;
  /** Width of the classifier (a DCGAN discriminator of this ndf). */
  ndf: number;
  seed: number;
  learningRate: number;
}

export const DEFAULT_CLASSIFIER: ClassifierOptions = { epochs: 4, ndf: 16, seed: 1, learningRate: 2e-4 };

export interface TrainedClassifier {
  model: tf.LayersModel;
  /**
   * On the held-back tenth of each class: the share of (real, fake) pairs it scores real-first (the ROC AUC;
   * 0.5 is chance). A ranking is what a judge is for, so no threshold is involved.
   */
  heldOutAuc: number;
}

/**
 * Trains a fresh D-shaped classifier on real (label 1) vs fake (label 0) faces, balanced batches, and reports
 * its accuracy on a tenth of each held back from training.
 */
export async function trainClassifier(
  reals: FaceImages,
  fakes: FaceImages,
  options: ClassifierOptions = DEFAULT_CLASSIFIER,
  onProgress: Progress = () => {},
): Promise<TrainedClassifier> {
  const model = buildDiscriminator(
    { imageSize: reals.size, ngf: options.ndf, ndf: options.ndf, zDim: 1 },
    options.seed,
  );
  const optimizer = tf.train.adam(options.learningRate, 0.5);
  const heldReals = Math.max(1, Math.floor(reals.count / 10));
  const heldFakes = Math.max(1, Math.floor(fakes.count / 10));
  const perClass = Math.min(reals.count - heldReals, fakes.count - heldFakes);
  if (perClass < 1) throw new RangeError("the classifier needs at least 2 real and 2 fake faces");
  const half = Math.min(BATCH / 2, perClass);
  const stepsPerEpoch = Math.ceil(perClass / half);
  for (let epoch = 0; epoch < options.epochs; epoch++) {
    const order = shuffled(perClass, options.seed * 1000 + epoch);
    for (let step = 0; step < stepsPerEpoch; step++) {
      const picks = order.slice(step * half, step * half + half);
      tf.tidy(() => {
        const x = tf.concat([gather(reals, picks, heldReals), gather(fakes, picks, heldFakes)]);
        const labels = tf.concat([tf.ones([picks.length, 1]), tf.zeros([picks.length, 1])]);
        optimizer.minimize(
          () => tf.losses.sigmoidCrossEntropy(labels, model.apply(x, { training: true }) as tf.Tensor) as tf.Scalar,
          false,
        );
      });
      onProgress(epoch * stepsPerEpoch + step + 1);
    }
  }
  optimizer.dispose();
  const realScores = await networkScores(model, slice(reals, 0, heldReals));
  const fakeScores = await networkScores(model, slice(fakes, 0, heldFakes));
  let ordered = 0;
  for (const r of realScores) for (const f of fakeScores) ordered += r > f ? 1 : r === f ? 0.5 : 0;
  return { model, heldOutAuc: ordered / (realScores.length * fakeScores.length) };
}

/** Training steps trainClassifier will report progress for. */
export function classifierSteps(reals: number, fakes: number, options: ClassifierOptions = DEFAULT_CLASSIFIER): number {
  const perClass = Math.min(reals - Math.max(1, Math.floor(reals / 10)), fakes - Math.max(1, Math.floor(fakes / 10)));
  return options.epochs * Math.ceil(perClass / Math.min(BATCH / 2, perClass));
}

/** The faces at `picks`, counted after the first `offset` (the held-back ones). */
function gather(images: FaceImages, picks: readonly number[], offset: number): tf.Tensor4D {
  return tf.concat(picks.map((i) => faceBatch(images, offset + i, offset + i + 1)));
}

function slice(images: FaceImages, from: number, to: number): FaceImages {
  const face = images.size * images.size * 3;
  return { size: images.size, count: to - from, pixels: images.pixels.subarray(from * face, to * face) };
}

/**
 * Kynkäänniemi et al.'s realism score: max over reals r of radius_k(r) / |fake - r|, where radius_k(r) is r's
 * distance to its k-th nearest real neighbour (> 1: inside some real's ball). Multiplied by the detector's
 * score, so that a fake face-api cannot find a face in ranks low whatever its descriptor.
 */
export function realismScores(
  fakes: readonly FaceAnalysis[],
  realDescriptors: readonly Float32Array[],
  k = MANIFOLD_K,
  radii = kthNeighbourDistances(realDescriptors, k),
): Float32Array {
  return Float32Array.from(fakes, (fake) => {
    let best = 0;
    for (const [i, real] of realDescriptors.entries()) {
      const distance = descriptorDistance(fake.descriptor, real);
      best = Math.max(best, (radii[i] as number) / Math.max(distance, 1e-6));
    }
    return best * fake.score;
  });
}
