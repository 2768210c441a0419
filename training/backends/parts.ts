/**
 * What a backend route may swap in for speed: layer implementations and the optimizer, with the same maths,
 * class names, weights and optimizer slots as the stock ones, so checkpoints and exports do not care.
 */
import * as tf from "@tensorflow/tfjs";
import { type DcganLayers, STOCK_LAYERS } from "../../src/core/dcgan.ts";

export interface TrainingParts {
  layers: DcganLayers;
  adam: (learningRate: number, beta1?: number) => tf.Optimizer;
}

export const STOCK_PARTS: TrainingParts = { layers: STOCK_LAYERS, adam: (lr, beta1) => tf.train.adam(lr, beta1) };
