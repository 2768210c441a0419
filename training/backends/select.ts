/**
 * Picks the tfjs backend for training (and Node-side inference), and says why.
 *
 * "auto" tries, fastest first: CUDA through @tensorflow/tfjs-node-gpu, any Vulkan/Metal/D3D GPU through WebGPU
 * (Dawn's Node bindings, the `webgpu` package), libtensorflow on the CPU through @tensorflow/tfjs-node, then the
 * wasm backend with our fast kernels and threads, then the pure-JS cpu backend. The GPU and libtensorflow
 * routes are optional packages that need internet (or a GPU) to install or run, so each is a dynamic import
 * in a try/catch, and every route skipped leaves a reason behind.
 *
 * Usage:
 *   const { name, threads } = await selectBackend(opts.backend ?? "auto", { threads: opts.threads });
 * prints e.g. "backend: wasm (tfjs "wasm", 2 threads)" and one line per reason. An explicitly requested backend
 * that cannot run throws BackendUnavailableError, a UserError: a command line (training/cli/run-command.ts)
 * prints "<command>: backend "node-gpu" is not available here: …" and exits with status 2.
 */
import os from "node:os";
import * as tf from "@tensorflow/tfjs";
import { accelerateWasm } from "../../src/tfjs-accel/accelerate.ts";
import { NATIVE_PARTS, uninstallNativeKernels } from "../../src/tfjs-accel/node/native/install.ts";
import { NativeRouteRefused, startNative } from "../../src/tfjs-accel/node/native/route.ts";
import { startWasm } from "../../src/tfjs-accel/node/wasm-threads.ts";
import { STOCK_PARTS, type TrainingParts } from "../../src/tfjs-accel/parts.ts";
import { UserError } from "../cli/user-error.ts";

export const BACKEND_REQUESTS = ["auto", "node-gpu", "webgpu", "native", "node", "wasm", "cpu"] as const;
export type BackendRequest = (typeof BACKEND_REQUESTS)[number];
type Route = Exclude<BackendRequest, "auto">;

export interface SelectOptions {
  /** CPU threads for wasm (default: all logical cores). Ignored by the other backends. */
  threads?: number;
  /** Where the choice and the reasons go (default: console.log). */
  log?: (message: string) => void;
}

export interface BackendChoice {
  /** The route taken ("node-gpu", "webgpu", "native", "node", "wasm" or "cpu"); tf.getBackend() names tfjs's backend. */
  name: Route;
  /** CPU threads computing: oneDNN's, wasm's XNNPACK pool, libtensorflow's default pool, 1 for cpu and GPU routes. */
  threads: number;
  /** The layer and optimizer implementations to train with (the native route swaps in its own). */
  parts: TrainingParts;
  /** Why each route was skipped, and what the chosen one found (threads, kernel checks). */
  reasons: string[];
}

/** A requested backend that cannot run here; the message says why and is meant for the user as is. */
export class BackendUnavailableError extends UserError {
  override name = "BackendUnavailableError";
}

/** A route that cannot run here; `reason` is the user-facing explanation. */
class Skip extends Error {}

export const AUTO_ORDER: Route[] = ["node-gpu", "webgpu", "native", "node", "wasm", "cpu"];

const ROUTES: Record<Route, (opts: SelectOptions, reasons: string[]) => Promise<number>> = {
  "node-gpu": startNodeGpu,
  webgpu: startWebGpu,
  native: startNativeRoute,
  node: startNode,
  wasm: startFastWasm,
  cpu: startCpu,
};

/**
 * Makes the requested backend active. With "auto", falls through the routes in order; with an explicit name,
 * throws BackendUnavailableError (with the reason) when that one cannot run.
 */
export async function selectBackend(requested: BackendRequest, opts: SelectOptions = {}): Promise<BackendChoice> {
  const log = opts.log ?? console.log;
  const reasons: string[] = [];
  for (const route of requested === "auto" ? AUTO_ORDER : [requested]) {
    try {
      const threads = await ROUTES[route](opts, reasons);
      const choice = { name: route, threads, reasons, parts: route === "native" ? NATIVE_PARTS : STOCK_PARTS };
      log(describeChoice(choice));
      return choice;
    } catch (error) {
      const reason = `${route}: ${error instanceof Skip ? error.message : `failed to start (${messageOf(error)})`}`;
      reasons.push(reason);
      if (requested !== "auto")
        throw new BackendUnavailableError(
          `backend "${route}" is not available here: ${reason.slice(route.length + 2)}`,
        );
    }
  }
  throw new BackendUnavailableError(`no tfjs backend could start:\n  ${reasons.join("\n  ")}`);
}

export function describeChoice(choice: BackendChoice): string {
  const threads = `${choice.threads} thread${choice.threads === 1 ? "" : "s"}`;
  return [
    `backend: ${choice.name} (tfjs "${tf.getBackend()}", ${threads})`,
    ...choice.reasons.map((r) => `  - ${r}`),
  ].join("\n");
}

export function isBackendRequest(value: string): value is BackendRequest {
  return (BACKEND_REQUESTS as readonly string[]).includes(value);
}

/** Imports an optional package, turning "not installed" into a Skip with a hint at why it is missing. */
async function importOptional(name: string, hint: string): Promise<unknown> {
  try {
    return await import(name);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "ERR_MODULE_NOT_FOUND" || code === "MODULE_NOT_FOUND")
      throw new Skip(`${name} is not installed (${hint})`);
    throw new Skip(`${name} is installed but failed to load (${messageOf(error)})`);
  }
}

async function activate(tfBackend: string): Promise<void> {
  if (!(await tf.setBackend(tfBackend))) throw new Skip(`tfjs backend "${tfBackend}" failed to initialise`);
  await tf.ready();
}

async function startNodeGpu(_opts: SelectOptions, reasons: string[]): Promise<number> {
  await importOptional(
    "@tensorflow/tfjs-node-gpu",
    "an optional dependency; needs Linux x64, CUDA 11.2 + cuDNN 8.1 and internet to install",
  );
  await activate("tensorflow");
  // tfjs-node-gpu quietly runs on the CPU when CUDA finds no device.
  if ((tf.backend() as { isUsingGpuDevice?: boolean }).isUsingGpuDevice !== true) {
    throw new Skip("@tensorflow/tfjs-node-gpu loaded but CUDA sees no GPU device");
  }
  reasons.push("node-gpu: libtensorflow with CUDA on the GPU");
  return 1;
}

async function startWebGpu(_opts: SelectOptions, reasons: string[]): Promise<number> {
  const dawn = (await importOptional("webgpu", "an optional dependency: Dawn's Node bindings")) as {
    create: (flags: string[]) => { requestAdapter(): Promise<{ info?: { description?: string } } | null> };
    globals: object;
  };
  const gpu = dawn.create([]);
  const adapter = await gpu.requestAdapter();
  if (adapter === null)
    throw new Skip(
      "no GPU adapter (Dawn found no Vulkan/Metal/D3D device; on Linux it needs libvulkan.so.1 and a GPU driver)",
    );
  // tfjs-backend-webgpu registers itself only if navigator.gpu exists when it is imported.
  Object.assign(globalThis, dawn.globals);
  Object.defineProperty(globalThis.navigator, "gpu", { value: gpu, configurable: true });
  await importOptional("@tensorflow/tfjs-backend-webgpu", "needed for the WebGPU route");
  await activate("webgpu");
  reasons.push(`webgpu: GPU adapter ${adapter.info?.description ?? "found"}`);
  return 1;
}

async function startNode(_opts: SelectOptions, reasons: string[]): Promise<number> {
  await importOptional(
    "@tensorflow/tfjs-node",
    "an optional dependency; its install downloads libtensorflow, which needs internet",
  );
  await activate("tensorflow");
  reasons.push("node: libtensorflow on the CPU");
  return os.availableParallelism();
}

/** wasm for the small ops, oneDNN for the heavy ones, all checked against cpu. */
async function startNativeRoute(opts: SelectOptions, reasons: string[]): Promise<number> {
  try {
    const started = await startNative(Math.max(1, Math.floor(opts.threads ?? os.availableParallelism())));
    reasons.push(...started.reasons);
    return started.threads;
  } catch (error) {
    if (error instanceof NativeRouteRefused) throw new Skip(error.message);
    throw error;
  }
}

/** wasm with threads, the fast kernels, and their check against cpu. */
async function startFastWasm(opts: SelectOptions, reasons: string[]): Promise<number> {
  const wanted = Math.max(1, Math.floor(opts.threads ?? os.availableParallelism()));
  const { threads, reasons: startReasons } = await startWasm(wanted);
  reasons.push(...startReasons);
  // The native route registers its kernels on "wasm"; plain wasm runs without them.
  uninstallNativeKernels("wasm");
  const warnings: string[] = [];
  const checks = await accelerateWasm({ warn: (w) => warnings.push(w) });
  const passed = checks.filter((c) => c.ok).length;
  reasons.push(
    `wasm: ${passed}/${checks.length} fast kernels match the cpu backend (relative error ≤ 1e-4)`,
    ...warnings,
  );
  return threads;
}

async function startCpu(_opts: SelectOptions, reasons: string[]): Promise<number> {
  await activate("cpu");
  reasons.push("cpu: pure-JS kernels (very slow for training)");
  return 1;
}

function messageOf(error: unknown): string {
  return error instanceof Error ? (error.message.split("\n")[0] ?? "") : String(error);
}
