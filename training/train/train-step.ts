/**
 * The trainer's own DCGAN step (step.ts) with the trainer's default settings, packaged for
 * benchmarks and backend tests, so that `bench:train` times exactly what `npm run train` runs. A backend
 * route may swap in its own implementations of the layers and the optimizer (`TrainingParts`): same maths,
 * same weights and checkpoints.
 */
import type * as tf from "@tensorflow/tfjs";
import { buildDiscriminator, buildGenerator, type DcganShape, forwardFlops } from "../../src/core/dcgan.ts";
import { STOCK_PARTS } from "../../src/tfjs-accel/parts.ts";
import { type GanModels, type StepSettings, trainStep } from "./step.ts";
import { DEFAULT_SETTINGS, type TrainSettings } from "./train.ts";

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

export function makeTrainStep(
  shape: DcganShape,
  batch: number,
  seed = 1,
  parts = STOCK_PARTS,
  settings: Partial<TrainSettings> = {},
): TrainStep {
  const s = { ...DEFAULT_SETTINGS, ...settings };
  const models: GanModels = {
    generator: buildGenerator(shape, seed, parts.layers),
    discriminator: buildDiscriminator(shape, seed, parts.layers),
    optimizerG: parts.adam(s.lrG, s.beta1, s.beta2),
    optimizerD: parts.adam(s.lrD, s.beta1, s.beta2),
  };
  const stepSettings: StepSettings = { ...s, batchSize: batch, zDim: shape.zDim, seed };
  let step = 0;
  return {
    generator: models.generator,
    discriminator: models.discriminator,
    run: (real) => {
      const { lossD, lossG } = trainStep(models, real, step++, stepSettings, parts.normals);
      return { dLoss: lossD, gLoss: lossG };
    },
    flopsPerImage: trainingFlopsPerImage(forwardFlops(models.generator), forwardFlops(models.discriminator)),
    dispose: () => {
      models.generator.dispose();
      models.discriminator.dispose();
      models.optimizerG.dispose();
      models.optimizerD.dispose();
    },
  };
}
