/**
 * Convolution kernels that make tfjs's wasm backend train convolutions, and train and infer them fast.
 *
 * tfjs-backend-wasm 4.22 ships no Conv2DBackpropFilter (tfjs issue #8474), and its Conv2DBackpropInput (the
 * transposed convolution that is every layer of G) runs far below its Conv2D. Both are rewritten here as
 * XNNPACK convolutions plus cheap copies, so they run at the speed of the fast forward kernel:
 * - weight gradient = a convolution of the input with the output gradient (batch and channels swapped,
 *   the stride becoming a dilation);
 * - transposed convolution = one stride-1 convolution with the s² sub-filters stacked as output channels,
 *   then a depth-to-space ("sub-pixel convolution"): no multiplications by the zeros a naive transposed
 *   convolution inserts.
 *
 * Pure tfjs, so the browser's wasm backend can use it too. It leans on tfjs internals (runner.ts), which is why
 * `kernel-check.ts` compares every replacement with the cpu backend before it is trusted.
 */

import type { KernelBackend, TensorInfo } from "@tensorflow/tfjs";
import * as tf from "@tensorflow/tfjs";
import type { Heap, KernelRunner, Shape4, Typed } from "./runner.ts";

export interface ConvAttrs {
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
