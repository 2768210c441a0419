/**
 * The whole evaluation on tiny real data: a handful of CelebA crops as training set and quiz pool, an
 * untrained generator as a version folder and as a checkpoint.
 */
import { existsSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import * as tf from "@tensorflow/tfjs";
import "@tensorflow/tfjs-backend-wasm";
import { beforeAll, describe, expect, it } from "vitest";
import { buildGenerator } from "../../src/core/dcgan.ts";
import { ModelMetadataSchema, type ModelMetrics, ModelMetricsSchema } from "../../src/core/model-manifest.ts";
import { Z_DIM } from "../../src/core/noise.ts";
import { readManifest } from "../../src/model-manifest-file.ts";
import { writeVersion } from "../registry/testing/versions.ts";
import { saveCheckpoint } from "../train/checkpoint.ts";
import { analyseRealFaces, evaluateGenerator, loadReferences, scoreFakes } from "./evaluation.ts";
import { analyseFaces, PROTOCOL } from "./face-analysis.ts";
import { FaceCache } from "./face-cache.ts";
import { openGenerator } from "./generator-source.ts";
import { formatMetrics, saveMetrics } from "./report.ts";
import { realCrops, writePreparedData } from "./testing/real-crops.ts";

const root = mkdtempSync(path.join(tmpdir(), "stf-evaluate-"));
const dirs = {
  data: path.join(root, "data"),
  pool: path.join(root, "pool"),
  cache: path.join(root, "cache"),
  models: path.join(root, "models"),
  run: path.join(root, "run"),
};
const options = { samples: 8, seed: 1, truncation: null, poolDir: dirs.pool, dataDir: dirs.data, cacheDir: dirs.cache };

beforeAll(async () => {
  await tf.setBackend("wasm");
  // Different people in the two sets, as data:prepare guarantees.
  await writePreparedData(dirs.data, dirs.pool, await realCrops(4, 2), await realCrops(4, 2, 4));
  await writeVersion(dirs.models, "tiny-v1");
});

describe("model evaluation", () => {
  let metrics: ModelMetrics;

  it("measures an untrained generator against the real faces", async () => {
    const source = await openGenerator("tiny-v1", { modelsDir: dirs.models });
    metrics = await evaluateGenerator(source, options);
    expect(ModelMetricsSchema.parse(metrics)).toEqual(metrics);
    expect(metrics).toMatchObject({
      samples: 8,
      realSamples: 8,
      trainingFaces: 8,
      trainingFacesTotal: 8,
      protocol: PROTOCOL,
    });
    expect(metrics.detectionRate).toBe(0);
    expect(metrics.realDetectionRate).toBeGreaterThanOrEqual(0.75);
    // An untrained G draws nearly the same blob for every seed.
    expect(metrics.diversity).toBeLessThan(metrics.realDiversity / 4);
    expect(metrics.memorisationShare).toBe(0);
    // One blob for every seed: it covers almost none of the real faces.
    expect(metrics.recall).toBeLessThanOrEqual(0.25);
    expect(formatMetrics("tiny-v1", metrics)).toMatch(/face FD\s+\d/);
    expect(formatMetrics("tiny-v1", metrics)).toMatch(/recall \(k = 3\)\s+\d+\.\d %/);
    expect(formatMetrics("tiny-v1", metrics)).toContain("memorisation against all 8 training faces");
  });

  it("writes the metrics into the version's metadata.json and the registry", async () => {
    const source = await openGenerator("tiny-v1", { modelsDir: dirs.models });
    const written = await saveMetrics(source, metrics, dirs.models);
    expect(written).toBe(path.join(dirs.models, "tiny-v1", "metadata.json"));
    const metadata = ModelMetadataSchema.parse(JSON.parse(readFileSync(written as string, "utf8")));
    expect(metadata.metrics).toEqual(metrics);
    const entry = readManifest(dirs.models).versions.find((e) => e.version === "tiny-v1");
    expect(entry).toMatchObject({ status: "candidate", weight: 0 });
    expect(entry?.metadata?.metrics).toEqual(metrics);
  });

  it("is reproducible: same seed, same numbers", async () => {
    const source = await openGenerator("tiny-v1", { modelsDir: dirs.models });
    const again = await evaluateGenerator(source, options);
    expect(again.faceFd).toBeCloseTo(metrics.faceFd, 6);
    expect(again.realVsRealFd).toBeCloseTo(metrics.realVsRealFd, 6);
    expect(again.diversity).toBeCloseTo(metrics.diversity, 6);
  });

  it("flags training faces passed off as fakes as near copies, and held-out faces as none", async () => {
    const references = await loadReferences(options);
    const seeds = [0, 1, 2, 3, 4, 5, 6, 7];
    const copies = await analyseFaces(references.training.images);
    const copied = scoreFakes(copies, seeds, references, options);
    expect(copied.nearCopyShare).toBe(1);
    expect(copied.closestPairs?.[0]).toMatchObject({ distance: 0, source: references.training.sources[0] });
    const strangers = scoreFakes(references.reals, seeds, references, options);
    expect(strangers.nearCopyShare).toBeLessThanOrEqual(0.125);
    expect(strangers.faceFd).toBe(0);
    expect(strangers).toMatchObject({ precision: 1, recall: 1 });
    expect(strangers.detectionRate).toBe(strangers.realDetectionRate);
  });

  it("compares with a sample of the training faces when asked, and says so", async () => {
    const references = await loadReferences({ ...options, trainingSample: 4 });
    expect(references.trainingDescriptors).toHaveLength(4);
    const sampled = scoreFakes(references.reals, [0, 1, 2, 3, 4, 5, 6, 7], references, options);
    expect(sampled).toMatchObject({ trainingFaces: 4, trainingFacesTotal: 8 });
    const report = formatMetrics("tiny-v1", { ...metrics, ...sampled });
    expect(report).toContain("a fixed sample of 4 of the 8 training faces");
    expect(report).toContain("one of the 4 sampled training faces");
  });

  it("evaluates a training checkpoint and keeps the result beside it", async () => {
    // Seeded, so the evaluation below sees the same weights on every run.
    const generator = buildGenerator({ imageSize: 64, ngf: 2, ndf: 2, zDim: Z_DIM }, 1);
    const settings = { imageSize: 64, ngf: 2, ndf: 2 };
    const checkpoint = await saveCheckpoint(
      dirs.run,
      { step: 7, imagesSeen: 56, wallSeconds: 1, settings, backend: { name: "wasm", threads: 1 } },
      [
        { name: "generator", tensors: generator.getWeights() },
        { name: "ema-generator", tensors: [] },
      ],
    );
    const source = await openGenerator(dirs.run, { modelsDir: dirs.models });
    expect(source.label).toContain("step 7");
    expect(source.label).toContain("raw G");
    const result = await evaluateGenerator(source, options);
    const written = await saveMetrics(source, result, dirs.models);
    expect(written).toBe(path.join(checkpoint, "evaluation.json"));
    expect(existsSync(written as string)).toBe(true);
  });

  it("analyses every real face ahead (as data:prepare does), leaving only fakes for each evaluation", async () => {
    const cacheDir = path.join(root, "prepared-cache");
    const counts = await analyseRealFaces({ poolDir: dirs.pool, dataDir: dirs.data, cacheDir });
    expect(counts).toEqual({ pool: 8, training: 8, trainingTotal: 8 });
    expect(FaceCache.open(cacheDir).size).toBe(16);
    // Each phase of a later evaluation finds all its faces cached: its first progress report is the total.
    const firstReports: Record<string, [number, number]> = {};
    const phase = (name: string, total: number) => (done: number) => {
      firstReports[name] ??= [done, total];
    };
    await loadReferences({ ...options, cacheDir, phase });
    expect(Object.keys(firstReports)).toHaveLength(3);
    for (const [done, total] of Object.values(firstReports)) expect(done).toBe(total);
  });
});
