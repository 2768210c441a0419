/**
 * tfjs kernels that hand the wasm backend's convolutions to oneDNN: Conv2D and FusedConv2D (D's layers, the
 * first with its bias, and G's data gradients), Conv2DBackpropInput (G's transposed convolutions and D's data
 * gradients) and Conv2DBackpropFilter (every weight gradient).
 *
 * Tensors stay where the wasm backend keeps them: the addon reads and writes the wasm heap through typed-array
 * views, so nothing is copied. The heap can move when it grows, so every view is taken after the output is
 * allocated and used before anything else runs. Shapes oneDNN is not given (NCHW, dilations, negative
 * padding) go to the kernel that was registered before (the fast wasm one).
 */
import type { KernelConfig, KernelFunc, NamedAttrMap, TensorInfo } from "@tensorflow/tfjs";
import * as tf from "@tensorflow/tfjs";
import type { Conv2DInfo } from "@tensorflow/tfjs-core/dist/ops/conv_util";
import { replaceKernel } from "../../registry.ts";
import { KernelRunner } from "../../runner.ts";
import type { ConvGeometry, Dnnl } from "./dnnl.ts";
import { kernelBefore, putBack } from "./kernel-swap.ts";

export const CONV_KERNELS = ["Conv2D", "FusedConv2D", "Conv2DBackpropInput", "Conv2DBackpropFilter"] as const;
type NativeKernel = (typeof CONV_KERNELS)[number];

type Shape4 = [number, number, number, number];
interface ConvAttrs {
  strides: number | [number, number];
  pad: "same" | "valid" | number | [[number, number], [number, number], [number, number], [number, number]];
  dataFormat: "NHWC" | "NCHW";
  dilations?: number | [number, number];
  dimRoundingMode?: "floor" | "round" | "ceil";
}

/** oneDNN's geometry, or null for what it is not given here. */
function geometry(inShape: Shape4, filterShape: Shape4, attrs: ConvAttrs): ConvGeometry | null {
  const dilated = attrs.dilations !== undefined && [attrs.dilations].flat().some((d) => d !== 1);
  if (attrs.dataFormat === "NCHW" || dilated) return null;
  const info: Conv2DInfo = tf.backend_util.computeConv2DInfo(
    inShape,
    filterShape,
    attrs.strides,
    1,
    attrs.pad,
    attrs.dimRoundingMode,
  );
  const { batchSize, inHeight, inWidth, inChannels, filterHeight, filterWidth, outChannels } = info;
  const { outHeight, outWidth, strideHeight, strideWidth, padInfo } = info;
  // oneDNN derives the output size from both paddings, so the far side gets exactly what makes it come out right.
  const bottom = (outHeight - 1) * strideHeight + filterHeight - inHeight - padInfo.top;
  const right = (outWidth - 1) * strideWidth + filterWidth - inWidth - padInfo.left;
  if (padInfo.top < 0 || padInfo.left < 0 || bottom < 0 || right < 0) return null;
  return [
    batchSize,
    inHeight,
    inWidth,
    inChannels,
    filterHeight,
    filterWidth,
    outChannels,
    outHeight,
    outWidth,
    strideHeight,
    strideWidth,
    padInfo.top,
    padInfo.left,
    bottom,
    right,
  ];
}

type Native = (
  dnnl: Dnnl,
  r: KernelRunner,
  inputs: Record<string, TensorInfo | undefined>,
  attrs: NamedAttrMap,
) => TensorInfo | null;

/** Allocates the output, then runs `call` on fresh heap views of the inputs and (last) the output. */
function onHeap(
  r: KernelRunner,
  outShape: number[],
  inputs: TensorInfo[],
  call: (view: (i: number) => Float32Array) => void,
) {
  const heap = r.views();
  if (heap === null || inputs.some((t) => t.dtype !== "float32")) return null;
  const out = heap.alloc(outShape, "float32");
  const views = [...inputs, out].map((t) => heap.view(t) as Float32Array);
  call((i) => views[i < 0 ? views.length + i : i] as Float32Array);
  return out;
}

// tfjs never writes into a tensor's data after creating it (a variable's update makes new data), so a dataId
// names fixed contents for as long as it lives: the addon keeps the reordered weights of the last token it saw.
const tokens = new WeakMap<object, number>();
let lastToken = 0;
export function weightsToken(t: TensorInfo): number {
  let token = tokens.get(t.dataId);
  if (token === undefined) {
    token = ++lastToken;
    tokens.set(t.dataId, token);
  }
  return token;
}

const NATIVE: Record<NativeKernel, Native> = {
  Conv2D: (dnnl, r, { x, filter }, a) => {
    const g = x && filter ? geometry(x.shape as Shape4, filter.shape as Shape4, a as unknown as ConvAttrs) : null;
    if (!x || !filter || g === null) return null;
    const outShape = [g[0], g[7], g[8], g[6]] as number[];
    return onHeap(r, outShape, [x, filter], (v) => dnnl.conv2d(g, v(0), v(1), null, v(2), weightsToken(filter)));
  },
  // tfjs-layers' Conv2D: a convolution plus bias; activations here are separate layers, so only "linear" is taken.
  FusedConv2D: (dnnl, r, { x, filter, bias, preluActivationWeights }, a) => {
    if (!x || !filter || preluActivationWeights || (a.activation ?? "linear") !== "linear") return null;
    const g = geometry(x.shape as Shape4, filter.shape as Shape4, a as unknown as ConvAttrs);
    if (g === null || (bias && bias.shape.length !== 1)) return null;
    const outShape = [g[0], g[7], g[8], g[6]] as number[];
    const inputs = bias ? [x, filter, bias] : [x, filter];
    return onHeap(r, outShape, inputs, (v) =>
      dnnl.conv2d(g, v(0), v(1), bias ? v(2) : null, v(-1), weightsToken(filter)),
    );
  },
  Conv2DBackpropInput: (dnnl, r, { dy, filter }, a) => {
    const attrs = a as unknown as ConvAttrs & { inputShape: Shape4 };
    const g = dy && filter ? geometry(attrs.inputShape, filter.shape as Shape4, attrs) : null;
    if (!dy || !filter || g === null) return null;
    return onHeap(r, attrs.inputShape, [dy, filter], (v) =>
      dnnl.conv2dBackpropInput(g, v(0), v(1), v(2), weightsToken(filter)),
    );
  },
  Conv2DBackpropFilter: (dnnl, r, { x, dy }, a) => {
    const attrs = a as unknown as ConvAttrs & { filterShape: Shape4 };
    const g = x && dy ? geometry(x.shape as Shape4, attrs.filterShape, attrs) : null;
    if (!x || !dy || g === null) return null;
    return onHeap(r, attrs.filterShape, [x, dy], (v) => dnnl.conv2dBackpropFilter(g, v(0), v(1), v(2)));
  },
};

export function nativeKernel(dnnl: Dnnl, name: NativeKernel, backendName: string, fallback: KernelFunc): KernelConfig {
  const kernelFunc: KernelFunc = (params) => {
    const r = new KernelRunner(params.backend as ConstructorParameters<typeof KernelRunner>[0], backendName);
    return NATIVE[name](dnnl, r, params.inputs, params.attrs ?? {}) ?? fallback(params);
  };
  return { kernelName: name, backendName, kernelFunc };
}

/** Registers the native convolutions for an initialised backend (wasm), in front of whatever ran them before. */
export function installConvKernels(dnnl: Dnnl, backendName = "wasm") {
  for (const name of CONV_KERNELS)
    replaceKernel(nativeKernel(dnnl, name, backendName, kernelBefore(name, backendName)));
}

/** Puts back the kernels that were registered before `installConvKernels`. */
export function uninstallConvKernels(backendName = "wasm") {
  putBack(CONV_KERNELS, backendName);
}
