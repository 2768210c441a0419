/**
 * public/models/manifest.json on disk: validated reads, atomic writes, and locked updates.
 */
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { type Manifest, ManifestSchema } from "../../src/core/model-manifest.ts";
import { removeStaleTemps, writeJsonAtomic } from "./atomic-file.ts";
import { withLock } from "./lock.ts";

export const manifestFile = (modelsDir: string) => path.join(modelsDir, "manifest.json");

export const emptyManifest = (): Manifest => ({ versions: [], history: [] });

/** The manifest, or an empty one before the first deploy. A broken file is an error, never "empty". */
export function readManifest(modelsDir: string): Manifest {
  const file = manifestFile(modelsDir);
  if (!existsSync(file)) return emptyManifest();
  return ManifestSchema.parse(JSON.parse(readFileSync(file, "utf8")));
}

export function writeManifest(modelsDir: string, manifest: Manifest): void {
  writeJsonAtomic(manifestFile(modelsDir), ManifestSchema.parse(manifest));
}

/** Read, change and write the manifest under the registry lock; returns what was written. */
export function updateManifest(modelsDir: string, change: (manifest: Manifest) => Manifest): Promise<Manifest> {
  const file = manifestFile(modelsDir);
  return withLock(`${file}.lock`, () => {
    removeStaleTemps(file);
    const next = change(readManifest(modelsDir));
    writeManifest(modelsDir, next);
    return next;
  });
}
