/**
 * The in-browser half of `npm run bench:browser`: times one backend from a cold page, as a player meets it.
 * Model load = fetching and building the generator; first face = from navigation start to the first fake's
 * pixels on a canvas (tfjs download, backend start, model, shader compilation, one prediction); then the
 * steady cost per face at the game's batch size of one.
 */
import { drawFace } from "../faces/draw.ts";
import { type BackendChoice, type BackendName, chooseBackend, useBackend } from "./backend.ts";
import { generateFacePixels } from "./generate.ts";
import { type LoadedGenerator, loadGenerator } from "./model.ts";
import { loadTf } from "./tf.ts";

export interface BackendTiming {
  backend: BackendName;
  works: boolean;
  software?: boolean;
  threads?: number | null;
  fastKernels?: boolean | null;
  crossOriginIsolated?: boolean;
  modelLoadMs?: number;
  firstFaceMs?: number;
  msPerFace?: number;
  msPerFaceBatch8?: number;
  /** Where the cold first face's time went: page load, tfjs download and parse, backend start, model, prediction. */
  breakdown?: {
    pageMs: number;
    tfLoadMs: number;
    backendMs: number;
    /** Part of backendMs: checking the fast wasm kernels against cpu. */
    kernelCheckMs: number | null;
    modelLoadMs: number;
    firstPredictMs: number;
  };
  /** Where one warm face's time goes: the slowest kernels (name, output shape, ms). */
  slowestKernels?: { kernel: string; shape: string; ms: number }[];
  error?: string;
}

const WARM_FACES = 30;

export async function timeBackend(
  backend: BackendName | "auto",
  version: string,
  canvas: HTMLCanvasElement,
): Promise<BackendTiming> {
  let choice: BackendChoice | null = null;
  try {
    const tfStart = performance.now();
    await loadTf();
    const tfLoadMs = performance.now() - tfStart;
    choice = backend === "auto" ? await chooseBackend() : await useBackend(backend);
    if (!choice) return { backend: backend as BackendName, works: false };
    const backendMs = performance.now() - tfStart - tfLoadMs;
    const modelStart = performance.now();
    const generator = await loadGenerator(version);
    const modelLoadMs = performance.now() - modelStart;
    const predictStart = performance.now();
    const [first] = await generateFacePixels(generator, [{ seed: 1, truncation: null }]);
    if (first) drawFace(canvas, first);
    const firstFaceMs = performance.now(); // since navigation start
    const firstPredictMs = firstFaceMs - predictStart;
    const perFace: number[] = [];
    for (let i = 0; i < WARM_FACES; i++) {
      const start = performance.now();
      const [face] = await generateFacePixels(generator, [{ seed: 100 + i, truncation: null }]);
      if (face) drawFace(canvas, face);
      perFace.push(performance.now() - start);
    }
    const batchStart = performance.now();
    const batch = Array.from({ length: 8 }, (_, i) => ({ seed: 1000 + i, truncation: null }));
    for (let i = 0; i < 3; i++) await generateFacePixels(generator, batch);
    const slowestKernels = await profileOneFace(generator);
    return {
      backend: choice.name,
      works: true,
      software: choice.software,
      threads: choice.threads,
      fastKernels: choice.fastKernels,
      crossOriginIsolated: globalThis.crossOriginIsolated,
      modelLoadMs,
      firstFaceMs,
      breakdown: { pageMs: tfStart, tfLoadMs, backendMs, kernelCheckMs: kernelCheckMs(), modelLoadMs, firstPredictMs },
      msPerFace: median(perFace),
      msPerFaceBatch8: (performance.now() - batchStart) / 24,
      slowestKernels,
    };
  } catch (error) {
    return { backend: choice?.name ?? (backend as BackendName), works: false, error: String(error) };
  }
}

async function profileOneFace(generator: LoadedGenerator): Promise<BackendTiming["slowestKernels"]> {
  const tf = await loadTf();
  const info = await tf.profile(async () => {
    await generateFacePixels(generator, [{ seed: 7, truncation: null }]);
  });
  const kernels = await Promise.all(
    info.kernels.map(async (kernel) => {
      const ms = await kernel.kernelTimeMs;
      return {
        kernel: kernel.name,
        shape: (kernel.outputShapes[0] ?? []).join("×"),
        ms: typeof ms === "number" ? ms : 0,
      };
    }),
  );
  return kernels.sort((a, b) => b.ms - a.ms).slice(0, 6);
}

function kernelCheckMs(): number | null {
  return performance.getEntriesByName("stf:wasm-kernel-check")[0]?.duration ?? null;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
}
