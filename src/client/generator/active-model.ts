/**
 * Which generator to warm up before the first round: the active version with the largest share of rounds in
 * the live registry (/models/registry.json, see src/pages/models/registry.json.ts). The server still names the
 * model of every round; this only lets the page load it while the player reads the start screen.
 */
interface RegistryEntry {
  version: string;
  status: string;
  weight: number;
}

export async function activeModelVersion(signal?: AbortSignal): Promise<string> {
  const response = await fetch("/models/registry.json", { signal });
  if (!response.ok) throw new Error(`model registry: HTTP ${response.status}`);
  const registry = (await response.json()) as { versions?: RegistryEntry[] };
  const active = (registry.versions ?? []).filter((entry) => entry.status === "active" && entry.weight > 0);
  active.sort((a, b) => b.weight - a.weight);
  const best = active[0];
  if (!best) throw new Error("no active face generator is published yet");
  return best.version;
}
