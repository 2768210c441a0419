/**
 * The version folders in public/models: each holds model.json, weight shards and metadata.json.
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { type ModelMetadata, ModelMetadataSchema, VERSION_PATTERN } from "../../src/core/model-manifest.ts";
import { UserError } from "../cli/user-error.ts";

export const metadataFile = (modelsDir: string, version: string) => path.join(modelsDir, version, "metadata.json");

export function readVersionMetadata(modelsDir: string, version: string): ModelMetadata {
  if (!VERSION_PATTERN.test(version)) throw new UserError(`"${version}" is not a version name (${VERSION_PATTERN}).`);
  const file = metadataFile(modelsDir, version);
  if (!existsSync(path.join(modelsDir, version, "model.json")) || !existsSync(file)) {
    throw new UserError(`No exported version "${version}" in ${modelsDir} (model.json and metadata.json expected).`);
  }
  return ModelMetadataSchema.parse(JSON.parse(readFileSync(file, "utf8")));
}

/** Names of the folders that look like exported versions, sorted. */
export function listVersionFolders(modelsDir: string): string[] {
  if (!existsSync(modelsDir)) return [];
  return readdirSync(modelsDir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && VERSION_PATTERN.test(entry.name))
    .filter((entry) => existsSync(path.join(modelsDir, entry.name, "metadata.json")))
    .map((entry) => entry.name)
    .sort();
}
