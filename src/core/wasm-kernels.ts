/**
 * Replacement kernels that make tfjs's wasm backend train convolutions, and train and infer them fast.
 *
 * tfjs-backend-wasm 4.22 ships no Conv2DBackpropFilter (tfjs issue #8474), and its Conv2DBackpropInput (the
 * transposed convolution that is every layer of G) runs far below its Conv2D. Both are rewritten here as
 * XNNPACK convolutions plus cheap copies, so they run at the speed of the fast forward kernel:
 * - weight gradient = a convolution of the input with the output gradient (batch and channels swapped,
 *   the stride becoming a dilation);
 * - transposed convolution = one stride-1 convolution with the s² sub-filters stacked as output channels,
 *   then a depth-to-space ("sub-pixel convolution"): no multiplications by the zeros a naive transposed
 *   convolution inserts.
 * The rest are kernels a DCGAN step calls hundreds of times that the wasm backend runs slowly (found by
 * profiling a training step): Identity copies (tfjs clones every tensor it saves for backprop; the cpu backend
 * shares the buffer), LeakyRelu is a scalar loop (XNNPACK's PReLU is vectorised) and its gradient goes
 * through slow Greater/Select loops, Sum/Mean over batch norm's leading axes transpose the whole input first,
 * a transposed matmul (dense layers' backward) is a naive triple loop, Tile is an index loop (a broadcast
 * add is not), Slice copies its whole input before cropping it.
 *
 * Pure tfjs, so the browser's wasm backend can use it too. It leans on tfjs internals (kernel registry,
 * the wasm heap), which is why tfjs is pinned to an exact version and `kernel-check.ts` compares every
 * replacement with the cpu backend before it is trusted.
 */

import type { GradConfig, KernelBackend, KernelConfig, KernelFunc, NamedAttrMap, TensorInfo } from "@tensorflow/tfjs";
import * as tf from "@tensorflow/tfjs";

export const REPLACED_KERNELS = [
  "Conv2DBackpropFilter",
  "Conv2DBackpropInput",
  "Identity",
  "Cast",
  "LeakyRelu",
  "Sum",
  "Mean",
  "BatchMatMul",
  "Tile",
  "Slice",
] as const;
export type ReplacedKernel = (typeof REPLACED_KERNELS)[number];

type Shape4 = [number, number, number, number];
type Pads = [number, number, number, number];
type Typed = Float32Array | Int32Array | Uint8Array;

/** What the wasm backend offers beyond KernelBackend: views of its heap and outputs allocated in it. */
interface HeapBackend extends KernelBackend {
  typedArrayFromHeap?: (info: TensorInfo) => Typed;
  makeOutput?: (shape: number[], dtype: TensorInfo["dtype"]) => TensorInfo;
}

/**
 * Calls other kernels of the same backend on TensorInfos. Going through the registry rather than tf ops keeps
 * a replacement kernel off the gradient tape and out of tfjs's scopes, like any native kernel.
 */
export class KernelRunner {
  constructor(
    readonly backend: HeapBackend,
    readonly backendName: string,
  ) {}

  run(name: string, inputs: Record<string, TensorInfo>, attrs: object = {}): TensorInfo {
    const kernel = tf.getKernel(name, this.backendName);
    if (kernel === undefined) throw new Error(`kernel ${name} is not registered for ${this.backendName}`);
    return kernel.kernelFunc({ inputs, backend: this.backend, attrs: attrs as NamedAttrMap }) as TensorInfo;
  }

  free(...infos: TensorInfo[]): void {
    for (const info of infos) this.backend.disposeData(info.dataId);
  }

  /** Applies `step` and frees its input, for chains of intermediate tensors. */
  chain(x: TensorInfo, step: (x: TensorInfo) => TensorInfo): TensorInfo {
    const y = step(x);
    this.free(x);
    return y;
  }

  reshape(x: TensorInfo, shape: number[]): TensorInfo {
    return this.run("Reshape", { x }, { shape });
  }

  transpose(x: TensorInfo, perm: number[]): TensorInfo {
    return this.run("Transpose", { x }, { perm });
  }

  fill(shape: number[], value: number, dtype: TensorInfo["dtype"] = "float32"): TensorInfo {
    return this.run("Fill", {}, { shape, value, dtype });
  }

  /**
   * a·b for rank-3 [1,M,K]·[1,K,N] on XNNPACK. The wasm backend caches the packed b under (b's id, bias id),
   * blind to b's shape, so a reshape of one tensor met twice would hit a stale operator: a fresh zero bias
   * gives every call its own cache entry (freed with the bias).
   */
  matmul(a: TensorInfo, b: TensorInfo): TensorInfo {
    const bias = this.fill([b.shape[2] ?? 0], 0);
    const attrs = { transposeA: false, transposeB: false, activation: "linear", leakyreluAlpha: 0 };
    const out = this.run("_FusedMatMul", { a, b, bias }, attrs);
    this.free(bias);
    return out;
  }

  /** Stride-1 NHWC convolution with explicit padding [top, bottom, left, right]. */
  conv(x: TensorInfo, filter: TensorInfo, pads: Pads, dilations: [number, number]): TensorInfo {
    const [top, bottom, left, right] = pads;
    const pad = [
      [0, 0],
      [top, bottom],
      [left, right],
      [0, 0],
    ];
    return this.run("Conv2D", { x, filter }, { strides: [1, 1], pad, dataFormat: "NHWC", dilations });
  }

  /** Heap views, or null where the backend has no heap (any backend but wasm). */
  views(): {
    view: (t: TensorInfo) => Typed;
    alloc: (shape: number[], dtype: TensorInfo["dtype"]) => TensorInfo;
  } | null {
    const { typedArrayFromHeap, makeOutput } = this.backend;
    if (typedArrayFromHeap === undefined || makeOutput === undefined) return null;
    return {
      view: (t) => typedArrayFromHeap.call(this.backend, t),
      alloc: (s, d) => makeOutput.call(this.backend, s, d),
    };
  }
}

interface ConvAttrs {
  strides: number | [number, number];
  pad: "same" | "valid" | number | [[number, number], [number, number], [number, number], [number, number]];
  dataFormat: "NHWC" | "NCHW";
  dimRoundingMode?: "floor" | "round" | "ceil";
}

function convInfo(inShape: Shape4, filterShape: Shape4, attrs: ConvAttrs) {
  return tf.backend_util.computeConv2DInfo(inShape, filterShape, attrs.strides, 1, attrs.pad, attrs.dimRoundingMode);
}

/**
 * dW[i,j,ci,co] = Σ_{n,p,q} x[n, p·s+i-top, q·s+j-left, ci] · dy[n,p,q,co]: a convolution over the
 * spatial dims with x's channels as the batch, its batch as the channels, and dy as a filter dilated by s.
 */
export function conv2dBackpropFilter(
  r: KernelRunner,
  x: TensorInfo,
  dy: TensorInfo,
  attrs: ConvAttrs & { filterShape: Shape4 },
) {
  const info = convInfo(x.shape as Shape4, attrs.filterShape, attrs);
  const { strideHeight: sh, strideWidth: sw, filterHeight: kh, filterWidth: kw, padInfo } = info;
  // Just enough bottom/right padding for a kh×kw output (rows past the last window are never read: crop).
  const bottom = Math.max(0, kh - info.inHeight - padInfo.top + (info.outHeight - 1) * sh);
  const right = Math.max(0, kw - info.inWidth - padInfo.left + (info.outWidth - 1) * sw);
  const xT = r.transpose(x, [3, 1, 2, 0]);
  const dyT = r.transpose(dy, [1, 2, 0, 3]);
  const conv = r.conv(xT, dyT, [padInfo.top, bottom, padInfo.left, right], [sh, sw]);
  r.free(xT, dyT);
  const [cin = 0, h = 0, w = 0, cout = 0] = conv.shape;
  const cropped =
    h === kh && w === kw
      ? conv
      : r.chain(conv, (t) => r.run("Slice", { x: t }, { begin: [0, 0, 0, 0], size: [cin, kh, kw, cout] }));
  return r.chain(cropped, (t) => r.transpose(t, [1, 2, 0, 3]));
}

/**
 * Filters rebuilt from a weight tensor (sub-pixel and per-phase filters), kept until the backend frees the weight
 * itself. Inference passes the same weights on every call, and a training step passes G's twice (two G passes)
 * and D's twice (real and fake batch): each reuse saves the rebuild and, because the filter keeps its id,
 * XNNPACK's re-packing of it.
 */
type DerivedCache = Map<object, Map<string, TensorInfo[]>>;
const derivedFilters = new WeakMap<KernelBackend, DerivedCache>();

function derived(r: KernelRunner, source: TensorInfo, key: string, build: () => TensorInfo[] | null) {
  const cache = derivedCacheOf(r.backend);
  const cached = cache.get(source.dataId)?.get(key);
  if (cached) return cached;
  const made = build();
  if (made === null) return null;
  const forSource = cache.get(source.dataId) ?? new Map<string, TensorInfo[]>();
  cache.set(source.dataId, forSource.set(key, made));
  return made;
}

function derivedCacheOf(backend: KernelBackend): DerivedCache {
  let cache = derivedFilters.get(backend);
  if (cache === undefined) {
    cache = new Map();
    derivedFilters.set(backend, cache);
    freeDerivedWithSource(backend, cache);
  }
  return cache;
}

/** Wraps the backend's disposeData so that freeing a weight frees what was derived from it. */
function freeDerivedWithSource(backend: KernelBackend, cache: DerivedCache): void {
  const dispose = backend.disposeData.bind(backend);
  backend.disposeData = (dataId: object, force?: boolean) => {
    const freed = dispose(dataId, force);
    const filters = freed ? cache.get(dataId) : undefined;
    if (filters !== undefined) {
      cache.delete(dataId);
      for (const t of [...filters.values()].flat()) dispose(t.dataId);
    }
    return freed;
  };
}

/** Which rows of the sub-pixel output an axis needs, and the convolution padding that yields exactly those. */
export function subPixelAxis(size: number, outSize: number, k: number, s: number, padBefore: number) {
  const taps = Math.ceil(k / s);
  const first = Math.floor(padBefore / s);
  const count = Math.floor((padBefore + size - 1) / s) + 1 - first;
  const before = taps - 1 - first;
  const after = count - outSize - before + taps - 1;
  return { taps, before, after: Math.max(0, after), crop: padBefore - first * s, supported: before >= 0 };
}

/**
 * The sub-pixel filter F[dh, dw, co, (bh, bw, ci)] = W[s·(M-1-dh)+bh, s·(M-1-dw)+bw, ci, co] (zero past the
 * kernel): for output phase (bh, bw), the taps that land on it, reversed. Built by copying ci-runs on the heap
 * (tfjs's wasm Reverse and rank-6 Transpose are slow).
 */
function subPixelFilter(
  r: KernelRunner,
  filter: TensorInfo,
  s: [number, number],
  taps: [number, number],
): TensorInfo | null {
  const heap = r.views();
  if (heap === null) return null;
  const [kh = 0, kw = 0, cin = 0, cout = 0] = filter.shape;
  const [sh, sw] = s;
  const [mh, mw] = taps;
  const wT = r.transpose(filter, [0, 1, 3, 2]);
  const out = heap.alloc([mh, mw, cout, sh * sw * cin], "float32");
  const src = heap.view(wT);
  const dst = heap.view(out);
  if (kh % sh !== 0 || kw % sw !== 0) dst.fill(0);
  for (let dh = 0; dh < mh; dh++)
    for (let dw = 0; dw < mw; dw++)
      for (let bh = 0; bh < sh; bh++)
        for (let bw = 0; bw < sw; bw++) {
          const i = sh * (mh - 1 - dh) + bh;
          const j = sw * (mw - 1 - dw) + bw;
          if (i >= kh || j >= kw) continue;
          const from = (i * kw + j) * cout * cin;
          const to = (dh * mw + dw) * cout * sh * sw * cin + (bh * sw + bw) * cin;
          for (let co = 0; co < cout; co++) {
            dst.set(src.subarray(from + co * cin, from + (co + 1) * cin), to + co * sh * sw * cin);
          }
        }
  r.free(wT);
  return out;
}

/** Interleaves the s×s phases stored in the channels back into space, then crops the image out. */
function depthToSpaceCrop(
  r: KernelRunner,
  z: TensorInfo,
  s: [number, number],
  begin: [number, number],
  outShape: Shape4,
) {
  const [n = 0, ah = 0, aw = 0] = z.shape;
  const [sh, sw] = s;
  const cin = outShape[3];
  let y = r.chain(z, (t) => r.reshape(t, [n, ah, aw, sh, sw, cin]));
  y = r.chain(y, (t) => r.transpose(t, [0, 1, 3, 2, 4, 5]));
  y = r.chain(y, (t) => r.reshape(t, [n, ah * sh, aw * sw, cin]));
  if (begin[0] === 0 && begin[1] === 0 && ah * sh === outShape[1] && aw * sw === outShape[2]) return y;
  return r.chain(y, (t) => r.run("Slice", { x: t }, { begin: [0, begin[0], begin[1], 0], size: outShape }));
}

/**
 * dx (= the transposed convolution of dy). One sub-pixel convolution computes whole s×s blocks, some of them
 * partly outside the image: cheap for large images, but 56 % wasted at 4×4 → 8×8, where one small convolution
 * per output phase wins. Returns null for what neither covers (padding wider than the kernel, no heap).
 */
export function conv2dBackpropInput(
  r: KernelRunner,
  dy: TensorInfo,
  filter: TensorInfo,
  attrs: ConvAttrs & { inputShape: Shape4 },
) {
  const info = convInfo(attrs.inputShape, filter.shape as Shape4, attrs);
  const { strideHeight: sh, strideWidth: sw, filterHeight: kh, filterWidth: kw, padInfo } = info;
  const rows = subPixelAxis(info.inHeight, info.outHeight, kh, sh, padInfo.top);
  const cols = subPixelAxis(info.inWidth, info.outWidth, kw, sw, padInfo.left);
  const computed =
    (info.outHeight + rows.before + rows.after - rows.taps + 1) *
    (info.outWidth + cols.before + cols.after - cols.taps + 1);
  const waste = (computed * sh * sw) / (info.inHeight * info.inWidth);
  if (waste > PHASE_SPLIT_WASTE || !rows.supported || !cols.supported) {
    const byPhase = conv2dBackpropInputByPhase(r, dy, filter, attrs);
    if (byPhase !== null || !rows.supported || !cols.supported) return byPhase;
  }
  const key = `subpixel ${filter.shape} ${sh} ${sw} ${rows.taps} ${cols.taps}`;
  const [f] = derived(r, filter, key, () => wrap(subPixelFilter(r, filter, [sh, sw], [rows.taps, cols.taps]))) ?? [];
  if (f === undefined) return null;
  const z = r.conv(dy, f, [rows.before, rows.after, cols.before, cols.after], [1, 1]);
  return depthToSpaceCrop(r, z, [sh, sw], [rows.crop, cols.crop], attrs.inputShape);
}

function wrap(t: TensorInfo | null): TensorInfo[] | null {
  return t === null ? null : [t];
}

/**
 * Above this ratio of computed to needed output pixels, the phase-split form wins. Measured at batch 64: 4×4 → 8×8
 * (ratio 1.56) runs ~1.6× faster split; at 8×8 → 16×16 (1.27) and above, the single sub-pixel conv is as fast
 * or faster (s² operator set-ups and the interleave cost more than the waste).
 */
const PHASE_SPLIT_WASTE = 1.4;

/** Output phase `phase` of one axis: its first tap, tap count, and the convolution padding yielding its rows. */
export function phaseAxis(size: number, outSize: number, k: number, s: number, padBefore: number, phase: number) {
  const shifted = phase + padBefore;
  const first = shifted % s;
  const taps = Math.max(0, Math.ceil((k - first) / s));
  const count = Math.ceil((size - phase) / s);
  const before = taps - 1 - Math.floor(shifted / s);
  const after = count - outSize - before + taps - 1;
  return { first, taps, count, before, after: Math.max(0, after) };
}

type Phase = ReturnType<typeof phaseAxis>;

/** The filter of one output phase: taps W[s·(M-1-d)+first], each a whole [Cout, Cin] block of wT. */
type Heap = NonNullable<ReturnType<KernelRunner["views"]>>;

function phaseFilter(heap: Heap, wT: TensorInfo, s: [number, number], ph: Phase, pw: Phase) {
  const [, kw = 0, cout = 0, cin = 0] = wT.shape;
  const block = cout * cin;
  const out = heap.alloc([ph.taps, pw.taps, cout, cin], "float32");
  const src = heap.view(wT);
  const dst = heap.view(out);
  for (let dh = 0; dh < ph.taps; dh++)
    for (let dw = 0; dw < pw.taps; dw++) {
      const from = ((s[0] * (ph.taps - 1 - dh) + ph.first) * kw + s[1] * (pw.taps - 1 - dw) + pw.first) * block;
      dst.set(src.subarray(from, from + block), (dh * pw.taps + dw) * block);
    }
  return out;
}

/**
 * dx as s² small convolutions, one per output phase, interleaved on the heap: no wasted rows, which matters
 * for G's first layers (4×4 → 8×8 wastes 56 % as one sub-pixel convolution). Null where a phase would need
 * negative padding or is empty.
 */
export function conv2dBackpropInputByPhase(
  r: KernelRunner,
  dy: TensorInfo,
  filter: TensorInfo,
  attrs: ConvAttrs & { inputShape: Shape4 },
) {
  const heap = r.views();
  const info = convInfo(attrs.inputShape, filter.shape as Shape4, attrs);
  const { strideHeight: sh, strideWidth: sw, filterHeight: kh, filterWidth: kw, padInfo } = info;
  const rows = Array.from({ length: sh }, (_, p) => phaseAxis(info.inHeight, info.outHeight, kh, sh, padInfo.top, p));
  const cols = Array.from({ length: sw }, (_, p) => phaseAxis(info.inWidth, info.outWidth, kw, sw, padInfo.left, p));
  if (heap === null || [...rows, ...cols].some((p) => p.before < 0 || p.taps === 0)) return null;
  const key = `phase ${filter.shape} ${sh} ${sw} ${padInfo.top} ${padInfo.left}`;
  const filters = derived(r, filter, key, () => phaseFilters(r, heap, filter, [sh, sw], rows, cols)) ?? [];
  const out = heap.alloc(attrs.inputShape, "float32");
  for (const [rh, ph] of rows.entries()) {
    for (const [rw, pw] of cols.entries()) {
      const f = filters[rh * sw + rw] as TensorInfo;
      const part = r.conv(dy, f, [ph.before, ph.after, pw.before, pw.after], [1, 1]);
      const target = {
        shape: attrs.inputShape,
        phase: [rh, rw] as [number, number],
        stride: [sh, sw] as [number, number],
      };
      interleave(heap.view(part), part.shape as Shape4, heap.view(out), target, [ph.count, pw.count]);
      r.free(part);
    }
  }
  return out;
}

/** All s² phase filters of a weight, row-major over the phases. */
function phaseFilters(
  r: KernelRunner,
  heap: Heap,
  filter: TensorInfo,
  s: [number, number],
  rows: Phase[],
  cols: Phase[],
) {
  const wT = r.transpose(filter, [0, 1, 3, 2]);
  const filters = rows.flatMap((ph) => cols.map((pw) => phaseFilter(heap, wT, s, ph, pw)));
  r.free(wT);
  return filters;
}

/** Writes phase (rh, rw) of the image: dst[n, s·u+rh, s·v+rw, :] = part[n, u, v, :]. */
function interleave(
  part: Typed,
  partShape: Shape4,
  dst: Typed,
  target: { shape: Shape4; phase: [number, number]; stride: [number, number] },
  count: [number, number],
): void {
  const [n, ph, pw, c] = partShape;
  const [, oh, ow] = target.shape;
  const [sh, sw] = target.stride;
  const [rh, rw] = target.phase;
  for (let b = 0; b < n; b++) {
    for (let u = 0; u < count[0]; u++) {
      const rowStart = (b * oh + sh * u + rh) * ow;
      for (let v = 0; v < count[1]; v++) {
        const from = ((b * ph + u) * pw + v) * c;
        dst.set(part.subarray(from, from + c), (rowStart + sw * v + rw) * c);
      }
    }
  }
}

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
const leakyReluGradient: GradConfig = {
  kernelName: "LeakyRelu",
  inputsToSave: ["x"],
  gradFunc: (dy, saved, attrs) => {
    const [x] = saved;
    const alpha = (attrs as { alpha: number }).alpha;
    return { x: () => tf.mul(dy as tf.Tensor, tf.step(x as tf.Tensor, alpha)) };
  },
};

const stockGradients = new Map<string, GradConfig>();

function replaceGradient(config: GradConfig): void {
  const stock = tf.getGradient(config.kernelName);
  if (stock && !stockGradients.has(config.kernelName)) stockGradients.set(config.kernelName, stock);
  if (stock) tf.unregisterGradient(config.kernelName);
  tf.registerGradient(config);
}

function restoreGradient(kernelName: string): void {
  const stock = stockGradients.get(kernelName);
  if (!stock) return;
  tf.unregisterGradient(kernelName);
  tf.registerGradient(stock);
}

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

type Fast = (r: KernelRunner, inputs: Record<string, TensorInfo | undefined>, attrs: NamedAttrMap) => TensorInfo | null;
type AttrsOf<T> = ConvAttrs & T;

/** Each replacement; null means "not a case I cover" (NCHW, odd dtypes…) and sends the call to the fallback. */
const FAST: Record<ReplacedKernel, Fast> = {
  Conv2DBackpropFilter: (r, { x, dy }, a) =>
    x && dy && a.dataFormat !== "NCHW"
      ? conv2dBackpropFilter(r, x, dy, a as unknown as AttrsOf<{ filterShape: Shape4 }>)
      : null,
  Conv2DBackpropInput: (r, { dy, filter }, a) =>
    dy && filter && a.dataFormat !== "NCHW"
      ? conv2dBackpropInput(r, dy, filter, a as unknown as AttrsOf<{ inputShape: Shape4 }>)
      : null,
  Identity: (r, { x }) => (x ? identity(r, x) : null),
  Cast: (r, { x }, a) => (x && x.dtype === a.dtype ? identity(r, x) : null),
  LeakyRelu: (r, { x }, a) => (x ? leakyRelu(r, x, a.alpha as number) : null),
  Sum: (r, { x }, a) => (x ? reduceLeading(r, x, a.axis as number[], a.keepDims as boolean, false) : null),
  Mean: (r, { x }, a) => (x ? reduceLeading(r, x, a.axis as number[], a.keepDims as boolean, true) : null),
  BatchMatMul: (r, { a, b }, at) =>
    a && b ? batchMatMul(r, a, b, at.transposeA === true, at.transposeB === true) : null,
  Tile: (r, { x }, a) => (x ? tile(r, x, a.reps as number[]) : null),
  Slice: (r, { x }, a) => (x ? slice(r, x, a.begin as number[], a.size as number[]) : null),
};

/** The stock kernels, captured once per backend so that re-installing never mistakes a replacement for stock. */
const stockKernels = new Map<string, KernelConfig | null>();

function stockKernel(name: string, backendName: string): KernelConfig | null {
  const key = `${backendName}/${name}`;
  if (!stockKernels.has(key)) stockKernels.set(key, tf.getKernel(name, backendName) ?? null);
  return stockKernels.get(key) ?? null;
}

/** Runs the cpu backend's kernel on copies of the inputs: slow, but always there and always right. */
export function cpuDelegate(name: string): KernelFunc {
  return ({ inputs, backend, attrs }) => {
    const cpu = tf.findBackend("cpu");
    const kernel = tf.getKernel(name, "cpu");
    if (!cpu || !kernel) throw new Error(`kernel ${name}: no cpu kernel to fall back on`);
    const own = backend as KernelBackend;
    const move = (from: KernelBackend, to: KernelBackend, t: TensorInfo): TensorInfo => ({
      dataId: to.write(from.readSync(t.dataId), t.shape, t.dtype),
      shape: t.shape,
      dtype: t.dtype,
    });
    const cpuInputs = Object.fromEntries(
      Object.entries(inputs).flatMap(([k, t]) => (t ? [[k, move(own, cpu, t)]] : [])),
    );
    const out = kernel.kernelFunc({ inputs: cpuInputs, backend: cpu, attrs });
    const outs = Array.isArray(out) ? out : [out];
    const moved = outs.map((t) => move(cpu, own, t));
    for (const t of [...Object.values(cpuInputs), ...outs]) cpu.disposeData(t.dataId);
    return Array.isArray(out) ? moved : (moved[0] as TensorInfo);
  };
}

/**
 * What a replacement falls back on: the stock kernel where the backend has one, else the cpu kernel. tfjs runs
 * a kernel's setupFunc (binding its wasm function) only while it is registered, so a backend created after the
 * replacement went in gets the stock setup here, on first use.
 */
function fallbackKernel(name: ReplacedKernel, backendName: string): KernelFunc {
  const stock = stockKernel(name, backendName);
  if (stock === null) return cpuDelegate(name);
  const setUp = new WeakSet<object>();
  return (params) => {
    if (stock.setupFunc && !setUp.has(params.backend)) {
      stock.setupFunc(params.backend as KernelBackend);
      setUp.add(params.backend);
    }
    return stock.kernelFunc(params);
  };
}

/** Registers `config`, first unregistering whatever ran that kernel on that backend. */
export function replaceKernel(config: KernelConfig): void {
  if (tf.getKernel(config.kernelName, config.backendName)) tf.unregisterKernel(config.kernelName, config.backendName);
  tf.registerKernel(config);
}

export function fastKernel(name: ReplacedKernel, backendName: string): KernelConfig {
  const fallback = fallbackKernel(name, backendName);
  const fast = FAST[name];
  const kernelFunc: KernelFunc = (params) => {
    const r = new KernelRunner(params.backend as HeapBackend, backendName);
    return fast(r, params.inputs, params.attrs ?? {}) ?? fallback(params);
  };
  return { kernelName: name, backendName, kernelFunc };
}

/** Registers the fast kernels for a backend. Call it once the backend is initialised. */
export function installFastKernels(backendName = "wasm", names: readonly ReplacedKernel[] = REPLACED_KERNELS): void {
  for (const name of names) replaceKernel(fastKernel(name, backendName));
  if (names.includes("LeakyRelu")) replaceGradient(leakyReluGradient);
}

/** Puts a kernel back as shipped or, where tfjs ships none (Conv2DBackpropFilter on wasm), the cpu delegate. */
export function restoreKernel(name: ReplacedKernel, backendName = "wasm"): "stock" | "cpu" {
  if (name === "LeakyRelu") restoreGradient(name);
  const stock = stockKernel(name, backendName);
  if (stock) {
    // A stock kernel binds its wasm function in setupFunc, which tfjs ran only if it was registered at init.
    const backend = tf.findBackend(backendName);
    if (backend && stock.setupFunc) stock.setupFunc(backend);
    replaceKernel(stock);
    return "stock";
  }
  replaceKernel({ kernelName: name, backendName, kernelFunc: cpuDelegate(name) });
  return "cpu";
}
