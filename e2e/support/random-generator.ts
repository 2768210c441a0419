/**
 * A random-initialised DCGAN generator written as a shipped model version (model.json, weights, metadata):
 * for development and for the benchmark when no trained generator is published yet. Never ship it: its
 * faces are noise.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import * as tf from "@tensorflow/tfjs";
import { buildGenerator, type DcganShape } from "../../src/core/dcgan.ts";
import type { ModelMetadata } from "../../src/core/model-manifest.ts";

export const TINY_SHAPE: DcganShape = { imageSize: 64, ngf: 8, ndf: 8, zDim: 100 };

/** Writes `<modelsDir>/<version>/` and returns the generator's parameter count. */
export async function writeRandomGenerator(modelsDir: string, version: string, shape = TINY_SHAPE): Promise<number> {
  await tf.setBackend("cpu");
  const model = buildGenerator(shape);
  const dir = path.join(modelsDir, version);
  mkdirSync(dir, { recursive: true });
  let bytes = 0;
  await model.save(
    tf.io.withSaveHandler(async (artifacts) => {
      const weights = Buffer.from(artifacts.weightData as ArrayBuffer);
      bytes = weights.length;
      writeFileSync(path.join(dir, "weights.bin"), weights);
      const modelJson = {
        format: "layers-model",
        generatedBy: `TensorFlow.js tfjs-layers v${tf.version_layers}`,
        convertedBy: null,
        modelTopology: artifacts.modelTopology,
        weightsManifest: [{ paths: ["weights.bin"], weights: artifacts.weightSpecs }],
      };
      writeFileSync(path.join(dir, "model.json"), JSON.stringify(modelJson));
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: "JSON" } };
    }),
  );
  const params = model.countParams();
  writeFileSync(
    path.join(dir, "metadata.json"),
    `${JSON.stringify(metadata(version, shape, params, bytes), null, 2)}\n`,
  );
  model.dispose();
  return params;
}

function metadata(version: string, shape: DcganShape, params: number, bytes: number): ModelMetadata {
  return {
    version,
    createdAt: new Date().toISOString(),
    architecture: { kind: "dcgan", ...shape, generatorParams: params },
    truncation: null,
    ema: false,
    data: { images: 0, identities: 0, source: "none: random initialisation" },
    training: { steps: 0, imagesSeen: 0, wallSeconds: 0, backend: "cpu", threads: 1, hyperParameters: {} },
    quantization: { dtype: "float32", maxPixelError: 0, meanPixelError: 0, bytes },
    sampleGrid: "samples.png",
  };
}

/** A registry (manifest.json) that puts exactly these versions in rotation. */
export function writeRegistry(modelsDir: string, versions: readonly string[]): void {
  const addedAt = new Date().toISOString();
  const manifest = {
    versions: versions.map((version) => ({ version, status: "active", weight: 1, addedAt })),
    history: [],
  };
  writeFileSync(path.join(modelsDir, "manifest.json"), `${JSON.stringify(manifest, null, 2)}\n`);
}
