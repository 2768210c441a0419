/**
 * Start-up check of the native kernels against tfjs's cpu backend: forward values and gradients on small
 * seeded shapes (DCGAN's 4×4 stride-2 layers and odd ones), each within `tolerance` relative error
 * (max |a-b| / max |b|). The native route is refused if any differs: a wrong kernel must cost speed, never a
 * training run.
 */
import * as tf from "@tensorflow/tfjs";
import {
  type Case,
  caseError,
  convCases,
  DEFAULT_TOLERANCE,
  seeded,
  transposedConvCases,
  weightedSum,
  withReference,
} from "../../kernel-check.ts";
import { NativeAdam } from "./adam.ts";
import { BATCH_NORM_TRAINING } from "./batch-norm.ts";
import { lazyConv2d } from "./conv-layer.ts";
import { NATIVE_PARTS } from "./install.ts";

export interface NativeCheckResult {
  name: string;
  ok: boolean;
  relError: number;
  error?: string;
}

function fusedConvWithBias(): tf.Tensor[] {
  const x = seeded([2, 8, 8, 3], 200);
  const w = seeded([4, 4, 3, 5], 201);
  const b = seeded([5], 202);
  const f = (xx: tf.Tensor, ww: tf.Tensor, bb: tf.Tensor) =>
    weightedSum(
      tf.fused.conv2d({ x: xx as tf.Tensor4D, filter: ww as tf.Tensor4D, bias: bb, strides: 2, pad: "same" }),
      203,
    );
  return [
    tf.fused.conv2d({ x: x as tf.Tensor4D, filter: w as tf.Tensor4D, bias: b, strides: 2, pad: "same" }),
    ...tf.grads(f)([x, w, b]),
  ];
}

/** D's lazy convolution (with and without bias) and each gradient part against tf.fused.conv2d on cpu. */
function lazyConv(native: boolean): tf.Tensor[] {
  const x = seeded([2, 8, 8, 3], 260) as tf.Tensor4D;
  const w = seeded([4, 4, 3, 5], 261) as tf.Tensor4D;
  const b = seeded([5], 262) as tf.Tensor1D;
  const conv = (xx: tf.Tensor, ww: tf.Tensor, bb: tf.Tensor | null) =>
    native
      ? lazyConv2d(xx as tf.Tensor4D, ww as tf.Tensor4D, bb as tf.Tensor1D | null, [2, 2], "same")
      : tf.fused.conv2d({
          x: xx as tf.Tensor4D,
          filter: ww as tf.Tensor4D,
          bias: bb ?? undefined,
          strides: 2,
          pad: "same",
        });
  const f = (xx: tf.Tensor, ww: tf.Tensor, bb: tf.Tensor) => weightedSum(conv(xx, ww, bb), 263);
  return [
    conv(x, w, b),
    conv(x, w, null),
    // Each part alone, as the tape asks for it: only the weights (G's update), only the data, all three.
    tf.grad((ww: tf.Tensor) => weightedSum(conv(x, ww, b), 264))(w),
    tf.grad((xx: tf.Tensor) => weightedSum(conv(xx, w, null), 265))(x),
    ...tf.grads(f)([x, w, b]),
  ];
}

/** The native sampler gives tf.randomNormal's numbers (an odd length: the last pair's second half dropped). */
function normals(native: boolean): tf.Tensor[] {
  const draw = (shape: number[], mean: number, std: number, seed: number) =>
    native ? NATIVE_PARTS.normals(shape, mean, std, seed) : tf.randomNormal(shape, mean, std, "float32", seed);
  return [draw([3, 5, 7], 0.5, 2, 12345), draw([64, 100], 0, 1, 4_000_000_001)];
}

/** The native kernel and its gradient against the stock layer's own maths (moments + batchNorm) on cpu. */
function batchNorm(native: boolean): tf.Tensor[] {
  const x = seeded([3, 4, 5, 6], 210);
  const gamma = seeded([6], 211);
  const beta = seeded([6], 212);
  const epsilon = 5e-5;
  const apply = (xx: tf.Tensor, g: tf.Tensor, b: tf.Tensor) => {
    if (native) {
      const outputs = tf.engine().runKernel(BATCH_NORM_TRAINING, { x: xx, gamma: g, beta: b } as never, { epsilon });
      return (outputs as tf.Tensor[])[0] as tf.Tensor;
    }
    const { mean, variance } = tf.moments(xx, [0, 1, 2]);
    return tf.batchNorm(xx, mean, variance, b, g, epsilon);
  };
  const f = (xx: tf.Tensor, g: tf.Tensor, b: tf.Tensor) => weightedSum(apply(xx, g, b), 213);
  return [apply(x, gamma, beta), ...tf.grads(f)([x, gamma, beta])];
}

function activations(): tf.Tensor[] {
  const x = seeded([2, 3, 4, 5], 220);
  const ops = [(t: tf.Tensor) => tf.relu(t), (t: tf.Tensor) => tf.leakyRelu(t, 0.2), (t: tf.Tensor) => tf.tanh(t)];
  return ops.flatMap((op, i) => [op(x), tf.grad((t: tf.Tensor) => weightedSum(op(t), 221 + i))(x)]);
}

/** Every transpose combination, with and without a fused bias, and the gradients of a dense layer. */
function matmuls(): tf.Tensor[] {
  const [a, b, c] = [seeded([5, 7], 250), seeded([7, 3], 251), seeded([5, 3], 252)];
  const bias = seeded([3], 253);
  const dense = (x: tf.Tensor, w: tf.Tensor, bb: tf.Tensor) =>
    weightedSum(tf.fused.matMul({ a: x as tf.Tensor2D, b: w as tf.Tensor2D, bias: bb }), 254);
  return [
    tf.matMul(a, b),
    tf.matMul(c, b, false, true),
    tf.matMul(a, c, true, false),
    tf.matMul(b, a, true, true),
    tf.matMul(seeded([2, 4, 6], 255), seeded([2, 6, 3], 256)),
    tf.fused.matMul({ a: a as tf.Tensor2D, b: b as tf.Tensor2D, bias }),
    ...tf.grads(dense)([a, b, bias]),
  ];
}

function sums(): tf.Tensor[] {
  const x = seeded([3, 4, 5, 6], 230);
  return [tf.sum(x, [0, 1, 2]), tf.sum(x, 0, true), tf.sum(x, [1, 2]), tf.sum(x)];
}

/** Two Adam steps on two variables: new weights and moments. */
function adam(native: boolean): tf.Tensor[] {
  const w = [tf.variable(seeded([4, 5], 240)), tf.variable(seeded([7], 241))];
  const optimizer = native ? new NativeAdam(2e-4, 0.5, 0.999) : tf.train.adam(2e-4, 0.5, 0.999);
  for (const step of [0, 1]) {
    optimizer.minimize(
      () =>
        tf.add(
          weightedSum(tf.square(w[0] as tf.Variable), 242 + step),
          weightedSum(w[1] as tf.Variable, 244),
        ) as tf.Scalar,
      false,
      w,
    );
  }
  const slots = optimizer as unknown as {
    accumulatedFirstMoment: { variable: tf.Tensor }[];
    accumulatedSecondMoment: { variable: tf.Tensor }[];
  };
  const out = [
    ...w,
    ...slots.accumulatedFirstMoment.map((s) => s.variable),
    ...slots.accumulatedSecondMoment.map((s) => s.variable),
  ].map((t) => t.clone());
  optimizer.dispose();
  tf.dispose(w);
  return out;
}

export const NATIVE_CASES: Record<string, Case[]> = {
  "conv2d + weight gradient": convCases("w"),
  "conv2d + data gradient": convCases("x"),
  "transposed conv2d": transposedConvCases(),
  "conv2d with bias": [fusedConvWithBias],
  "conv2d with lazy gradients (D's layers)": [
    withReference(
      () => lazyConv(true),
      () => lazyConv(false),
    ),
  ],
  "normal noise": [
    withReference(
      () => normals(true),
      () => normals(false),
    ),
  ],
  "matrix multiplication": [matmuls],
  "batch norm (training)": [
    withReference(
      () => batchNorm(true),
      () => batchNorm(false),
    ),
  ],
  "relu, leaky relu, tanh": [activations],
  "bias-gradient sums": [sums],
  adam: [
    withReference(
      () => adam(true),
      () => adam(false),
    ),
  ],
};

export async function checkNativeKernels(
  backendName = "wasm",
  tolerance = DEFAULT_TOLERANCE,
): Promise<NativeCheckResult[]> {
  const results: NativeCheckResult[] = [];
  try {
    for (const [name, cases] of Object.entries(NATIVE_CASES)) {
      let relError = 0;
      let error: string | undefined;
      for (const run of cases) {
        try {
          relError = Math.max(relError, await caseError(backendName, run));
        } catch (e) {
          relError = Number.POSITIVE_INFINITY;
          error = e instanceof Error ? e.message : String(e);
        }
      }
      results.push({ name, ok: relError <= tolerance, relError, ...(error ? { error } : {}) });
    }
  } finally {
    await tf.setBackend(backendName);
  }
  return results;
}
