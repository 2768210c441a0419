/**
 * Which generator a new round uses. Reads public/models/manifest.json (written by the deploy tools) and
 * picks among the active versions in proportion to their weights. The file is followed as watched-file.ts
 * says, so a running server follows a new rotation within about a second without a restart, and a
 * manifest caught half-written (or otherwise invalid) is ignored and the last good rotation kept.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { isInRotation } from "../../core/in-rotation.ts";
import { type ManifestEntry, ManifestSchema, ModelMetadataSchema } from "../../core/model-manifest.ts";
import { type PolicyMix, RANDOM_ONLY } from "../../core/sampling-policy.ts";
import { emptyManifest, manifestFile } from "../../model-manifest-file.ts";
import { WatchedFile } from "../watched-file.ts";

export interface ModelChoice {
  readonly version: string;
  /** The version's sampling truncation (metadata.json), null for plain normal noise. */
  readonly truncation: number | null;
  /** The rotation's mix of sampling policies for this version (random only unless the manifest says). */
  readonly policies: PolicyMix;
}

/** One version of the manifest, with the truncations read for it (a new manifest reads them again). */
interface Registry {
  readonly entries: readonly ManifestEntry[];
  readonly truncations: Map<string, number | null | undefined>;
}

const registryOf = (entries: readonly ManifestEntry[]): Registry => ({ entries, truncations: new Map() });

export class ModelRotation {
  readonly #manifest: WatchedFile<Registry>;

  constructor(readonly modelsDir: string) {
    this.#manifest = new WatchedFile(
      manifestFile(modelsDir),
      (json) => registryOf(ManifestSchema.parse(json).versions),
      () => registryOf(emptyManifest().versions),
    );
  }

  /** A version for a new round (weighted by rotation), or null when none is active. */
  pick(unit: () => number, now = Date.now()): ModelChoice | null {
    const registry = this.#manifest.current(now);
    const active = registry.entries.filter(isInRotation);
    const total = active.reduce((sum, entry) => sum + entry.weight, 0);
    if (total <= 0) return null;
    const chosen = weightedPick(active, unit() * total);
    const fromFile = this.#truncation(registry, chosen.version);
    const truncation = fromFile !== undefined ? fromFile : (chosen.metadata?.truncation ?? null);
    return { version: chosen.version, truncation, policies: chosen.policies ?? RANDOM_ONLY };
  }

  /** Every listed version (for the leaderboard's status column). */
  entries(now = Date.now()): readonly ManifestEntry[] {
    return this.#manifest.current(now).entries;
  }

  /**
   * metadata.json's truncation, read once per version and manifest change; undefined when the file is
   * missing or unreadable (the manifest's copy of the metadata is the fallback, then null).
   */
  #truncation({ truncations }: Registry, version: string): number | null | undefined {
    if (!truncations.has(version)) truncations.set(version, this.#readTruncation(version));
    return truncations.get(version);
  }

  #readTruncation(version: string): number | null | undefined {
    try {
      const file = path.join(this.modelsDir, version, "metadata.json");
      const metadata = JSON.parse(readFileSync(file, "utf8"));
      // Only the field we need is checked strictly, so a newer metadata layout does not break the game.
      const parsed = ModelMetadataSchema.shape.truncation.safeParse(metadata?.truncation);
      return parsed.success && (parsed.data === null || parsed.data > 0) ? parsed.data : undefined;
    } catch {
      return undefined;
    }
  }
}

/** The entry whose cumulative-weight interval contains `point` (point in [0, total weight)). */
function weightedPick(entries: readonly ManifestEntry[], point: number): ManifestEntry {
  let cumulative = 0;
  for (const entry of entries) {
    cumulative += entry.weight;
    if (point < cumulative) return entry;
  }
  return entries.at(-1) as ManifestEntry;
}
