/**
 * Start-up check of the replacement kernels (`registry.ts`) against tfjs's cpu backend.
 *
 * The replacements lean on tfjs internals, so each one is run on small seeded inputs, forward values and the
 * gradients that reach it, on both backends; a kernel whose results differ by more than `tolerance` relative
 * to the reference (max |a-b| / max |b|) goes back to its stock (or cpu) version. A failing check costs speed,
 * never correctness.
 */
import * as tf from "@tensorflow/tfjs";
import { seededUniform } from "../core/noise.ts";
import { REPLACED_KERNELS, type ReplacedKernel, restoreKernel } from "./registry.ts";

export interface KernelCheckResult {
  kernel: ReplacedKernel;
  ok: boolean;
  /** Worst max|a-b| / max|b| over the kernel's cases (Infinity when a case threw). */
  relError: number;
  /** Set when the kernel was put back: which implementation it now uses, and why. */
  fallback?: { to: "stock" | "cpu"; reason: string };
}

export const DEFAULT_TOLERANCE = 1e-4;

/** Outputs to compare across backends; `reference`, when given, is what cpu runs instead (same values). */
export type Case = (() => tf.Tensor[]) & { reference?: () => tf.Tensor[] };

export function withReference(run: () => tf.Tensor[], reference: () => tf.Tensor[]): Case {
  return Object.assign(run, { reference });
}

/** Seeded values in [-1, 1), so both backends see identical inputs. */
export function seeded(shape: number[], seed: number): tf.Tensor {
  const next = seededUniform(seed);
  const size = shape.reduce((a, d) => a * d, 1);
  return tf.tensor(
    Float32Array.from({ length: size }, () => 2 * next() - 1),
    shape,
  );
}

type Conv = { n: number; size: number; cin: number; cout: number; k: number; s: number; pad: "same" | "valid" };

/** DCGAN's 4×4 stride-2 "same" at both a phase-split size (4→8) and a sub-pixel size (8→16), plus odd ones. */
const CONVS: Conv[] = [
  { n: 2, size: 8, cin: 3, cout: 4, k: 4, s: 2, pad: "same" },
  { n: 2, size: 16, cin: 5, cout: 3, k: 4, s: 2, pad: "same" },
  { n: 2, size: 7, cin: 3, cout: 5, k: 3, s: 2, pad: "valid" },
  { n: 1, size: 9, cin: 2, cout: 3, k: 3, s: 1, pad: "same" },
  { n: 1, size: 10, cin: 2, cout: 2, k: 5, s: 3, pad: "same" },
];

function convOut(c: Conv): number {
  return c.pad === "same" ? Math.ceil(c.size / c.s) : Math.floor((c.size - c.k) / c.s) + 1;
}

/** Weighted sum, so every output element gets its own gradient (a plain sum hides transposition errors). */
export function weightedSum(y: tf.Tensor, seed: number): tf.Scalar {
  return tf.sum(tf.mul(y, seeded(y.shape, seed)));
}

export function convCases(gradOf: "x" | "w"): Case[] {
  return CONVS.map((c, i) => () => {
    const x = seeded([c.n, c.size, c.size, c.cin], 10 + i);
    const w = seeded([c.k, c.k, c.cin, c.cout], 20 + i);
    const f = (xx: tf.Tensor, ww: tf.Tensor) =>
      weightedSum(tf.conv2d(xx as tf.Tensor4D, ww as tf.Tensor4D, c.s, c.pad), 30 + i);
    return gradOf === "w" ? [tf.grad((ww: tf.Tensor) => f(x, ww))(w)] : [tf.grad((xx: tf.Tensor) => f(xx, w))(x)];
  });
}

export function transposedConvCases(): Case[] {
  return CONVS.map((c, i) => () => {
    const o = convOut(c);
    const dy = seeded([c.n, o, o, c.cout], 40 + i);
    const w = seeded([c.k, c.k, c.cin, c.cout], 50 + i);
    return [tf.conv2dTranspose(dy as tf.Tensor4D, w as tf.Tensor4D, [c.n, c.size, c.size, c.cin], c.s, c.pad)];
  });
}

function batchNormGrads(): tf.Tensor[] {
  const x = seeded([3, 4, 5, 6], 60);
  const gamma = seeded([6], 61);
  const f = (xx: tf.Tensor, g: tf.Tensor) => {
    const { mean, variance } = tf.moments(xx, [0, 1, 2]);
    return weightedSum(tf.batchNorm(xx, mean, variance, tf.zeros([6]), g, 1e-3), 62);
  };
  return tf.grads(f)([x, gamma]);
}

const CASES: Record<ReplacedKernel, Case[]> = {
  Conv2DBackpropFilter: convCases("w"),
  Conv2DBackpropInput: [...transposedConvCases(), ...convCases("x")],
  Identity: [
    () => [tf.clone(seeded([3, 5], 70))],
    () => [tf.grad((x: tf.Tensor) => weightedSum(tf.clone(x), 71))(seeded([3, 5], 72))],
  ],
  Cast: [() => [tf.cast(seeded([4, 3], 73), "float32"), tf.cast(tf.mul(seeded([4, 3], 74), 9), "int32")]],
  LeakyRelu: [
    () => [tf.leakyRelu(seeded([2, 3, 4, 5], 75), 0.2)],
    // The replacement also swaps LeakyRelu's gradient (for every backend), so cpu checks it via max(x, αx).
    withReference(
      () => [tf.grad((x: tf.Tensor) => weightedSum(tf.leakyRelu(x, 0.2), 76))(seeded([2, 3, 4, 5], 77))],
      () => [tf.grad((x: tf.Tensor) => weightedSum(tf.maximum(x, tf.mul(x, 0.2)), 76))(seeded([2, 3, 4, 5], 77))],
    ),
  ],
  Sum: [
    () => {
      const x = seeded([3, 4, 5, 6], 78);
      return [tf.sum(x, [0, 1, 2]), tf.sum(x, 0, true), tf.sum(x, [1, 2]), tf.sum(x, -1), tf.sum(x)];
    },
    batchNormGrads,
  ],
  Mean: [
    () => {
      const x = seeded([3, 4, 5, 6], 79);
      return [tf.mean(x, [0, 1, 2]), tf.mean(x, [0, 1], true), tf.mean(x, 3), tf.moments(x, [0, 1, 2]).variance];
    },
    () => [tf.grad((x: tf.Tensor) => weightedSum(tf.mean(x, [0, 1, 2]), 80))(seeded([3, 4, 5, 6], 81))],
  ],
  BatchMatMul: [
    () => {
      const [a, b, c] = [seeded([5, 7], 82), seeded([7, 3], 83), seeded([5, 3], 84)];
      return [tf.matMul(a, b), tf.matMul(c, b, false, true), tf.matMul(a, c, true, false), tf.matMul(b, a, true, true)];
    },
    () =>
      tf.grads((a: tf.Tensor, b: tf.Tensor) => weightedSum(tf.matMul(a, b), 85))([
        seeded([5, 7], 86),
        seeded([7, 3], 87),
      ]),
  ],
  Tile: [
    () => [
      tf.tile(seeded([1, 1, 1, 5], 88), [2, 3, 4, 1]),
      tf.tile(seeded([2, 3], 89), [3, 2]),
      tf.tile(seeded([2, 1, 3], 90), [1, 4, 2]),
    ],
    batchNormGrads,
  ],
  Slice: [
    () => {
      const x = seeded([3, 5, 6, 4], 91);
      return [
        tf.slice(x, [1, 1, 2, 0], [2, 3, 3, 4]),
        tf.slice(x, [0, 1, 0, 0], [3, 3, 6, 4]),
        tf.slice(x, [2, 4, 5, 3], [1, 1, 1, 1]),
      ];
    },
    () => [tf.grad((x: tf.Tensor) => weightedSum(tf.slice(x, [1, 0, 2], [2, 3, 2]), 92))(seeded([3, 3, 5], 93))],
  ],
};

/**
 * Runs a case on one backend and returns its outputs' values. A kernel that forgets to free an intermediate
 * buffer shows up as a backend holding more buffers afterwards than before: that fails the case too.
 */
async function runOn(backendName: string, run: () => tf.Tensor[]): Promise<Float32Array[]> {
  await tf.setBackend(backendName);
  const buffersBefore = tf.backend().numDataIds();
  const outputs = tf.tidy(run);
  const values = outputs.map((t) => Float32Array.from(t.dataSync()));
  tf.dispose(outputs);
  const leaked = tf.backend().numDataIds() - buffersBefore;
  if (leaked > 0) throw new Error(`leaks ${leaked} buffer${leaked === 1 ? "" : "s"} on ${backendName}`);
  return values;
}

export function relativeError(actual: Float32Array, expected: Float32Array): number {
  if (actual.length !== expected.length) return Number.POSITIVE_INFINITY;
  let diff = 0;
  let scale = 0;
  for (let i = 0; i < expected.length; i++) {
    diff = Math.max(diff, Math.abs((actual[i] as number) - (expected[i] as number)));
    scale = Math.max(scale, Math.abs(expected[i] as number));
  }
  if (Number.isNaN(diff)) return Number.POSITIVE_INFINITY;
  return scale === 0 ? diff : diff / scale;
}

export async function caseError(backendName: string, run: Case): Promise<number> {
  const actual = await runOn(backendName, run);
  const expected = await runOn("cpu", run.reference ?? run);
  if (actual.length !== expected.length) return Number.POSITIVE_INFINITY;
  return Math.max(0, ...actual.map((a, i) => relativeError(a, expected[i] as Float32Array)));
}

async function checkOne(kernel: ReplacedKernel, backendName: string, tolerance: number): Promise<KernelCheckResult> {
  let relError = 0;
  let reason = "";
  for (const run of CASES[kernel]) {
    try {
      relError = Math.max(relError, await caseError(backendName, run));
    } catch (error) {
      relError = Number.POSITIVE_INFINITY;
      reason = error instanceof Error ? error.message : String(error);
    }
  }
  const ok = relError <= tolerance;
  if (ok) return { kernel, ok, relError };
  reason ||= `relative error ${relError.toExponential(2)} > ${tolerance}`;
  return { kernel, ok, relError, fallback: { to: restoreKernel(kernel, backendName), reason } };
}

/**
 * Checks every replacement kernel on `backendName` against cpu, restoring the ones that fail, and leaves
 * `backendName` as the active backend. `warn` hears about each fallback.
 */
export async function checkReplacedKernels(
  backendName = "wasm",
  options: { tolerance?: number; kernels?: readonly ReplacedKernel[]; warn?: (message: string) => void } = {},
): Promise<KernelCheckResult[]> {
  const { tolerance = DEFAULT_TOLERANCE, kernels = REPLACED_KERNELS, warn = console.warn } = options;
  const results: KernelCheckResult[] = [];
  try {
    for (const kernel of kernels) {
      const result = await checkOne(kernel, backendName, tolerance);
      if (result.fallback) {
        warn(
          `warning: ${backendName} kernel ${kernel} failed its check against cpu (${result.fallback.reason}); using the ${result.fallback.to} kernel instead`,
        );
      }
      results.push(result);
    }
  } finally {
    await tf.setBackend(backendName);
  }
  return results;
}
