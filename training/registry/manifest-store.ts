/**
 * Changing public/models/manifest.json: atomic writes and locked updates (reading it is
 * src/model-manifest-file.ts, shared with the site).
 */
import { type Manifest, ManifestSchema } from "../../src/core/model-manifest.ts";
import { manifestFile, readManifest } from "../../src/model-manifest-file.ts";
import { removeStaleTemps, writeJsonAtomic } from "./atomic-file.ts";
import { withLock } from "./lock.ts";

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
