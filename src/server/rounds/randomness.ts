/**
 * Where a round's chance comes from. Production uses the OS's CSPRNG: Math.random's xorshift state can be
 * recovered from a few outputs, and a player who could predict the next slot or seed could cheat. Tests
 * pass a seeded source instead.
 */
import { randomBytes, randomInt } from "node:crypto";
import { MAX_SEED, seededUniform } from "../../core/noise.ts";

export interface Randomness {
  /** Uniform integer in [0, n). */
  below(n: number): number;
  /** Uniform float in [0, 1). */
  unit(): number;
  /** A latent seed: uniform uint32. */
  seed(): number;
  /** An unguessable id (128 bits, base64url). */
  token(): string;
}

export const secureRandomness: Randomness = {
  below: (n) => randomInt(n),
  // 47 random bits: randomInt's range must stay below 2^48, and it draws from a pooled buffer.
  unit: () => randomInt(2 ** 47) / 2 ** 47,
  seed: () => randomInt(MAX_SEED + 1),
  token: () => randomBytes(16).toString("base64url"),
};

/** Reproducible randomness for tests: tokens are unique within a source and across different seeds. */
export function seededRandomness(seed: number): Randomness {
  const unit = seededUniform(seed);
  let counter = 0;
  return {
    below: (n) => Math.floor(unit() * n),
    unit,
    seed: () => Math.floor(unit() * (MAX_SEED + 1)),
    token: () => `t${(seed >>> 0).toString(36)}x${(counter++).toString(36)}y`.padEnd(22, "0"),
  };
}
