/**
 * The DCGAN step's full-size passes that are not convolutions, in oneDNN: ReLU, LeakyReLU and tanh forward,
 * their gradients as one pass each (tfjs takes a step() and a multiply, or three ops for tanh), and the
 * bias gradients (sums over n, h, w). Profiled after the convolutions went native, these were most of what
 * was left on wasm. Anything that is not float32 goes to the kernel that was registered before.
 */
import type { GradConfig, KernelConfig, KernelFunc, TensorInfo } from "@tensorflow/tfjs";
import * as tf from "@tensorflow/tfjs";
import { replaceKernel } from "../../registry.ts";
import { KernelRunner } from "../../runner.ts";
import type { Dnnl } from "./dnnl.ts";
import { kernelBefore, putBack } from "./kernel-swap.ts";

export const ACTIVATION_GRAD = "NativeActivationGrad";
type Activation = "relu" | "tanh";

function runnerOf(backend: unknown, backendName: string) {
  return new KernelRunner(backend as ConstructorParameters<typeof KernelRunner>[0], backendName);
}

/** Output of x's shape, computed by `call` on heap views of (inputs…, output); null where there is no heap. */
function elementwise(r: KernelRunner, inputs: TensorInfo[], shape: number[], call: (v: Float32Array[]) => void) {
  const heap = r.views();
  if (heap === null || inputs.some((t) => t.dtype !== "float32")) return null;
  const out = heap.alloc(shape, "float32");
  call([...inputs, out].map((t) => heap.view(t) as Float32Array));
  return out;
}

const float = (views: Float32Array[], i: number) => views[i] as Float32Array;

function activationKernel(dnnl: Dnnl, name: string, kind: Activation, backendName: string, fallback: KernelFunc) {
  const kernelFunc: KernelFunc = (params) => {
    const x = params.inputs.x as TensorInfo;
    const alpha = name === "LeakyRelu" ? ((params.attrs as { alpha: number }).alpha ?? 0.2) : 0;
    const r = runnerOf(params.backend, backendName);
    return (
      elementwise(r, [x], x.shape, (v) => dnnl.activation(kind, alpha, float(v, 0), float(v, 1))) ?? fallback(params)
    );
  };
  return { kernelName: name, backendName, kernelFunc };
}

function activationGradKernel(dnnl: Dnnl, backendName: string): KernelConfig {
  return {
    kernelName: ACTIVATION_GRAD,
    backendName,
    kernelFunc: ({ inputs, backend, attrs }) => {
      const { dy, data } = inputs as { dy: TensorInfo; data: TensorInfo };
      const { kind, alpha } = attrs as unknown as { kind: Activation; alpha: number };
      const out = elementwise(runnerOf(backend, backendName), [dy, data], dy.shape, (v) =>
        dnnl.activationBackward(kind, alpha, float(v, 0), float(v, 1), float(v, 2)),
      );
      if (out === null) throw new Error(`${ACTIVATION_GRAD} needs float32 tensors on a backend with a heap`);
      return out;
    },
  };
}

/** Sum over leading axes (a bias gradient); null for any other reduction. */
function sumKernel(dnnl: Dnnl, backendName: string, fallback: KernelFunc): KernelConfig {
  const kernelFunc: KernelFunc = (params) => {
    const x = params.inputs.x as TensorInfo;
    const { axis, keepDims } = params.attrs as { axis: number | number[]; keepDims: boolean };
    const rank = x.shape.length;
    const axes = [axis].flat().map((a) => (a < 0 ? a + rank : a));
    const leading = axes.length < rank && [...axes].sort((a, b) => a - b).every((a, i) => a === i);
    if (!leading || x.dtype !== "float32") return fallback(params);
    const kept = x.shape.slice(axes.length);
    const shape = keepDims ? [...axes.map(() => 1), ...kept] : kept;
    const rows = x.shape.slice(0, axes.length).reduce((a, b) => a * b, 1);
    const r = runnerOf(params.backend, backendName);
    return elementwise(r, [x], shape, (v) => dnnl.sumRows(rows, float(v, 0), float(v, 1))) ?? fallback(params);
  };
  return { kernelName: "Sum", backendName, kernelFunc };
}

/**
 * Gradients are registered for every backend at once, so each one asks whether the backend running it has the
 * native kernel and otherwise uses the gradient it replaced (the cpu reference in the start-up check, say).
 */
function activationGradient(name: string, kind: Activation, stock: GradConfig): GradConfig {
  return {
    ...stock,
    gradFunc: (dy, saved, attrs) => {
      if (!tf.getKernel(ACTIVATION_GRAD, tf.getBackend())) return stock.gradFunc(dy, saved, attrs);
      const [data] = saved as tf.Tensor[];
      const alpha = name === "LeakyRelu" ? (attrs as { alpha: number }).alpha : 0;
      return {
        x: () => tf.engine().runKernel(ACTIVATION_GRAD, { dy, data } as never, { kind, alpha }) as tf.Tensor,
      };
    },
  };
}

const ACTIVATIONS: [string, Activation][] = [
  ["Relu", "relu"],
  ["LeakyRelu", "relu"],
  ["Tanh", "tanh"],
];

/** The gradients the native ones replaced, restored by `uninstallElementwiseKernels`. */
const stockGradients = new Map<string, GradConfig>();

export function installElementwiseKernels(dnnl: Dnnl, backendName = "wasm"): void {
  for (const [name, kind] of ACTIVATIONS) {
    replaceKernel(activationKernel(dnnl, name, kind, backendName, kernelBefore(name, backendName)));
    if (!stockGradients.has(name)) {
      const stock = tf.getGradient(name);
      if (!stock) throw new Error(`tfjs has no gradient for ${name}`);
      stockGradients.set(name, stock);
      tf.unregisterGradient(name);
      tf.registerGradient(activationGradient(name, kind, stock));
    }
  }
  replaceKernel(activationGradKernel(dnnl, backendName));
  replaceKernel(sumKernel(dnnl, backendName, kernelBefore("Sum", backendName)));
}

/** Puts back the kernels and gradients that were registered before `installElementwiseKernels`. */
export function uninstallElementwiseKernels(backendName = "wasm"): void {
  putBack([...ACTIVATIONS.map(([n]) => n), "Sum"], backendName);
  for (const [name, gradient] of stockGradients) {
    tf.unregisterGradient(name);
    tf.registerGradient(gradient);
  }
  stockGradients.clear();
  if (tf.getKernel(ACTIVATION_GRAD, backendName)) tf.unregisterKernel(ACTIVATION_GRAD, backendName);
}
