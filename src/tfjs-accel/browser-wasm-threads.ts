/**
 * Keeps tfjs's multithreaded wasm backend working after bundling, and lets it use every core.
 *
 * 1. tfjs starts its wasm threads from a Blob holding `factory.toString()`: the Emscripten factory's source,
 *    run again inside each worker. The factory reads one variable from its enclosing closure, `_scriptDir`,
 *    guarded by `typeof` so that the worker (where that closure does not exist) skips it. A minifier that
 *    sees the variable declared turns `typeof _scriptDir !== "undefined"` into `e !== void 0`, and every
 *    worker dies with "e is not defined": the backend then hangs. Moving the value to a global property
 *    makes the guard immune to renaming: a missing property is just undefined.
 * 2. The backend caps its thread pool at half the logical cores (it assumes two hardware threads per core).
 *    The count it divides comes from `_emscripten_num_logical_cores`; the page may override it with
 *    `liftWasmThreadCap`, which the benchmark does to compare thread counts (see src/client/generator/tf.ts).
 *
 * The plugin runs at build time (astro.config.mjs); `liftWasmThreadCap` runs in the page. They share the names of
 * the globals, so they live together.
 */
import type { Plugin } from "vite";

const THREADED_MODULE = /tfjs-backend-wasm[\\/]wasm-out[\\/]tfjs-backend-wasm-threaded-simd\.js$/;
const SCRIPT_DIR = "globalThis.__tfjsWasmScriptDir";
const CORES_GLOBAL = "__tfjsWasmLogicalCores";
const CORES_SOURCE = 'return navigator["hardwareConcurrency"]}';
const CORES_OVERRIDE = `return globalThis.${CORES_GLOBAL}||navigator["hardwareConcurrency"]}`;

export function tfjsWasmThreads(): Plugin {
  return {
    name: "spot-the-fake:tfjs-wasm-threads",
    enforce: "pre",
    transform(code, id) {
      if (!THREADED_MODULE.test(id.split("?")[0] ?? "")) return null;
      if (!code.includes(CORES_SOURCE) || !/var _scriptDir\s*=/.test(code)) {
        this.error("tfjs-wasm-threads: the threaded wasm module changed shape; check the patch against the new tfjs");
      }
      const patched = code
        .replace(/var _scriptDir\s*=/, `${SCRIPT_DIR} =`)
        .replace(/\b_scriptDir\b/g, SCRIPT_DIR)
        .replace(CORES_SOURCE, CORES_OVERRIDE);
      return { code: patched, map: null };
    },
  };
}

/**
 * Lets the patched threaded module start `threads` threads: tfjs caps its pool at half the logical cores it reads,
 * so report twice the wanted count. Only before the wasm backend initialises.
 */
export function liftWasmThreadCap(threads: number): void {
  Object.assign(globalThis, { [CORES_GLOBAL]: 2 * threads });
}
