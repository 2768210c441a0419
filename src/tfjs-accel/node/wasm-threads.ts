/**
 * The wasm backend in Node, with XNNPACK's thread pool working.
 *
 * tfjs 4.22 turns wasm threads off in Node (WASM_HAS_MULTITHREAD_SUPPORT is false there, tfjs issue #3830):
 * its pthread worker is a blob: URL, which Node's Worker rejects, and the main script it hands the workers is
 * a Blob of a function that only makes sense inside tfjs's bundle. So we instantiate the threaded-SIMD module
 * ourselves from the files tfjs ships: the worker script written to a real .cjs file, the emscripten glue
 * file as the workers' main script. The C++ side caps threads at half of `os.cpus().length` (it assumes
 * hyper-threading), so while the module starts we report twice the wanted count. All of this leans on the
 * pinned tfjs 4.22.0; any failure falls back to tfjs's own single-threaded SIMD module.
 */
import crypto from "node:crypto";
import fs from "node:fs";
import { createRequire } from "node:module";
import os from "node:os";
import path from "node:path";
import vm from "node:vm";
import { Worker } from "node:worker_threads";
import * as tf from "@tensorflow/tfjs";
import * as tfwasm from "@tensorflow/tfjs-backend-wasm";

const require = createRequire(import.meta.url);
const WASM_OUT = path.join(path.dirname(require.resolve("@tensorflow/tfjs-backend-wasm/package.json")), "wasm-out");
const GLUE = path.join(WASM_OUT, "tfjs-backend-wasm-threaded-simd.js");
const BINARY = path.join(WASM_OUT, "tfjs-backend-wasm-threaded-simd.wasm");
const INIT_TIMEOUT_MS = 30_000;

type WasmModule = ConstructorParameters<typeof tfwasm.BackendWasm>[0];
type Factory = (config: object) => Promise<WasmModule>;
type NodeWorker = { unref(): void };

export interface WasmStart {
  threads: number;
  reasons: string[];
}

export interface WasmOptions {
  /** Where the pthread worker script is written (default: os.tmpdir()). */
  workerDir?: string;
}

/** The stock factory, kept so that a failed threaded start can go back to it. */
let stockFactory: (() => tf.KernelBackend | Promise<tf.KernelBackend>) | null = null;

/**
 * Makes "wasm" the active backend with the given thread count (1 = tfjs's own SIMD module), falling back to
 * one thread if the threaded module cannot start. Returns the thread count XNNPACK actually uses.
 */
export async function startWasm(threads: number, options: WasmOptions = {}): Promise<WasmStart> {
  // A second call for the same thread count keeps the running backend (and every tensor on it).
  const request = `${threads} ${options.workerDir ?? ""}`;
  if (current?.request === request && current.backend === tf.findBackend("wasm")) {
    await tf.setBackend("wasm");
    return { threads: current.threads, reasons: [...current.reasons] };
  }
  const started = await start(threads, options);
  current = { request, backend: tf.findBackend("wasm"), ...started };
  return started;
}

let current: (WasmStart & { request: string; backend: tf.KernelBackend | null }) | null = null;

async function start(threads: number, options: WasmOptions): Promise<WasmStart> {
  stockFactory ??= tf.findBackendFactory("wasm");
  const reasons: string[] = [];
  if (threads > 1) {
    try {
      // Started outside tfjs's factory call: tfjs would print a failing factory's stack before we could fall back.
      const backend = await startThreaded(threads, options.workerDir ?? os.tmpdir());
      await activate(() => backend);
      const actual = tfwasm.getThreadsCount();
      reasons.push(`wasm: threaded SIMD module started with ${actual} threads`);
      return { threads: actual, reasons };
    } catch (error) {
      reasons.push(`wasm: threads unavailable (${message(error)}); falling back to 1 thread`);
    }
  }
  await activate(stockFactory);
  return { threads: tfwasm.getThreadsCount(), reasons };
}

async function activate(factory: () => tf.KernelBackend | Promise<tf.KernelBackend>): Promise<void> {
  if (tf.findBackendFactory("wasm")) tf.removeBackend("wasm");
  tf.registerBackend("wasm", factory, 2);
  // setBackend reports a failed factory as `false` plus a console warning; turn it into an error to catch.
  if (!(await tf.setBackend("wasm"))) throw new Error("wasm backend failed to initialise");
}

async function startThreaded(threads: number, workerDir: string): Promise<tf.KernelBackend> {
  const workerPath = writeWorkerScript(workerDir);
  // Emscripten throws a worker's load error from an event handler, which would kill the process: try first.
  await preflight(workerPath);
  new vm.Script(fs.readFileSync(GLUE, "utf8"), { filename: GLUE });
  const factory = require(GLUE) as Factory;
  const config = moduleConfig(workerPath);
  const module = await withLogicalCores(2 * threads, () => withTimeout(factory(config), INIT_TIMEOUT_MS));
  addTfjsBindings(module);
  tfwasm.setThreadsCount(threads);
  const backend = new tfwasm.BackendWasm(module);
  // The pool's threads are running now; unreferenced, they no longer keep a finished script alive.
  for (const worker of pthreadWorkers(module)) worker.unref();
  return backend;
}

function moduleConfig(workerPath: string): object {
  return {
    locateFile: (file: string, prefix: string) =>
      file.endsWith(".worker.js") ? workerPath : file.endsWith(".wasm") ? BINARY : prefix + file,
    mainScriptUrlOrBlob: GLUE,
  };
}

/**
 * tfjs ships the worker as a JS string; on disk it must be a .cjs file (the project is an ES module package).
 * The name carries a hash of the content and the write is atomic, so parallel processes share one good file;
 * anything else found under that name (a partial file, a directory) is left alone for a file of our own.
 */
function writeWorkerScript(dir: string): string {
  const { wasmWorkerContents } = require(path.join(WASM_OUT, "tfjs-backend-wasm-threaded-simd.worker.js")) as {
    wasmWorkerContents: string;
  };
  // The string holds literal newlines inside JS string literals; tfjs escapes them the same way before use.
  const source = wasmWorkerContents.replace(/\n/g, "\\n");
  new vm.Script(source, { filename: "tfjs-wasm-worker.cjs" });
  const hash = crypto.createHash("sha256").update(source).digest("hex").slice(0, 12);
  const shared = path.join(dir, `tfjs-wasm-${tf.version_core}-${hash}.worker.cjs`);
  if (holds(shared, source)) return shared;
  const target = fs.existsSync(shared) ? path.join(dir, `tfjs-wasm-${hash}-${process.pid}.worker.cjs`) : shared;
  const temp = `${target}.${process.pid}.tmp`;
  fs.writeFileSync(temp, source);
  fs.renameSync(temp, target);
  return target;
}

function holds(file: string, content: string): boolean {
  try {
    return fs.statSync(file).isFile() && fs.readFileSync(file, "utf8") === content;
  } catch {
    return false;
  }
}

/** Loads the worker script in a throwaway worker, where a failure is an ordinary rejected promise. */
async function preflight(workerPath: string): Promise<void> {
  const probe = `require(${JSON.stringify(workerPath)}); require("node:worker_threads").parentPort.postMessage("ok");`;
  const worker = new Worker(probe, { eval: true });
  try {
    await new Promise<void>((resolve, reject) => {
      worker.once("message", () => resolve());
      worker.once("error", reject);
      worker.once("exit", (code) => reject(new Error(`worker script probe exited with code ${code}`)));
    });
  } finally {
    await worker.terminate();
  }
}

/** The cwrap'd entry points tfjs's own init() attaches to the module before BackendWasm uses it. */
function addTfjsBindings(module: WasmModule): void {
  const cwrap = (module as unknown as { cwrap: (name: string, ret: string | null, args: string[]) => unknown }).cwrap;
  (module as unknown as { tfjs: object }).tfjs = {
    init: cwrap("init", null, []),
    initWithThreadsCount: cwrap("init_with_threads_count", null, ["number"]),
    getThreadsCount: cwrap("get_threads_count", "number", []),
    registerTensor: cwrap("register_tensor", null, ["number", "number", "number"]),
    disposeData: cwrap("dispose_data", null, ["number"]),
    dispose: cwrap("dispose", null, []),
  };
}

function pthreadWorkers(module: WasmModule): NodeWorker[] {
  const pthread = (module as unknown as { PThread?: { runningWorkers?: NodeWorker[]; unusedWorkers?: NodeWorker[] } })
    .PThread;
  return [...(pthread?.runningWorkers ?? []), ...(pthread?.unusedWorkers ?? [])];
}

/** Runs `start` while os.cpus() reports `count` CPUs; the module reads it once, while it initialises. */
async function withLogicalCores<T>(count: number, start: () => Promise<T>): Promise<T> {
  const realCpus = os.cpus;
  const cpus = realCpus();
  os.cpus = () => Array.from({ length: Math.max(count, cpus.length) }, (_, i) => cpus[i % cpus.length] as os.CpuInfo);
  try {
    return await start();
  } finally {
    os.cpus = realCpus;
  }
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`threaded module did not start within ${ms / 1000} s`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

function message(error: unknown): string {
  if (error instanceof Error) return error.message;
  if (typeof error === "object" && error !== null && "message" in error) return String(error.message);
  return String(error);
}
