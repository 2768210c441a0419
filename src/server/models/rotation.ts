/**
 * Which generator a new round uses. Reads public/models/manifest.json (written by the deploy tools) and
 * picks among the active versions in proportion to their weights. The file is re-checked at most once a
 * second by its size, mtime and inode, so a running server follows a new rotation within about a second
 * without a restart, also when the tools replace the file by rename. A manifest caught half-written (or
 * otherwise invalid) is ignored and the last good rotation kept.
 */
import { readFileSync, statSync } from "node:fs";
import path from "node:path";
import { type ManifestEntry, ManifestSchema, ModelMetadataSchema } from "../../core/model-manifest.ts";
import { type PolicyMix, RANDOM_ONLY } from "../../core/sampling-policy.ts";

export interface ModelChoice {
  readonly version: string;
  /** The version's sampling truncation (metadata.json), null for plain normal noise. */
  readonly truncation: number | null;
  /** The rotation's mix of sampling policies for this version (random only unless the manifest says). */
  readonly policies: PolicyMix;
}

const RECHECK_MS = 1_000;

export class ModelRotation {
  #entries: readonly ManifestEntry[] = [];
  #signature = "";
  #checkedAt = Number.NEGATIVE_INFINITY;
  readonly #truncations = new Map<string, number | null | undefined>();

  constructor(readonly modelsDir: string) {}

  /** A version for a new round (weighted by rotation), or null when none is active. */
  pick(unit: () => number, now = Date.now()): ModelChoice | null {
    const active = this.active(now);
    const total = active.reduce((sum, entry) => sum + entry.weight, 0);
    if (total <= 0) return null;
    const chosen = weightedPick(active, unit() * total);
    const fromFile = this.truncation(chosen.version);
    const truncation = fromFile !== undefined ? fromFile : (chosen.metadata?.truncation ?? null);
    return { version: chosen.version, truncation, policies: chosen.policies ?? RANDOM_ONLY };
  }

  /** Active versions with a positive weight. */
  active(now = Date.now()): ManifestEntry[] {
    return this.entries(now).filter((entry) => entry.status === "active" && entry.weight > 0);
  }

  /** Every listed version (for the leaderboard's status column). */
  entries(now = Date.now()): readonly ManifestEntry[] {
    if (now - this.#checkedAt >= RECHECK_MS) {
      this.#checkedAt = now;
      this.#reloadIfChanged();
    }
    return this.#entries;
  }

  #reloadIfChanged(): void {
    const file = path.join(this.modelsDir, "manifest.json");
    let signature: string;
    try {
      const stat = statSync(file);
      signature = `${stat.ino}:${stat.size}:${stat.mtimeMs}`;
    } catch {
      this.#entries = [];
      this.#signature = "";
      return;
    }
    if (signature === this.#signature) return;
    try {
      this.#entries = ManifestSchema.parse(JSON.parse(readFileSync(file, "utf8"))).versions;
      this.#signature = signature;
      // A version's metadata may have appeared (or been fixed) since it was last read.
      this.#truncations.clear();
    } catch (error) {
      console.warn(`ignoring unreadable ${file}, keeping the previous rotation:`, (error as Error).message);
    }
  }

  /**
   * metadata.json's truncation, read once per version and manifest change; undefined when the file is
   * missing or unreadable (the manifest's copy of the metadata is the fallback, then null).
   */
  truncation(version: string): number | null | undefined {
    if (!this.#truncations.has(version)) this.#truncations.set(version, this.#readTruncation(version));
    return this.#truncations.get(version);
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
