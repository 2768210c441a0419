/**
 * The generator new rounds mostly use: the active version with the largest share in `<modelsDir>/manifest.json`,
 * with its metadata. Null when none is published (or the files are unreadable).
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { leadingVersion } from "../src/core/in-rotation.ts";
import { type ModelMetadata, ModelMetadataSchema } from "../src/core/model-manifest.ts";
import { readManifest } from "../src/model-manifest-file.ts";

export interface ActiveModel {
  version: string;
  metadata: ModelMetadata;
}

export function activeModel(modelsDir: string): ActiveModel | null {
  try {
    const active = leadingVersion(readManifest(modelsDir));
    if (!active) return null;
    const metadata = JSON.parse(readFileSync(path.join(modelsDir, active.version, "metadata.json"), "utf8"));
    return { version: active.version, metadata: ModelMetadataSchema.parse(metadata) };
  } catch {
    return null;
  }
}
