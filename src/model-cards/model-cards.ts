/**
 * What the /models page shows for each registered generator: its place in the rotation, its sample grid
 * and training facts, the automated metrics (model:evaluate) and, when players have judged it, the human
 * fool-rate. Read from disk on every request, so a deploy, retire or rollback shows at once.
 */

import { readFileSync } from "node:fs";
import path from "node:path";
import { rotation } from "../core/in-rotation.ts";
import { type ManifestEntry, type ModelMetadata, ModelMetadataSchema } from "../core/model-manifest.ts";
import { modelFileUrl } from "../core/model-url.ts";
import { readManifest } from "../model-manifest-file.ts";

export interface Interval {
  estimate: number;
  low: number;
  high: number;
}

/** One (mode, sampling policy) of a version, from the leaderboard's statistics. */
export interface HumanStat {
  mode: string;
  policy: string;
  rounds: number;
  players: number;
  /** Each with its 95 % interval; null until enough players have judged; "n/a" where pair mode cannot tell. */
  foolRate: Interval | null;
  errorOnReals: Interval | null | "n/a";
  hype: Interval | null | "n/a";
}

export interface ModelCard {
  version: string;
  status: ManifestEntry["status"];
  weight: number;
  /** Share of new rounds it gets now (0 when out of rotation). */
  share: number;
  addedAt: string;
  metadata: ModelMetadata | null;
  sampleGridUrl: string | null;
  lossCurveUrl: string | null;
  human: HumanStat[];
}

const STATUS_ORDER: Record<ManifestEntry["status"], number> = { active: 0, candidate: 1, retired: 2 };

/** In rotation first (largest share first), then candidates, then retired; newest first within each. */
export function modelCards(modelsDir: string, human: ReadonlyMap<string, HumanStat[]> = new Map()): ModelCard[] {
  const manifest = readManifest(modelsDir);
  const serving = rotation(manifest);
  const total = serving.reduce((sum, e) => sum + e.weight, 0);
  const cards = manifest.versions.map((entry): ModelCard => {
    const metadata = freshMetadata(modelsDir, entry);
    const share = total > 0 && serving.includes(entry) ? entry.weight / total : 0;
    return {
      version: entry.version,
      status: entry.status,
      weight: entry.weight,
      share,
      addedAt: entry.addedAt,
      metadata,
      sampleGridUrl: metadata ? modelFileUrl(entry.version, metadata.sampleGrid) : null,
      lossCurveUrl: metadata?.lossCurve ? modelFileUrl(entry.version, metadata.lossCurve) : null,
      human: human.get(entry.version) ?? [],
    };
  });
  return cards.sort(
    (a, b) =>
      STATUS_ORDER[a.status] - STATUS_ORDER[b.status] || b.share - a.share || b.addedAt.localeCompare(a.addedAt),
  );
}

/** metadata.json as it is now (metrics may be newer than the manifest's copy), else that copy. */
function freshMetadata(modelsDir: string, entry: ManifestEntry): ModelMetadata | null {
  try {
    const parsed = ModelMetadataSchema.safeParse(
      JSON.parse(readFileSync(path.join(modelsDir, entry.version, "metadata.json"), "utf8")),
    );
    if (parsed.success) return parsed.data;
  } catch {
    // Missing or unreadable: fall back to the copy below.
  }
  return entry.metadata ?? null;
}
