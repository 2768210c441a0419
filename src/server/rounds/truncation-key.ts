/**
 * fake_face_stats keys a fake by (version, seed, truncation) and stores "no truncation" as 0, because
 * SQLite keys treat NULLs as all distinct. noise.ts only accepts truncations > 0, so 0 is unambiguous.
 */
export function truncationKey(truncation: number | null): number {
  return truncation ?? 0;
}

export function truncationFromKey(key: number): number | null {
  return key === 0 ? null : key;
}
