/**
 * Batch normalisation in training mode as one oneDNN call forward and one backward.
 *
 * tfjs-layers builds a training-mode batch norm from tf.moments and tf.batchNorm, whose gradient tfjs takes op
 * by op: about twenty full-size passes over every activation per step, more time than the convolutions once
 * those are native. Here the layer's training path is one kernel with outputs (y, mean, variance) and a
 * registered gradient that is one kernel too (oneDNN's backward through the batch statistics). Inference and
 * the weights are the stock layer's: a model built with this layer saves, loads and exports like any other.
 */
import type { KernelConfig, TensorInfo } from "@tensorflow/tfjs";
import * as tf from "@tensorflow/tfjs";
import { replaceKernel } from "../../registry.ts";
import { KernelRunner } from "../../runner.ts";
import type { Dnnl } from "./dnnl.ts";

export const BATCH_NORM_TRAINING = "NativeBatchNormTraining";
export const BATCH_NORM_TRAINING_GRAD = "NativeBatchNormTrainingGrad";

type Shape4 = [number, number, number, number];

function heapOf(backend: unknown, backendName: string) {
  const heap = new KernelRunner(backend as ConstructorParameters<typeof KernelRunner>[0], backendName).views();
  if (heap === null) throw new Error(`${BATCH_NORM_TRAINING} needs a backend with a heap (wasm)`);
  return heap;
}

export function batchNormKernels(dnnl: Dnnl, backendName = "wasm"): KernelConfig[] {
  const forward: KernelConfig = {
    kernelName: BATCH_NORM_TRAINING,
    backendName,
    kernelFunc: ({ inputs, backend, attrs }) => {
      const { x, gamma, beta } = inputs as { x: TensorInfo; gamma: TensorInfo; beta: TensorInfo };
      const heap = heapOf(backend, backendName);
      const shape = x.shape as Shape4;
      const y = heap.alloc(shape, "float32");
      const mean = heap.alloc([shape[3]], "float32");
      const variance = heap.alloc([shape[3]], "float32");
      const v = (t: TensorInfo) => heap.view(t) as Float32Array;
      const epsilon = (attrs as { epsilon: number }).epsilon;
      dnnl.batchNormForward(shape, epsilon, v(x), v(gamma), v(beta), v(y), v(mean), v(variance));
      return [y, mean, variance];
    },
  };
  const backward: KernelConfig = {
    kernelName: BATCH_NORM_TRAINING_GRAD,
    backendName,
    kernelFunc: ({ inputs, backend, attrs }) => {
      const { x, dy, gamma, mean, variance } = inputs as Record<"x" | "dy" | "gamma" | "mean" | "variance", TensorInfo>;
      const heap = heapOf(backend, backendName);
      const shape = x.shape as Shape4;
      const dx = heap.alloc(shape, "float32");
      const dgamma = heap.alloc([shape[3]], "float32");
      const dbeta = heap.alloc([shape[3]], "float32");
      const v = (t: TensorInfo) => heap.view(t) as Float32Array;
      const epsilon = (attrs as { epsilon: number }).epsilon;
      dnnl.batchNormBackward(shape, epsilon, v(x), v(dy), v(gamma), v(mean), v(variance), v(dx), v(dgamma), v(dbeta));
      return [dx, dgamma, dbeta];
    },
  };
  return [forward, backward];
}

const gradient: tf.GradConfig = {
  kernelName: BATCH_NORM_TRAINING,
  inputsToSave: ["x", "gamma"],
  outputsToSave: [false, true, true],
  gradFunc: (dys, saved, attrs) => {
    const [x, gamma, mean, variance] = saved as tf.Tensor[];
    const dy = (Array.isArray(dys) ? dys[0] : dys) as tf.Tensor;
    const [dx, dgamma, dbeta] = tf
      .engine()
      .runKernel(BATCH_NORM_TRAINING_GRAD, { x, dy, gamma, mean, variance } as never, attrs) as tf.Tensor[];
    return { x: () => dx as tf.Tensor, gamma: () => dgamma as tf.Tensor, beta: () => dbeta as tf.Tensor };
  },
};

export function installBatchNormKernels(dnnl: Dnnl, backendName = "wasm"): void {
  for (const config of batchNormKernels(dnnl, backendName)) {
    replaceKernel(config);
  }
  if (!tf.getGradient(BATCH_NORM_TRAINING)) tf.registerGradient(gradient);
}

/** The stock layer's members this one uses (tfjs declares them protected). */
interface BatchNormInternals {
  axis: number;
  momentum: number;
  epsilon: number;
  center: boolean;
  scale: boolean;
  gamma: tf.LayerVariable;
  beta: tf.LayerVariable;
  movingMean: tf.LayerVariable;
  movingVariance: tf.LayerVariable;
}

type BatchNormArgs = Parameters<typeof tf.layers.batchNormalization>[0];
type LayerCall = (inputs: tf.Tensor | tf.Tensor[], kwargs: { training?: boolean }) => tf.Tensor | tf.Tensor[];
const StockBatchNorm = tf.layers.batchNormalization({}).constructor as new (args?: BatchNormArgs) => tf.layers.Layer;

/** tf.layers.batchNormalization with the native training path; same class name, weights and inference. */
export class NativeBatchNormalization extends StockBatchNorm {
  override call(inputs: tf.Tensor | tf.Tensor[], kwargs: { training?: boolean }): tf.Tensor | tf.Tensor[] {
    const stock = () => (StockBatchNorm.prototype as unknown as { call: LayerCall }).call.call(this, inputs, kwargs);
    const x = Array.isArray(inputs) ? inputs[0] : inputs;
    const self = this as unknown as BatchNormInternals;
    const lastAxis = self.axis === -1 || self.axis === 3;
    if (!kwargs.training || x === undefined || x.rank !== 4 || !lastAxis || !self.center || !self.scale) return stock();
    return tf.tidy(() => {
      const [y, mean, variance] = tf
        .engine()
        .runKernel(BATCH_NORM_TRAINING, { x, gamma: self.gamma.read(), beta: self.beta.read() } as never, {
          epsilon: self.epsilon,
        }) as tf.Tensor[];
      // The stock layer's moving averages, computed the same way.
      for (const [variable, value] of [
        [self.movingMean, mean],
        [self.movingVariance, variance],
      ] as const) {
        tf.tidy(() => {
          const old = variable.read();
          variable.write(tf.sub(old, tf.mul(tf.sub(old, value as tf.Tensor), 1 - self.momentum)));
        });
      }
      return y as tf.Tensor;
    });
  }
}

export const nativeBatchNormalization = (args: BatchNormArgs) => new NativeBatchNormalization(args);
