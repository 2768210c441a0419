/**
 * tfjs's Adam with each variable's update as one native pass.
 *
 * tf.train.adam updates a variable with twelve ops (twelve full passes over weights, gradients and both
 * moments); at ngf 64 that is 7 M weights per step. This subclass does the same arithmetic in float32, in the
 * same order, in one oneDNN-side loop, and keeps everything else of the stock optimizer: its slots, their
 * names and order, getWeights/setWeights, so checkpoints are interchangeable with the stock one's.
 */
import type { KernelConfig, TensorInfo } from "@tensorflow/tfjs";
import * as tf from "@tensorflow/tfjs";
import { KernelRunner } from "../../runner.ts";
import type { Dnnl } from "./dnnl.ts";

export const ADAM_UPDATE = "NativeAdamUpdate";

export function adamKernel(dnnl: Dnnl, backendName = "wasm"): KernelConfig {
  return {
    kernelName: ADAM_UPDATE,
    backendName,
    kernelFunc: ({ inputs, backend, attrs }) => {
      const { w, g, m, v } = inputs as Record<"w" | "g" | "m" | "v", TensorInfo>;
      const heap = new KernelRunner(backend as ConstructorParameters<typeof KernelRunner>[0], backendName).views();
      if (heap === null) throw new Error(`${ADAM_UPDATE} needs a backend with a heap (wasm)`);
      const outs = [heap.alloc(w.shape, "float32"), heap.alloc(w.shape, "float32"), heap.alloc(w.shape, "float32")];
      const [vw, vg, vm, vv, w2, m2, v2] = [w, g, m, v, ...outs].map((t) => heap.view(t) as Float32Array) as [
        Float32Array,
        Float32Array,
        Float32Array,
        Float32Array,
        Float32Array,
        Float32Array,
        Float32Array,
      ];
      dnnl.adam((attrs as { hyper: number[] }).hyper, vw, vg, vm, vv, w2, m2, v2);
      return outs;
    },
  };
}

interface AdamInternals {
  learningRate: number;
  beta1: number;
  beta2: number;
  epsilon: number;
  accBeta1: tf.Variable;
  accBeta2: tf.Variable;
  accumulatedFirstMoment: { originalName: string; variable: tf.Variable }[];
  accumulatedSecondMoment: { originalName: string; variable: tf.Variable }[];
}

type NamedGradients = tf.NamedTensorMap | { name: string; tensor: tf.Tensor }[];

export class NativeAdam extends tf.AdamOptimizer {
  override applyGradients(variableGradients: NamedGradients): void {
    const self = this as unknown as AdamInternals;
    const names = Array.isArray(variableGradients)
      ? variableGradients.map((v) => v.name)
      : Object.keys(variableGradients);
    const f = Math.fround;
    // The scalars tfjs would make: each rounded to float32 as a scalar tensor would be.
    const correction1 = f(1 - (self.accBeta1.dataSync()[0] as number));
    const correction2 = f(1 - (self.accBeta2.dataSync()[0] as number));
    const hyper = [-self.learningRate, self.beta1, self.beta2, self.epsilon, 1 - self.beta1, 1 - self.beta2]
      .map(f)
      .concat([correction1, correction2]);
    tf.tidy(() => {
      names.forEach((name, i) => {
        const value = tf.engine().registeredVariables[name] as tf.Variable;
        self.accumulatedFirstMoment[i] ??= { originalName: `${name}/m`, variable: zeroSlot(value) };
        self.accumulatedSecondMoment[i] ??= { originalName: `${name}/v`, variable: zeroSlot(value) };
        const gradient = Array.isArray(variableGradients)
          ? variableGradients[i]?.tensor
          : (variableGradients as tf.NamedTensorMap)[name];
        if (gradient == null) return;
        const m = self.accumulatedFirstMoment[i].variable;
        const v = self.accumulatedSecondMoment[i].variable;
        const [w2, m2, v2] = tf
          .engine()
          .runKernel(ADAM_UPDATE, { w: value, g: gradient, m, v } as never, { hyper }) as tf.Tensor[];
        m.assign(m2 as tf.Tensor);
        v.assign(v2 as tf.Tensor);
        value.assign(w2 as tf.Tensor);
      });
      self.accBeta1.assign(tf.mul(self.accBeta1, self.beta1));
      self.accBeta2.assign(tf.mul(self.accBeta2, self.beta2));
    });
    (this as unknown as { incrementIterations(): void }).incrementIterations();
  }
}

const zeroSlot = (value: tf.Variable) => tf.tidy(() => tf.zerosLike(value).variable(false));

/** tf.train.adam's signature. */
export const nativeAdam = (learningRate: number, beta1?: number, beta2?: number, epsilon?: number) =>
  new NativeAdam(learningRate, beta1 ?? 0.9, beta2 ?? 0.999, epsilon);
