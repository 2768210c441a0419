/**
 * The native training route: tfjs's wasm backend (one thread, for the small ops) with the heavy kernels in
 * oneDNN (2 threads by default). Starts only if the addon is built and every native kernel matches the cpu
 * backend; otherwise it says why, in a line, and puts the wasm kernels back.
 */
import { accelerateWasm } from "../../accelerate.ts";
import { startWasm } from "../wasm-threads.ts";
import { checkNativeKernels } from "./check.ts";
import { type Dnnl, loadDnnl } from "./dnnl.ts";
import { installNativeKernels, uninstallNativeKernels } from "./install.ts";

export class NativeRouteRefused extends Error {}

export interface NativeStart {
  threads: number;
  reasons: string[];
}

/**
 * Starts the route with `threads` oneDNN threads. `dnnl` replaces the built addon (the test that a wrong kernel
 * is refused passes a broken one). Throws NativeRouteRefused with the user-facing reason.
 */
export async function startNative(threads: number, dnnl?: Dnnl): Promise<NativeStart> {
  const loaded = dnnl ? { dnnl } : loadDnnl();
  if (!loaded.dnnl) throw new NativeRouteRefused(loaded.reason);
  // wasm keeps one thread: its pool and OpenMP's would take turns on the same cores, and what stays on wasm is
  // small. No SharedArrayBuffer either, so the heap views the addon gets are plain ArrayBuffer memory.
  await startWasm(1);
  const warnings: string[] = [];
  await accelerateWasm({ warn: (w) => warnings.push(w) });
  loaded.dnnl.setThreads(threads);
  installNativeKernels(loaded.dnnl, "wasm");
  const results = await checkNativeKernels("wasm");
  const failed = results.filter((r) => !r.ok);
  if (failed.length > 0) {
    uninstallNativeKernels("wasm");
    const what = failed.map((r) => `${r.name}: ${r.error ?? `relative error ${r.relError.toExponential(2)}`}`);
    throw new NativeRouteRefused(`native kernels differ from the cpu backend, refused (${what.join("; ")})`);
  }
  return {
    threads: loaded.dnnl.threads(),
    reasons: [
      `native: oneDNN ${loaded.dnnl.version()}, ${results.length}/${results.length} kernel groups match the cpu backend (relative error ≤ 1e-4)`,
      ...warnings,
    ],
  };
}
