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
    return active ? shippedModel(modelsDir, active.version) : null;
  } catch {
    return null;
  }
}

/** A version shipped in `<modelsDir>/<version>/`, active or not; throws when it is not there or unreadable. */
export function shippedModel(modelsDir: string, version: string): ActiveModel {
  const metadata = JSON.parse(readFileSync(path.join(modelsDir, version, "metadata.json"), "utf8"));
  return { version, metadata: ModelMetadataSchema.parse(metadata) };
}
