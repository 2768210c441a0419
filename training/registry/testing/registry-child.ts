/**
 * A separate process for the registry's crash and concurrency tests:
 *
 *   churn <modelsDir>            rewrite the manifest forever (the test kills it mid-write)
 *   deploy <modelsDir> <startAt> <v>...   from time startAt (ms), deploy each version in turn (forced), as a
 *                                         second operator would: both start together despite start-up times
 */
import { setTimeout as sleep } from "node:timers/promises";
import { type Manifest, type ManifestEntry, ModelMetadataSchema } from "../../../src/core/model-manifest.ts";
import { writeManifest } from "../manifest-store.ts";
import { deploy } from "../operations.ts";
import { testMetrics } from "./versions.ts";

const [command, modelsDir = "", ...versions] = process.argv.slice(2);

/** A manifest large enough (~1 MB) that writing it takes many system calls' worth of time. */
function bigManifest(round: number): Manifest {
  const entries: ManifestEntry[] = Array.from({ length: 400 }, (_, i) => ({
    version: `v${i}`,
    status: "active",
    weight: round + 1,
    addedAt: new Date(0).toISOString(),
    metadata: ModelMetadataSchema.parse({
      version: `v${i}`,
      createdAt: new Date(0).toISOString(),
      architecture: { kind: "dcgan", imageSize: 64, ngf: 64, ndf: 64, zDim: 100, generatorParams: 1 },
      truncation: null,
      ema: true,
      data: { images: 1, identities: 1, source: "x".repeat(1000) },
      training: { steps: round, imagesSeen: 0, wallSeconds: 0, backend: "cpu", threads: 1, hyperParameters: {} },
      quantization: { dtype: "uint8", maxPixelError: 0, meanPixelError: 0, bytes: 0 },
      sampleGrid: "samples.png",
      metrics: testMetrics(),
    }),
  }));
  return { versions: entries, history: [] };
}

if (command === "churn") {
  console.log("ready");
  for (let round = 0; ; round++) writeManifest(modelsDir, bigManifest(round));
} else if (command === "deploy") {
  const [startAt = "0", ...names] = versions;
  await sleep(Math.max(0, Number(startAt) - Date.now()));
  for (const version of names) await deploy(modelsDir, version, { force: true });
} else {
  throw new Error(`unknown command ${command}`);
}
