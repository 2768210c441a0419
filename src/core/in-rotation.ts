/**
 * Which registered versions new rounds may use: active, with a positive weight. Zod-free (a types-only
 * import of the manifest's shape), so the browser applies the same rule to the registry it fetches as the
 * server, the model cards and the registry tools apply to the file.
 */
import type { ManifestEntry } from "./model-manifest.ts";

type RotationFields = Pick<ManifestEntry, "status" | "weight">;

export function isInRotation(entry: RotationFields): boolean {
  return entry.status === "active" && entry.weight > 0;
}

/** The versions new rounds may use, in the registry's order. */
export function rotation<E extends RotationFields>(manifest: { readonly versions: readonly E[] }): E[] {
  return manifest.versions.filter(isInRotation);
}

/** The version with the largest share of new rounds (the first listed among equals), if any is in rotation. */
export function leadingVersion<E extends RotationFields>(manifest: { readonly versions: readonly E[] }): E | undefined {
  return rotation(manifest).sort((a, b) => b.weight - a.weight)[0];
}
