/**
 * The native kernels go in front of the kernels they replace: the one found first is kept per backend, as the
 * fallback for cases oneDNN is not given and as what `putBack` restores when the route is refused or left.
 */
import type { KernelConfig, KernelFunc } from "@tensorflow/tfjs";
import * as tf from "@tensorflow/tfjs";
import { replaceKernel } from "../../registry.ts";

const replaced = new Map<string, KernelConfig>();

/** The kernel that ran `name` before the native one (captured on first use). */
export function kernelBefore(name: string, backendName: string): KernelFunc {
  const key = `${backendName}/${name}`;
  if (!replaced.has(key)) {
    const kernel = tf.getKernel(name, backendName);
    if (!kernel) throw new Error(`no ${name} kernel on ${backendName} to fall back on`);
    replaced.set(key, kernel);
  }
  return (replaced.get(key) as KernelConfig).kernelFunc;
}

/** Registers the kernels that ran `names` before the native ones went in. */
export function putBack(names: readonly string[], backendName: string): void {
  for (const name of names) {
    const kernel = replaced.get(`${backendName}/${name}`);
    if (kernel) replaceKernel(kernel);
  }
}
