/**
 * Reading a tfjs layers model (model.json + weight shards) from disk. Node's tfjs has no file:// loader
 * without tfjs-node (which cannot install here), so the files are read and handed over from memory;
 * quantized weights are dequantized by tfjs as usual.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import * as tf from "@tensorflow/tfjs";

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
