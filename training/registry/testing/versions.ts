/**
 * Exported versions for tests: a real (tiny, untrained) generator saved as a tfjs layers model, with a
 * metadata.json that passes the schema and whatever metrics the test needs.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import * as tf from "@tensorflow/tfjs";
import sharp from "sharp";
import { buildGenerator } from "../../../src/core/dcgan.ts";
import type { ModelMetadata, ModelMetrics } from "../../../src/core/model-manifest.ts";
import { Z_DIM } from "../../../src/core/noise.ts";

const SHAPE = { imageSize: 64, ngf: 2, ndf: 2, zDim: Z_DIM };
/**
 * Initial weights from a fixed seed: tests assert what an untrained generator draws (no face detected, little
 * diversity; training/evaluate/evaluation.test.ts), which fresh weights would leave to chance on every run.
 */
const WEIGHTS_SEED = 1;

export function testMetrics(overrides: Partial<ModelMetrics> = {}): ModelMetrics {
  return {
    evaluatedAt: "2026-01-01T00:00:00.000Z",
    protocol: "test-protocol",
    samples: 1000,
    realSamples: 963,
    seed: 1,
    truncation: null,
    detectionRate: 0.8,
    meanDetectionScore: 0.6,
    realDetectionRate: 0.99,
    faceFd: 0.2,
    realVsRealFd: 0.05,
    memorisationShare: 0.1,
    diversity: 0.6,
    realDiversity: 0.8,
    ...overrides,
  };
}

export async function writeVersion(modelsDir: string, version: string, metrics?: ModelMetrics): Promise<ModelMetadata> {
  const dir = path.join(modelsDir, version);
  mkdirSync(dir, { recursive: true });
  const generator = buildGenerator(SHAPE, WEIGHTS_SEED);
  await generator.save(
    tf.io.withSaveHandler(async (artifacts) => {
      writeFileSync(path.join(dir, "weights.bin"), Buffer.from(artifacts.weightData as ArrayBuffer));
      const weightsManifest = [{ paths: ["weights.bin"], weights: artifacts.weightSpecs ?? [] }];
      writeFileSync(
        path.join(dir, "model.json"),
        JSON.stringify({ modelTopology: artifacts.modelTopology, weightsManifest }),
      );
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: "JSON" } };
    }),
  );
  const metadata: ModelMetadata = {
    version,
    createdAt: "2026-01-01T00:00:00.000Z",
    architecture: { kind: "dcgan", ...SHAPE, generatorParams: generator.countParams() },
    truncation: null,
    ema: true,
    data: { images: 8, identities: 4, source: "test crops" },
    training: { steps: 0, imagesSeen: 0, wallSeconds: 0, backend: "cpu", threads: 1, hyperParameters: {} },
    quantization: { dtype: "float32", maxPixelError: 0, meanPixelError: 0, bytes: 0 },
    sampleGrid: "samples.png",
    ...(metrics ? { metrics } : {}),
  };
  generator.dispose();
  await sharp({ create: { width: 64, height: 64, channels: 3, background: { r: 90, g: 90, b: 90 } } })
    .png()
    .toFile(path.join(dir, metadata.sampleGrid));
  writeFileSync(path.join(dir, "metadata.json"), JSON.stringify(metadata, null, 2));
  return metadata;
}
