/**
 * The generator's layers are transposed convolutions, which tfjs's wasm backend runs far below the speed of its
 * own convolutions. src/tfjs-accel/conv-kernels.ts rewrites them as fast XNNPACK convolutions (shared with
 * training); here they go in for the browser, after a check against the cpu backend on small inputs, which puts
 * the stock kernel back if the replacement disagrees. A failed check costs speed, never correctness.
 */
const INFERENCE_KERNELS = ["Conv2DBackpropInput"] as const;

export async function installWasmSpeedups(): Promise<boolean> {
  const [{ installFastKernels }, { checkReplacedKernels }] = await Promise.all([
    import("../../tfjs-accel/registry.ts"),
    import("../../tfjs-accel/kernel-check.ts"),
  ]);
  const start = performance.now();
  installFastKernels("wasm", INFERENCE_KERNELS);
  const results = await checkReplacedKernels("wasm", { kernels: INFERENCE_KERNELS });
  // Visible in the browser's performance panel, and read by the benchmark.
  performance.measure("stf:wasm-kernel-check", { start });
  return results.every((result) => result.ok);
}
