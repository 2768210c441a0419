/**
 * Matrix multiplication in oneDNN: the dense layers (G's projection of z to 4×4, D's logit) and their
 * gradients, which tfjs runs as BatchMatMul / _FusedMatMul with transposed operands. Transposes cost nothing
 * here: oneDNN reads a transposed operand through its strides. Broadcast batch dims and fused activations
 * other than "linear" go to the kernel registered before.
 */
import type { KernelFunc, TensorInfo } from "@tensorflow/tfjs";
import { replaceKernel } from "../../registry.ts";
import { KernelRunner } from "../../runner.ts";
import type { Dnnl } from "./dnnl.ts";
import { kernelBefore, putBack } from "./kernel-swap.ts";

const MATMUL_KERNELS = ["BatchMatMul", "_FusedMatMul"] as const;

interface MatMulAttrs {
  transposeA: boolean;
  transposeB: boolean;
  activation?: string;
}

function product(
  r: KernelRunner,
  dnnl: Dnnl,
  a: TensorInfo,
  b: TensorInfo,
  bias: TensorInfo | null,
  attrs: MatMulAttrs,
) {
  const heap = r.views();
  const rank = a.shape.length;
  const batchOf = (t: TensorInfo) => t.shape.slice(0, -2).reduce((x, y) => x * y, 1);
  if (heap === null || rank < 2 || b.shape.length !== rank || batchOf(a) !== batchOf(b)) return null;
  if ([a, b, bias].some((t) => t !== null && t.dtype !== "float32")) return null;
  if (bias !== null && bias.shape.length !== 1) return null;
  const [a0 = 0, a1 = 0] = a.shape.slice(-2);
  const [b0 = 0, b1 = 0] = b.shape.slice(-2);
  const [m, k] = attrs.transposeA ? [a1, a0] : [a0, a1];
  const n = attrs.transposeB ? b0 : b1;
  if ((attrs.transposeB ? b1 : b0) !== k || (bias !== null && bias.shape[0] !== n)) return null;
  const out = heap.alloc([...a.shape.slice(0, -2), m, n], "float32");
  const view = (t: TensorInfo) => heap.view(t) as Float32Array;
  const dims = [batchOf(a), m, k, n, attrs.transposeA ? 1 : 0, attrs.transposeB ? 1 : 0];
  dnnl.matmul(dims, view(a), view(b), bias === null ? null : view(bias), view(out));
  return out;
}

export function installMatmulKernels(dnnl: Dnnl, backendName = "wasm"): void {
  for (const name of MATMUL_KERNELS) {
    const fallback = kernelBefore(name, backendName);
    const kernelFunc: KernelFunc = (params) => {
      const { a, b, bias, preluActivationWeights } = params.inputs as Record<string, TensorInfo | undefined>;
      const attrs = params.attrs as unknown as MatMulAttrs;
      const fusedOk = !preluActivationWeights && (attrs.activation ?? "linear") === "linear";
      const r = new KernelRunner(params.backend as ConstructorParameters<typeof KernelRunner>[0], backendName);
      const out = a && b && fusedOk ? product(r, dnnl, a, b, bias ?? null, attrs) : null;
      return out ?? fallback(params);
    };
    replaceKernel({ kernelName: name, backendName, kernelFunc });
  }
}

export function uninstallMatmulKernels(backendName = "wasm"): void {
  putBack(MATMUL_KERNELS, backendName);
}
