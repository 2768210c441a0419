/**
 * One DCGAN training step: D learns real vs fake, then G learns to fool D.
 *
 * Non-saturating losses on logits with soft real labels ~ U(lo, hi) (the seed article's settings), or SNGAN's
 * hinge loss; reals get Gaussian instance noise of a per-step std ~ U(0, max); DiffAugment, when on, is applied
 * to every image D sees. All randomness comes from (run seed, step), so a resumed run repeats exactly.
 */
import * as tf from "@tensorflow/tfjs";
import { type NormalSampler, stockNormals } from "../../src/tfjs-accel/parts.ts";
import { diffAugment } from "./diffaugment.ts";
import { stepSeed, stepUniform } from "./seeded.ts";

export const GAN_LOSSES = ["bce", "hinge"] as const;
export type GanLoss = (typeof GAN_LOSSES)[number];

export interface StepSettings {
  /** "bce" when absent. */
  loss?: GanLoss;
  batchSize: number;
  zDim: number;
  realLabelMin: number;
  realLabelMax: number;
  instanceNoise: number;
  diffAugment: boolean;
  seed: number;
}

export interface GanModels {
  generator: tf.LayersModel;
  discriminator: tf.LayersModel;
  optimizerG: tf.Optimizer;
  optimizerD: tf.Optimizer;
}

export interface StepResult {
  lossD: number;
  lossG: number;
  /** Mean of sigmoid(D) on the (augmented, noised) real batch and on the fakes of D's step. */
  dReal: number;
  dFake: number;
}

const variablesOf = (model: tf.LayersModel) => model.trainableWeights.map((weight) => weight.read() as tf.Variable);

/** `normals` draws the step's Gaussian noise; a route may draw the same numbers faster (src/tfjs-accel/parts.ts). */
export function trainStep(
  models: GanModels,
  realBatch: tf.Tensor4D,
  step: number,
  settings: StepSettings,
  normals: NormalSampler = stockNormals,
): StepResult {
  const { generator: G, discriminator: D } = models;
  const { batchSize: batch, seed } = settings;
  const see = (images: tf.Tensor4D, purpose: "augment-real-d" | "augment-fake-d" | "augment-fake-g") =>
    settings.diffAugment ? diffAugment(images, stepUniform(seed, step, purpose)) : images;

  let dReal = 0;
  let dFake = 0;
  const lossD = tf.tidy(() => {
    const noiseStd = stepUniform(seed, step, "instance-noise")() * settings.instanceNoise;
    const reals = realBatch.add(
      normals(realBatch.shape, 0, noiseStd, stepSeed(seed, step, "instance-noise")),
    ) as tf.Tensor4D;
    const fakes = G.apply(normals([batch, settings.zDim], 0, 1, stepSeed(seed, step, "z-d")), {
      training: true,
    }) as tf.Tensor4D;
    const labels = tf.randomUniform(
      [batch, 1],
      settings.realLabelMin,
      settings.realLabelMax,
      "float32",
      stepSeed(seed, step, "labels"),
    );
    const cost = models.optimizerD.minimize(
      () => {
        const realLogits = D.apply(see(reals, "augment-real-d"), { training: true }) as tf.Tensor;
        const fakeLogits = D.apply(see(fakes, "augment-fake-d"), { training: true }) as tf.Tensor;
        dReal = tf.sigmoid(realLogits).mean().dataSync()[0] ?? 0;
        dFake = tf.sigmoid(fakeLogits).mean().dataSync()[0] ?? 0;
        if (settings.loss === "hinge") {
          return tf.add(tf.relu(tf.sub(1, realLogits)).mean(), tf.relu(tf.add(1, fakeLogits)).mean()) as tf.Scalar;
        }
        return tf.losses
          .sigmoidCrossEntropy(labels, realLogits)
          .add(tf.losses.sigmoidCrossEntropy(tf.zerosLike(fakeLogits), fakeLogits)) as tf.Scalar;
      },
      true,
      variablesOf(D),
    );
    return cost as tf.Scalar;
  });

  const lossG = tf.tidy(() => {
    const z = normals([batch, settings.zDim], 0, 1, stepSeed(seed, step, "z-g"));
    const cost = models.optimizerG.minimize(
      () => {
        const fakes = G.apply(z, { training: true }) as tf.Tensor4D;
        const logits = D.apply(see(fakes, "augment-fake-g"), { training: true }) as tf.Tensor;
        if (settings.loss === "hinge") return tf.neg(logits.mean()) as tf.Scalar;
        return tf.losses.sigmoidCrossEntropy(tf.onesLike(logits), logits) as tf.Scalar;
      },
      true,
      variablesOf(G),
    );
    return cost as tf.Scalar;
  });

  const result = { lossD: lossD.dataSync()[0] ?? Number.NaN, lossG: lossG.dataSync()[0] ?? Number.NaN, dReal, dFake };
  lossD.dispose();
  lossG.dispose();
  return result;
}
