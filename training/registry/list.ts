/**
 * The registry as a table: every registered version, plus exported folders never registered.
 */
import { rotation } from "../../src/core/in-rotation.ts";
import type { Manifest, ModelMetadata } from "../../src/core/model-manifest.ts";
import { formatTable } from "../cli/text-table.ts";

export interface ListedVersion {
  version: string;
  status: string;
  weight: number;
  metadata: ModelMetadata | undefined;
}

export function listedVersions(
  manifest: Manifest,
  folders: readonly string[],
  readMetadata: (v: string) => ModelMetadata | undefined,
): ListedVersion[] {
  const registered: ListedVersion[] = manifest.versions.map((e) => ({
    version: e.version,
    status: e.status,
    weight: e.weight,
    metadata: readMetadata(e.version) ?? e.metadata,
  }));
  const known = new Set(registered.map((v) => v.version));
  const unregistered = folders
    .filter((f) => !known.has(f))
    .map((version) => ({ version, status: "unregistered", weight: 0, metadata: readMetadata(version) }));
  return [...registered, ...unregistered];
}

export function formatRegistry(manifest: Manifest, versions: readonly ListedVersion[]): string {
  const total = rotation(manifest).reduce((sum, e) => sum + e.weight, 0);
  const header = [
    "version",
    "status",
    "weight",
    "share",
    "steps",
    "G",
    "detected",
    "face FD",
    "near copies",
    "diversity",
    "evaluated",
  ];
  const rows = versions.map((v) => {
    const m = v.metadata?.metrics;
    const serving = v.status === "active" && total > 0;
    return [
      v.version,
      v.status,
      v.status === "active" ? String(v.weight) : "—",
      serving ? pct(v.weight / total) : "—",
      v.metadata ? String(v.metadata.training.steps) : "—",
      v.metadata ? (v.metadata.ema ? "EMA" : "raw") : "—",
      m ? pct(m.detectionRate) : "—",
      m ? m.faceFd.toFixed(4) : "—",
      // The share under the same-person distance is ~100 % even for real faces (look-alikes); near copies is not.
      m?.nearCopyShare !== undefined ? pct(m.nearCopyShare) : "—",
      m ? m.diversity.toFixed(3) : "—",
      m ? m.evaluatedAt.slice(0, 16).replace("T", " ") : "—",
    ];
  });
  const rollbacks = manifest.history.length;
  return `${formatTable(header, rows)}\n\n${rotation(manifest).length} in rotation; ${rollbacks} earlier rotation${rollbacks === 1 ? "" : "s"} to roll back to.`;
}

const pct = (share: number) => `${(share * 100).toFixed(1)} %`;
