/**
 * Which kernels tfjs-accel replaces, and how they go in and come out: each replacement is registered in front of
 * the stock kernel, falls back on it (or on the cpu backend's, where wasm ships none) for the cases it does not
 * cover, and can be put back when its start-up check (kernel-check.ts) fails.
 */

import type { GradConfig, KernelBackend, KernelConfig, KernelFunc, NamedAttrMap, TensorInfo } from "@tensorflow/tfjs";
import * as tf from "@tensorflow/tfjs";
import { type ConvAttrs, conv2dBackpropFilter, conv2dBackpropInput } from "./conv-kernels.ts";
import { type HeapBackend, KernelRunner, type Shape4 } from "./runner.ts";
import { batchMatMul, identity, leakyRelu, leakyReluGradient, reduceLeading, slice, tile } from "./small-kernels.ts";

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
