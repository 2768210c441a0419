/**
 * The generator's layers are transposed convolutions, which tfjs's wasm backend runs far below the speed of its
 * own convolutions. src/tfjs-accel/ rewrites them as fast XNNPACK convolutions (shared with training); here they
 * go in for the browser, after a check against the cpu backend on small inputs, which puts the stock kernel back
 * if the replacement disagrees. A failed check costs speed, never correctness.
 */
const INFERENCE_KERNELS = ["Conv2DBackpropInput"] as const;

export async function installWasmSpeedups(): Promise<boolean> {
  const { accelerateWasm } = await import("../../tfjs-accel/accelerate.ts");
  const start = performance.now();
  const results = await accelerateWasm({ kernels: INFERENCE_KERNELS });
  // Visible in the browser's performance panel, and read by the benchmark.
  performance.measure("stf:wasm-kernel-check", { start });
  return results.every((result) => result.ok);
}
