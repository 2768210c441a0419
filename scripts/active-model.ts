/**
 * The generator new rounds mostly use: the active version with the largest share in `<modelsDir>/manifest.json`,
 * with its metadata. Null when none is published (or the files are unreadable).
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { ManifestSchema, type ModelMetadata, ModelMetadataSchema, rotation } from "../src/core/model-manifest.ts";

export interface ActiveModel {
  version: string;
  metadata: ModelMetadata;
}

export function activeModel(modelsDir: string): ActiveModel | null {
  try {
    const registry = ManifestSchema.parse(JSON.parse(readFileSync(path.join(modelsDir, "manifest.json"), "utf8")));
    const [active] = rotation(registry).sort((a, b) => b.weight - a.weight);
    if (!active) return null;
    const metadata = JSON.parse(readFileSync(path.join(modelsDir, active.version, "metadata.json"), "utf8"));
    return { version: active.version, metadata: ModelMetadataSchema.parse(metadata) };
  } catch {
    return null;
  }
}
