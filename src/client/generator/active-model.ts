/**
 * Which generator to warm up before the first round: the version with the largest share of rounds in the
 * live registry (/models/registry.json, see src/pages/models/registry.json.ts), by the rotation rule the
 * server uses. The server still names the model of every round; this only lets the page load it while the
 * player reads the start screen.
 */
import { leadingVersion } from "../../core/in-rotation.ts";
import type { ManifestEntry } from "../../core/model-manifest.ts";

type RegistryEntry = Pick<ManifestEntry, "version" | "status" | "weight">;

export async function activeModelVersion(signal?: AbortSignal): Promise<string> {
  const response = await fetch("/models/registry.json", { signal });
  if (!response.ok) throw new Error(`model registry: HTTP ${response.status}`);
  const registry = (await response.json()) as { versions?: RegistryEntry[] };
  const best = leadingVersion({ versions: registry.versions ?? [] });
  if (!best) throw new Error("no active face generator is published yet");
  return best.version;
}
