/**
 * Running tfjs kernels from inside a kernel, and reading and writing the wasm backend's heap directly.
 *
 * The replacement kernels (conv-kernels.ts, small-kernels.ts) and the native route (node/native/) are built from
 * other kernels of the same backend, called by name, and from copies made straight on the heap through the wasm
 * backend's `typedArrayFromHeap` and `makeOutput`, which tfjs's KernelBackend interface does not promise: that is
 * why tfjs is pinned to an exact version.
 */

import type { KernelBackend, NamedAttrMap, TensorInfo } from "@tensorflow/tfjs";
import * as tf from "@tensorflow/tfjs";

export type Shape4 = [number, number, number, number];
type Pads = [number, number, number, number];
export type Typed = Float32Array | Int32Array | Uint8Array;

/** What the wasm backend offers beyond KernelBackend: views of its heap and outputs allocated in it. */
export interface HeapBackend extends KernelBackend {
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

/** The heap views of a runner whose backend has a heap. */
export type Heap = NonNullable<ReturnType<KernelRunner["views"]>>;
