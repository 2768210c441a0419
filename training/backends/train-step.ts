/**
 * A self-contained DCGAN training step for benchmarks and backend tests: the standard alternating update
 * (D on a real and a fake batch, then G through D), Adam 2e-4 / β1 0.5, real labels 0.9. The trainer proper
 * lives in training/train.ts; this one exists so that backend speed and correctness can be measured alone.
 */
import * as tf from "@tensorflow/tfjs";
import { buildDiscriminator, buildGenerator, type DcganShape, forwardFlops } from "../../src/core/dcgan.ts";

export interface TrainStep {
  generator: tf.LayersModel;
  discriminator: tf.LayersModel;
  /** One D update then one G update on `real` ([batch, size, size, 3] in [-1, 1]); returns both losses. */
  run(real: tf.Tensor4D): { dLoss: number; gLoss: number };
  /** FLOPs of one step per image (see `trainingFlopsPerImage`). */
  flopsPerImage: number;
  dispose(): void;
}

/**
 * FLOPs per training image, counting a backward pass as twice its forward: the D step runs G forward (1·G)
 * and D forward + backward on the real and on the fake image (2 × 3·D); the G step runs G forward + backward
 * (3·G) and D forward + input-gradient backward (2·D). Total 4·G + 8·D. (The cruder "3 × (2·D + G)" gives
 * 0.69× this for G ≈ D.) D's first-layer input gradient in the D step, never computed, is ~3 % of D.
 */
export function trainingFlopsPerImage(gForward: number, dForward: number): number {
  return 4 * gForward + 8 * dForward;
}

function bce(label: number, logits: tf.Tensor): tf.Scalar {
  return tf.losses.sigmoidCrossEntropy(tf.fill(logits.shape, label), logits) as tf.Scalar;
}

/** `seed` fixes the initial weights as well as the noise, so a test's losses are the same on every run. */
export function makeTrainStep(shape: DcganShape, batch: number, seed = 1): TrainStep {
  const generator = buildGenerator(shape, seed);
  const discriminator = buildDiscriminator(shape, seed);
  const optD = tf.train.adam(2e-4, 0.5);
  const optG = tf.train.adam(2e-4, 0.5);
  const dVars = discriminator.trainableWeights.map((w) => w.read() as tf.Variable);
  const gVars = generator.trainableWeights.map((w) => w.read() as tf.Variable);
  const g = (z: tf.Tensor) => generator.apply(z, { training: true }) as tf.Tensor;
  const d = (x: tf.Tensor) => discriminator.apply(x, { training: true }) as tf.Tensor;
  let step = 0;
  const noise = () => tf.randomNormal([batch, shape.zDim], 0, 1, "float32", seed * 100_003 + step);

  const run = (real: tf.Tensor4D) =>
    tf.tidy(() => {
      step++;
      const z = noise();
      const dLoss = optD.minimize(() => tf.add(bce(0.9, d(real)), bce(0, d(g(z)))) as tf.Scalar, true, dVars);
      const z2 = noise();
      const gLoss = optG.minimize(() => bce(1, d(g(z2))), true, gVars);
      return { dLoss: dLoss?.dataSync()[0] ?? Number.NaN, gLoss: gLoss?.dataSync()[0] ?? Number.NaN };
    });

  return {
    generator,
    discriminator,
    run,
    flopsPerImage: trainingFlopsPerImage(forwardFlops(generator), forwardFlops(discriminator)),
    dispose: () => {
      generator.dispose();
      discriminator.dispose();
      optD.dispose();
      optG.dispose();
    },
  };
}
