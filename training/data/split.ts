/**
 * The identity split: a fixed ~10 % of people form the quiz's pool of real faces and are never trained on,
 * so a player never sees a real face whose person the generator learned (and memorisation can be measured).
 */

/** One identity in this many goes to the quiz pool. */
export const POOL_MODULUS = 10;

/** FNV-1a over the identity's decimal digits: stable across machines and Node versions. */
export function identityHash(identity: number): number {
  let hash = 0x811c9dc5;
  for (const char of String(identity)) {
    hash ^= char.charCodeAt(0);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash;
}

export function isPoolIdentity(identity: number): boolean {
  return identityHash(identity) % POOL_MODULUS === 0;
}

export function splitByIdentity<T extends { identity: number }>(faces: readonly T[]): { train: T[]; pool: T[] } {
  const train: T[] = [];
  const pool: T[] = [];
  for (const face of faces) (isPoolIdentity(face.identity) ? pool : train).push(face);
  return { train, pool };
}
