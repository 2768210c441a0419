/**
 * Loads TensorFlow.js on demand. The bundle is ~1.9 MB, so it is imported dynamically the first time a face
 * is needed, never with the page: the game's first paint does not wait for it.
 */
import wasmPlainUrl from "@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm?url";
import wasmSimdUrl from "@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm?url";
import wasmThreadedUrl from "@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-threaded-simd.wasm?url";

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
  // tfjs caps wasm threads at half the logical cores, which is a single thread on a 2-core phone or laptop;
  // every core helps here (measured +55 % on 2 cores). The backend reads the core count it halves from
  // this global (patched in by scripts/vite/tfjs-wasm-threads.ts). Threads only exist when the page is
  // cross-origin isolated (SharedArrayBuffer); otherwise tfjs quietly loads the single-threaded SIMD build.
  const cores = navigator.hardwareConcurrency || 1;
  Object.assign(globalThis, { __tfjsWasmLogicalCores: 2 * cores });
  wasm.setThreadsCount(wasmThreads ?? Math.min(4, cores));
  // Only pull in the WebGPU backend where the browser has WebGPU at all.
  if ("gpu" in navigator) await import("@tensorflow/tfjs-backend-webgpu");
  return tf;
}
