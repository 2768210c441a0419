/**
 * A tfjs layers model on disk (model.json + one weight shard), written by export and read by evaluation,
 * tests and tools. Node's tfjs has no file:// loader
 * without tfjs-node (which cannot install here), so the files are read and handed over from memory;
 * quantized weights are dequantized by tfjs as usual.
 */
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import * as tf from "@tensorflow/tfjs";

/** Beside a version's generator: its discriminator, for curation only (export.ts writes, curate/ reads). */
export const DISCRIMINATOR_DIR = "discriminator";

export async function loadLayersModelFromDisk(modelJsonFile: string): Promise<tf.LayersModel> {
  const json = JSON.parse(readFileSync(modelJsonFile, "utf8")) as tf.io.ModelJSON;
  const dir = path.dirname(modelJsonFile);
  const weightSpecs: tf.io.WeightsManifestEntry[] = [];
  const shards: Buffer[] = [];
  for (const group of json.weightsManifest) {
    weightSpecs.push(...group.weights);
    for (const shard of group.paths) shards.push(readFileSync(path.join(dir, shard)));
  }
  const joined = Buffer.concat(shards);
  const weightData = joined.buffer.slice(joined.byteOffset, joined.byteOffset + joined.byteLength) as ArrayBuffer;
  return tf.loadLayersModel(tf.io.fromMemory({ modelTopology: json.modelTopology, weightSpecs, weightData }));
}

/** model.json with the (possibly quantized) weights manifest, and the weights as one shard beside it. */
export function writeModelFiles(
  dir: string,
  artifacts: tf.io.ModelArtifacts,
  quantized: { specs: tf.io.WeightsManifestEntry[]; data: ArrayBuffer },
): void {
  const shard = "weights.bin";
  writeFileSync(path.join(dir, shard), Buffer.from(quantized.data));
  const modelJson = {
    format: "layers-model",
    generatedBy: `TensorFlow.js tfjs-layers v${tf.version_layers}`,
    convertedBy: "spot-the-fake training/export/export.ts",
    modelTopology: artifacts.modelTopology,
    weightsManifest: [{ paths: [shard], weights: quantized.specs }],
  };
  writeFileSync(path.join(dir, "model.json"), JSON.stringify(modelJson));
}
