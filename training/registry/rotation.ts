/**
 * Changes to the rotation, as pure functions of the manifest. Each change that alters which versions
 * serve rounds (deploy, retire, rollback) first saves the rotation it replaces, so rollback can return to it.
 * Versions never leave the manifest: a retired or rolled-back version stays listed with its metrics.
 */
import type { Manifest, ManifestEntry, ModelMetadata } from "../../src/core/model-manifest.ts";
import { UserError } from "../cli/user-error.ts";

/** Rotations kept for rollback; older ones are dropped. */
export const HISTORY_LIMIT = 50;

export function deployVersion(manifest: Manifest, metadata: ModelMetadata, weight: number, now: Date): Manifest {
  if (!(Number.isFinite(weight) && weight > 0)) throw new UserError(`weight must be a positive number, got ${weight}`);
  const existing = manifest.versions.find((e) => e.version === metadata.version);
  const entry: ManifestEntry = {
    version: metadata.version,
    status: "active",
    weight,
    addedAt: existing?.addedAt ?? now.toISOString(),
    metadata,
    // The sampling-policy mix is set by hand in the manifest: a redeploy (a new weight) keeps it.
    ...(existing?.policies ? { policies: existing.policies } : {}),
  };
  const versions = existing
    ? manifest.versions.map((e) => (e.version === metadata.version ? entry : e))
    : [...manifest.versions, entry];
  return { versions, history: withSnapshot(manifest, now) };
}

export function retireVersion(manifest: Manifest, version: string, now: Date): Manifest {
  const existing = manifest.versions.find((e) => e.version === version);
  if (!existing) throw new UserError(`"${version}" is not in the registry.`);
  if (existing.status === "retired") throw new UserError(`"${version}" is already retired.`);
  return {
    versions: manifest.versions.map((e) => (e.version === version ? { ...e, status: "retired" } : e)),
    history: withSnapshot(manifest, now),
  };
}

/**
 * Back to the rotation before the last change. Versions added since then return to "candidate": known,
 * evaluated, not serving.
 */
export function rollback(manifest: Manifest): Manifest {
  const previous = manifest.history.at(-1);
  if (!previous) throw new UserError("Nothing to roll back to: the registry has no earlier rotation.");
  const before = new Map(previous.versions.map((e) => [e.version, e] as const));
  const versions = manifest.versions.map((entry): ManifestEntry => {
    const old = before.get(entry.version);
    return old ? { ...entry, status: old.status, weight: old.weight } : { ...entry, status: "candidate" };
  });
  return { versions, history: manifest.history.slice(0, -1) };
}

/** Records a version's latest metadata (e.g. fresh metrics), registering it as a candidate if new. */
export function recordMetadata(manifest: Manifest, metadata: ModelMetadata, now: Date): Manifest {
  const existing = manifest.versions.find((e) => e.version === metadata.version);
  if (existing) {
    return { ...manifest, versions: manifest.versions.map((e) => (e === existing ? { ...e, metadata } : e)) };
  }
  const entry: ManifestEntry = {
    version: metadata.version,
    status: "candidate",
    weight: 0,
    addedAt: now.toISOString(),
    metadata,
  };
  return { ...manifest, versions: [...manifest.versions, entry] };
}

/** The current rotation, without the bulky metadata copies (rollback restores statuses and weights only). */
function withSnapshot(manifest: Manifest, now: Date): Manifest["history"] {
  const versions = manifest.versions.map(({ metadata: _metadata, ...rest }) => rest);
  return [...manifest.history, { at: now.toISOString(), versions }].slice(-HISTORY_LIMIT);
}
