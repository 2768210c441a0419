/**
 * tfjs-accel's entry point for the browser and for training: makes an initialised wasm backend run our
 * replacement kernels, keeping only those that pass their start-up check against the cpu backend.
 *
 * The replacements lean on tfjs internals (the kernel registry, the wasm heap), which is why tfjs is pinned to an
 * exact version and why every one is checked before it is trusted: a failed check puts the stock kernel back,
 * costing speed, never correctness. Node adds its own starters beside this (node/): wasm with threads, and the
 * oneDNN route, which calls this too.
 */
import { checkReplacedKernels, type KernelCheckResult } from "./kernel-check.ts";
import { installFastKernels, REPLACED_KERNELS, type ReplacedKernel } from "./registry.ts";

export type { KernelCheckResult, ReplacedKernel };

export interface AccelerateOptions {
  /** Which replacements to use (default: all; the browser only generates, so it needs the transposed convolution). */
  kernels?: readonly ReplacedKernel[];
  /** Hears about each kernel put back after a failed check (default: console.warn). */
  warn?: (message: string) => void;
}

/** Installs the replacement kernels on "wasm" (already the active backend) and checks them; wasm stays active. */
export async function accelerateWasm(options: AccelerateOptions = {}): Promise<KernelCheckResult[]> {
  const { kernels = REPLACED_KERNELS, warn } = options;
  installFastKernels("wasm", kernels);
  return checkReplacedKernels("wasm", { kernels, warn });
}
