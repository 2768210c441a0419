/**
 * Picks the fastest TensorFlow.js backend that works on this device, once per page, and remembers the winner
 * so later visits try it first.
 *
 * Preference: WebGPU, then WebGL on a real GPU, then wasm, then WebGL on a software rasteriser, then cpu.
 * A software WebGL (SwiftShader, llvmpipe: what headless browsers and GPU-less machines get) emulates the GPU
 * on the CPU and loses to wasm's SIMD kernels on the same cores; `npm run bench:browser` measures it.
 */
import { hasWebgpuAdapter, loadTf, type Tf } from "./tf.ts";
import { installWasmSpeedups } from "./wasm-speedup.ts";

export const BACKENDS = ["webgpu", "webgl", "wasm", "cpu"] as const;
export type BackendName = (typeof BACKENDS)[number];

export interface BackendChoice {
  name: BackendName;
  /** WebGL on a software rasteriser. */
  software: boolean;
  /** wasm only: threads XNNPACK runs with (1 when the page is not cross-origin isolated). */
  threads: number | null;
  /** wasm only: whether the fast transposed-convolution kernels passed their check and are in use. */
  fastKernels: boolean | null;
}

const REMEMBERED = "spot-the-fake:backend";

let choosing: Promise<BackendChoice> | null = null;

export function chooseBackend(): Promise<BackendChoice> {
  choosing ??= pickBackend();
  return choosing;
}

async function pickBackend(): Promise<BackendChoice> {
  const tf = await loadTf();
  const software = isSoftwareWebgl();
  const remembered = rememberedBackend();
  const order: BackendName[] = software ? ["webgpu", "wasm", "webgl", "cpu"] : [...BACKENDS];
  const candidates = remembered ? [remembered, ...order.filter((name) => name !== remembered)] : order;
  for (const name of candidates) {
    if (await tryBackend(tf, name)) {
      remember(name);
      return describeChoice(name, software);
    }
  }
  throw new Error("no TensorFlow.js backend works in this browser");
}

/** Switches to exactly one backend (the benchmark compares them); null when it does not work here. */
export async function useBackend(name: BackendName): Promise<BackendChoice | null> {
  const tf = await loadTf();
  if (!(await tryBackend(tf, name))) return null;
  return describeChoice(name, name === "webgl" && isSoftwareWebgl());
}

async function tryBackend(tf: Tf, name: BackendName): Promise<boolean> {
  if (name === "webgpu" && !(await hasWebgpuAdapter())) return false;
  if (!tf.findBackendFactory(name)) return false;
  try {
    if (!(await tf.setBackend(name))) return false;
    await tf.ready();
    // A backend can initialise and still compute nonsense (broken drivers): check one small sum.
    const sum = tf.add(tf.tensor1d([1, 2]), tf.tensor1d([3, 4]));
    const values = await sum.data();
    sum.dispose();
    return values[0] === 4 && values[1] === 6;
  } catch {
    return false;
  }
}

async function describeChoice(name: BackendName, software: boolean): Promise<BackendChoice> {
  if (name !== "wasm") return { name, software: name === "webgl" && software, threads: null, fastKernels: null };
  const wasm = await import("@tensorflow/tfjs-backend-wasm");
  const fastKernels = await installWasmSpeedups().catch(() => false);
  return { name, software: false, threads: wasm.getThreadsCount(), fastKernels };
}

/** The WebGL renderer string names software rasterisers; reading it costs one throwaway context. */
function isSoftwareWebgl(): boolean {
  const gl =
    document.createElement("canvas").getContext("webgl2") ?? document.createElement("canvas").getContext("webgl");
  if (!gl) return false;
  // Browsers mask gl.RENDERER; the debug extension (where offered) names the real rasteriser.
  const debug = gl.getExtension("WEBGL_debug_renderer_info");
  const renderer = String(gl.getParameter(debug ? debug.UNMASKED_RENDERER_WEBGL : gl.RENDERER));
  gl.getExtension("WEBGL_lose_context")?.loseContext();
  return /swiftshader|llvmpipe|softpipe|software|basic render/i.test(renderer);
}

function rememberedBackend(): BackendName | null {
  try {
    const value = localStorage.getItem(REMEMBERED);
    return BACKENDS.find((name) => name === value) ?? null;
  } catch {
    return null; // storage can be disabled; choosing again is only slower
  }
}

function remember(name: BackendName): void {
  try {
    localStorage.setItem(REMEMBERED, name);
  } catch {
    // see rememberedBackend
  }
}
