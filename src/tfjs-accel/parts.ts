/**
 * What a backend route may swap in for speed: layer implementations, the optimizer and the Gaussian sampler,
 * with the same maths (the same numbers, for the sampler), class names, weights and optimizer slots as the stock
 * ones, so checkpoints and exports do not care.
 */
import * as tf from "@tensorflow/tfjs";
import { type DcganLayers, STOCK_LAYERS } from "../core/dcgan.ts";

/** tf.randomNormal(shape, mean, stdDev, "float32", seed), or something that gives the same tensor. */
export type NormalSampler = (shape: number[], mean: number, stdDev: number, seed: number) => tf.Tensor;

export const stockNormals: NormalSampler = (shape, mean, stdDev, seed) =>
  tf.randomNormal(shape, mean, stdDev, "float32", seed);

export interface TrainingParts {
  layers: DcganLayers;
  adam: (learningRate: number, beta1?: number, beta2?: number) => tf.Optimizer;
  normals: NormalSampler;
}

export const STOCK_PARTS: TrainingParts = {
  layers: STOCK_LAYERS,
  adam: (lr, beta1, beta2) => tf.train.adam(lr, beta1, beta2),
  normals: stockNormals,
};
