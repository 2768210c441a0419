/**
 * Loads a shipped generator (public/models/<version>/model.json) once per version, reporting download progress.
 */
import type { LayersModel } from "@tensorflow/tfjs";
import { modelFileUrl } from "../../core/model-url.ts";
import { loadTf } from "./tf.ts";

export interface LoadedGenerator {
  version: string;
  model: LayersModel;
  imageSize: number;
  zDim: number;
}

const loaded = new Map<string, Promise<LoadedGenerator>>();

/** `onProgress` gets the downloaded fraction in [0, 1]; a version already loading reports nothing new. */
export function loadGenerator(version: string, onProgress?: (fraction: number) => void): Promise<LoadedGenerator> {
  let generator = loaded.get(version);
  if (!generator) {
    generator = fetchGenerator(version, onProgress);
    // A failed download must not poison the cache: the next round may retry it.
    generator.catch(() => loaded.delete(version));
    loaded.set(version, generator);
  }
  return generator;
}

async function fetchGenerator(version: string, onProgress?: (fraction: number) => void): Promise<LoadedGenerator> {
  const tf = await loadTf();
  const model = await tf.loadLayersModel(modelFileUrl(version), { onProgress });
  const [, zDim] = model.inputs[0]?.shape ?? [];
  const [, height, width] = model.outputs[0]?.shape ?? [];
  if (typeof zDim !== "number" || typeof height !== "number" || height !== width) {
    throw new Error(`model ${version} is not a square-image generator`);
  }
  return { version, model, imageSize: height, zDim };
}
