/**
 * Where the model registry lives on disk (`<MODELS_DIR>/manifest.json`, schema in src/core/model-manifest.ts)
 * and how it is read: the registry tools, the server's rotation, the model cards, the registry route and the
 * scripts all find and parse it here. Node only, like config/settings.ts: the browser fetches the registry instead.
 */
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { type Manifest, ManifestSchema } from "./core/model-manifest.ts";

export const manifestFile = (modelsDir: string) => path.join(modelsDir, "manifest.json");

export const emptyManifest = (): Manifest => ({ versions: [], history: [] });

/** The manifest, or an empty one before the first deploy. A broken file is an error, never "empty". */
export function readManifest(modelsDir: string): Manifest {
  const file = manifestFile(modelsDir);
  if (!existsSync(file)) return emptyManifest();
  return ManifestSchema.parse(JSON.parse(readFileSync(file, "utf8")));
}
