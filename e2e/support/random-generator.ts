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
import { manifestFile } from "../../src/model-manifest-file.ts";
import { type QuantDtype, quantizeWeights } from "../../training/export/quantize.ts";

export const TINY_SHAPE: DcganShape = { imageSize: 64, ngf: 8, ndf: 8, zDim: 100 };

/**
 * Writes `<modelsDir>/<version>/` and returns the generator's parameter count. `dtype` quantizes the weights as
 * `model:export` does, so load times match a shipped model of the same shape.
 */
export async function writeRandomGenerator(
  modelsDir: string,
  version: string,
  shape = TINY_SHAPE,
  dtype: QuantDtype = "float32",
): Promise<number> {
  await tf.setBackend("cpu");
  const model = buildGenerator(shape);
  makeVisible(model, shape.zDim);
  const dir = path.join(modelsDir, version);
  mkdirSync(dir, { recursive: true });
  let bytes = 0;
  await model.save(
    tf.io.withSaveHandler(async (artifacts) => {
      const quantized = quantizeWeights(artifacts.weightSpecs ?? [], artifacts.weightData as ArrayBuffer, dtype);
      const weights = Buffer.from(quantized.data);
      bytes = weights.length;
      writeFileSync(path.join(dir, "weights.bin"), weights);
      const modelJson = {
        format: "layers-model",
        generatedBy: `TensorFlow.js tfjs-layers v${tf.version_layers}`,
        convertedBy: null,
        modelTopology: artifacts.modelTopology,
        weightsManifest: [{ paths: ["weights.bin"], weights: quantized.specs }],
      };
      writeFileSync(path.join(dir, "model.json"), JSON.stringify(modelJson));
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: "JSON" } };
    }),
  );
  const params = model.countParams();
  writeFileSync(
    path.join(dir, "metadata.json"),
    `${JSON.stringify(metadata(version, shape, params, bytes, dtype), null, 2)}\n`,
  );
  model.dispose();
  return params;
}

/**
 * A freshly initialised DCGAN (weights ~ N(0, 0.02), batch norm at its initial statistics) outputs an almost
 * flat grey. Scaling the output layer's kernel so the pixels spread over about half the range makes the
 * stand-in draw visible texture, which is what tests and benchmarks need from it; speed is unaffected.
 */
function makeVisible(model: tf.LayersModel, zDim: number): void {
  const rgb = model.getLayer("g_rgb");
  const [kernel, ...rest] = rgb.getWeights();
  if (!kernel) return;
  const spread = tf.tidy(() => {
    const z = tf.randomNormal([4, zDim], 0, 1, "float32", 7);
    return (
      tf
        .moments(model.predict(z) as tf.Tensor)
        .variance.sqrt()
        .dataSync()[0] ?? 0
    );
  });
  if (spread <= 0) return;
  rgb.setWeights([tf.tidy(() => kernel.mul(0.5 / spread)), ...rest]);
}

function metadata(version: string, shape: DcganShape, params: number, bytes: number, dtype: QuantDtype): ModelMetadata {
  return {
    version,
    createdAt: new Date().toISOString(),
    architecture: { kind: "dcgan", ...shape, generatorParams: params },
    truncation: null,
    ema: false,
    data: { images: 0, identities: 0, source: "none: random initialisation" },
    training: { steps: 0, imagesSeen: 0, wallSeconds: 0, backend: "cpu", threads: 1, hyperParameters: {} },
    quantization: { dtype, maxPixelError: 0, meanPixelError: 0, bytes },
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
  writeFileSync(manifestFile(modelsDir), `${JSON.stringify(manifest, null, 2)}\n`);
}
