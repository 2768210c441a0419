/**
 * Replacements for small kernels a DCGAN step calls hundreds of times that tfjs's wasm backend runs slowly
 * (found by profiling a training step): Identity copies (tfjs clones every tensor it saves for backprop; the cpu
 * backend shares the buffer), LeakyRelu is a scalar loop (XNNPACK's PReLU is vectorised) and its gradient goes
 * through slow Greater/Select loops, Sum/Mean over batch norm's leading axes transpose the whole input first,
 * a transposed matmul (dense layers' backward) is a naive triple loop, Tile is an index loop (a broadcast
 * add is not), Slice copies its whole input before cropping it.
 *
 * Each returns null for a case it does not cover, and the registry (registry.ts) falls back on the stock kernel.
 */

import type { GradConfig, TensorInfo } from "@tensorflow/tfjs";
import * as tf from "@tensorflow/tfjs";
import type { KernelRunner, Typed } from "./runner.ts";

/** Shares the buffer, as the cpu backend does; tensors are immutable, so a copy buys nothing. */
export function identity(r: KernelRunner, x: TensorInfo): TensorInfo {
  r.backend.incRef(x.dataId);
  return { dataId: x.dataId, shape: x.shape, dtype: x.dtype };
}

/**
 * LeakyRelu's gradient as dy · step(x, α) (step is x > 0 ? 1 : α): two fast passes where tfjs's own,
 * where(x > 0, dy, α·dy), costs five on wasm (its Greater and Select are slow loops). Gradients are registered
 * for all backends at once; this one is the same function everywhere except at NaN inputs.
 */
export const leakyReluGradient: GradConfig = {
  kernelName: "LeakyRelu",
  inputsToSave: ["x"],
  gradFunc: (dy, saved, attrs) => {
    const [x] = saved;
    const alpha = (attrs as { alpha: number }).alpha;
    return { x: () => tf.mul(dy as tf.Tensor, tf.step(x as tf.Tensor, alpha)) };
  },
};

/** leakyRelu(x) = prelu(x, [α,…,α]) over the last axis: XNNPACK's vectorised PReLU. */
export function leakyRelu(r: KernelRunner, x: TensorInfo, alpha: number): TensorInfo | null {
  const channels = x.shape[x.shape.length - 1] ?? 0;
  if (x.dtype !== "float32" || channels === 0) return null;
  const slope = r.fill([channels], alpha);
  const y = r.run("Prelu", { x, alpha: slope });
  r.free(slope);
  return y;
}

/**
 * Sum or mean over leading axes (batch norm's [N,H,W] of NHWC): column sums of x seen as an R×C matrix, in
 * one pass over the heap with float64 accumulators. The stock kernel transposes the whole input first, and
 * XNNPACK has no reduction (a matmul with a row of ones re-packs x as weights on every call).
 */
export function reduceLeading(
  r: KernelRunner,
  x: TensorInfo,
  axis: number | number[],
  keepDims: boolean,
  mean: boolean,
) {
  const heap = r.views();
  const axes = tf.util.parseAxisParam(axis, x.shape).sort((a, b) => a - b);
  const leading = axes.length > 0 && axes.length < x.shape.length && axes.every((a, i) => a === i);
  if (heap === null || !leading || x.dtype !== "float32") return null;
  const rows = x.shape.slice(0, axes.length).reduce((a, d) => a * d, 1);
  const rest = x.shape.slice(axes.length);
  const cols = rest.reduce((a, d) => a * d, 1);
  const out = heap.alloc(keepDims ? [...axes.map(() => 1), ...rest] : rest, "float32");
  const sums = columnSums(heap.view(x), rows, cols);
  if (mean && rows > 0) for (let c = 0; c < cols; c++) sums[c] = (sums[c] ?? 0) / rows;
  heap.view(out).set(sums);
  return out;
}

function columnSums(values: Typed, rows: number, cols: number): Float64Array {
  const sums = new Float64Array(cols);
  for (let row = 0, offset = 0; row < rows; row++, offset += cols) {
    for (let c = 0; c < cols; c++) sums[c] = (sums[c] ?? 0) + (values[offset + c] ?? 0);
  }
  return sums;
}

/**
 * The wasm backend runs a transposed matmul (every dense layer's backward pass) as a naive triple loop;
 * transposing explicitly lets XNNPACK do it. Batched products stay with the stock kernel.
 */
export function batchMatMul(r: KernelRunner, a: TensorInfo, b: TensorInfo, transposeA: boolean, transposeB: boolean) {
  if (!(transposeA || transposeB) || a.dtype !== "float32" || b.dtype !== "float32") return null;
  const a3 = as3d(r, a, transposeA);
  const b3 = as3d(r, b, transposeB);
  if (a3 === null || b3 === null) {
    r.free(...[a3, b3].filter((t): t is TensorInfo => t !== null));
    return null;
  }
  const product = r.matmul(a3, b3);
  r.free(a3, b3);
  const outer = a.shape.slice(0, -2);
  return r.chain(product, (t) => r.reshape(t, [...outer, ...t.shape.slice(1)]));
}

/** A matrix operand as [1, rows, cols], transposed if asked; null when it carries batch dims. */
function as3d(r: KernelRunner, x: TensorInfo, transpose: boolean): TensorInfo | null {
  const [rows = 0, cols = 0] = x.shape.slice(-2);
  if (x.shape.slice(0, -2).some((d) => d !== 1)) return null;
  const m = r.reshape(x, [1, rows, cols]);
  return transpose ? r.chain(m, (t) => r.transpose(t, [0, 2, 1])) : m;
}

/**
 * Tile as a broadcast add onto zeros. Each axis becomes a "repeat" dim (x has 1) and/or a "copy" dim (x has d);
 * neighbours of one kind merge, which keeps the rank within XNNPACK's 6 (batch norm's [1,1,1,C] tiled by
 * [N,H,W,1] becomes [1,C] + [N·H·W,C]).
 */
export function broadcastPlan(shape: number[], reps: number[]): { xShape: number[]; outShape: number[] } {
  const xShape: number[] = [];
  const outShape: number[] = [];
  const push = (xd: number, od: number) => {
    const last = xShape.length - 1;
    const lastRepeats = xShape[last] === 1 && outShape[last] !== 1;
    if (last >= 0 && lastRepeats === (xd === 1)) {
      xShape[last] = (xShape[last] ?? 1) * xd;
      outShape[last] = (outShape[last] ?? 1) * od;
    } else {
      xShape.push(xd);
      outShape.push(od);
    }
  };
  shape.forEach((d, i) => {
    const rep = reps[i] ?? 1;
    if (rep > 1) push(1, rep);
    if (d > 1) push(d, d);
  });
  return xShape.length > 0 ? { xShape, outShape } : { xShape: [1], outShape: [1] };
}

export function tile(r: KernelRunner, x: TensorInfo, reps: number[]): TensorInfo | null {
  if (x.dtype === "string" || x.dtype === "bool") return null;
  const plan = broadcastPlan(x.shape, reps);
  const xs = r.reshape(x, plan.xShape);
  const zeros = r.fill(plan.outShape, 0, x.dtype);
  const sum = r.run("Add", { a: zeros, b: xs });
  r.free(xs, zeros);
  return r.chain(sum, (t) =>
    r.reshape(
      t,
      x.shape.map((d, i) => d * (reps[i] ?? 1)),
    ),
  );
}

/** Slice that copies runs straight out of the heap (the stock kernel first copies the whole input). */
export function slice(r: KernelRunner, x: TensorInfo, begin: number | number[], size?: number | number[]) {
  const heap = r.views();
  if (heap === null || x.dtype === "string") return null;
  const [b, s] = tf.slice_util.parseSliceParams(x as tf.Tensor, begin, size) as [number[], number[]];
  const out = heap.alloc(s, x.dtype);
  if (s.every((d) => d > 0)) copyBlock(heap.view(x), heap.view(out), x.shape, b, s);
  return out;
}

/** Copies the block [begin, begin+size) of a row-major array, one contiguous run at a time. */
function copyBlock(src: Typed, dst: Typed, shape: number[], begin: number[], size: number[]): void {
  const strides = [...tf.util.computeStrides(shape), 1];
  // Trailing dims taken whole merge into the run, so a typical crop copies a few long runs.
  let inner = shape.length - 1;
  while (inner > 0 && begin[inner] === 0 && size[inner] === shape[inner]) inner--;
  const runLength = (size[inner] ?? 1) * (strides[inner] ?? 1);
  const outer = size.slice(0, inner);
  const runs = outer.reduce((a, v) => a * v, 1);
  const index = new Array<number>(inner).fill(0);
  for (let k = 0; k < runs; k++) {
    let offset = (begin[inner] ?? 0) * (strides[inner] ?? 1);
    for (let d = 0; d < inner; d++) offset += ((begin[d] ?? 0) + (index[d] ?? 0)) * (strides[d] ?? 1);
    dst.set(src.subarray(offset, offset + runLength), k * runLength);
    advance(index, outer);
  }
}

/** Odometer increment of a multi-index over the given extents. */
function advance(index: number[], extents: number[]): void {
  for (let d = index.length - 1; d >= 0; d--) {
    index[d] = (index[d] ?? 0) + 1;
    if ((index[d] ?? 0) < (extents[d] ?? 0)) return;
    index[d] = 0;
  }
}
