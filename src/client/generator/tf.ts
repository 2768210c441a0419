/**
 * Loads TensorFlow.js on demand. The bundle is ~1.9 MB, so it is imported dynamically the first time a face
 * is needed, never with the page: the game's first paint does not wait for it.
 */
import wasmPlainUrl from "@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm?url";
import wasmSimdUrl from "@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm?url";
import wasmThreadedUrl from "@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-threaded-simd.wasm?url";
import { liftWasmThreadCap } from "../../tfjs-accel/browser-wasm-threads.ts";

export type Tf = typeof import("@tensorflow/tfjs");

let loading: Promise<Tf> | null = null;
let wasmThreads: number | null = null;

export function loadTf(): Promise<Tf> {
  loading ??= importTf();
  return loading;
}

/** Fixes the wasm thread count (the benchmark compares counts); only before tfjs is first loaded. */
export function setWasmThreads(threads: number): void {
  if (loading) throw new Error("setWasmThreads must come before the first loadTf()");
  wasmThreads = threads;
}

async function importTf(): Promise<Tf> {
  const tf = await import("@tensorflow/tfjs");
  const wasm = await import("@tensorflow/tfjs-backend-wasm");
  // Vite fingerprints the .wasm files, so the backend must be told their served names.
  wasm.setWasmPaths({
    "tfjs-backend-wasm.wasm": wasmPlainUrl,
    "tfjs-backend-wasm-simd.wasm": wasmSimdUrl,
    "tfjs-backend-wasm-threaded-simd.wasm": wasmThreadedUrl,
  });
  // Threads exist only when the page is cross-origin isolated (SharedArrayBuffer); otherwise tfjs quietly
  // loads the single-threaded SIMD build. The game keeps tfjs's default, half the logical cores (one thread on
  // a 2-core device): a face is a chain of small operations, and waking a second thread for each cost more
  // than it saved on 2 cores (bench:browser: 15.8 vs 41.5 ms per face). A fixed count (the benchmark's) also
  // lifts tfjs's cap, through the core count the patched backend reads (src/tfjs-accel/browser-wasm-threads.ts).
  if (wasmThreads !== null) {
    liftWasmThreadCap(wasmThreads);
    wasm.setThreadsCount(wasmThreads);
  }
  // One thread needs no thread pool: the threaded build would still start its 8 idle workers.
  const threads = wasmThreads ?? Math.floor((navigator.hardwareConcurrency || 1) / 2);
  if (threads <= 1) tf.env().set("WASM_HAS_MULTITHREAD_SUPPORT", false);
  // The WebGPU backend is a sizeable chunk: only load it where the browser offers a GPU adapter.
  if (await hasWebgpuAdapter()) await import("@tensorflow/tfjs-backend-webgpu");
  return tf;
}

/** Asking for an adapter first also spares the console tfjs's warnings on browsers with WebGPU but no GPU. */
export async function hasWebgpuAdapter(): Promise<boolean> {
  const gpu = (navigator as Navigator & { gpu?: { requestAdapter(): Promise<unknown> } }).gpu;
  if (!gpu) return false;
  try {
    return (await gpu.requestAdapter()) !== null;
  } catch {
    return false;
  }
}
