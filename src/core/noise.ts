/**
 * Seeded latent noise: (seed, truncation) → z.
 *
 * The browser, the server and the training code all call this one function, so any fake face can be
 * regenerated exactly from (model version, seed, truncation). Only integer arithmetic and IEEE-exact or
 * V8-identical float functions are used, which makes the output bit-identical in Node and in Chromium.
 */

/** The latent size of every generator we train (the seed article's z = 100). */
export const Z_DIM = 100;

/** Largest seed accepted: seeds are unsigned 32-bit integers. */
export const MAX_SEED = 0xffffffff;

/** A small, fast, well-tested 32-bit generator (mulberry32); `next()` returns a float in [0, 1). */
export function seededUniform(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Standard normal draws by Box–Muller, from a seeded uniform source. */
export function seededNormal(seed: number): () => number {
  const uniform = seededUniform(seed);
  let spare: number | null = null;
  return () => {
    if (spare !== null) {
      const value = spare;
      spare = null;
      return value;
    }
    // 1 - u keeps the log argument in (0, 1], never log(0).
    const radius = Math.sqrt(-2 * Math.log(1 - uniform()));
    const angle = 2 * Math.PI * uniform();
    spare = radius * Math.sin(angle);
    return radius * Math.cos(angle);
  };
}

export function validateNoiseArgs(seed: number, truncation: number | null): void {
  if (!Number.isInteger(seed) || seed < 0 || seed > MAX_SEED) {
    throw new RangeError(`seed must be an integer in [0, ${MAX_SEED}], got ${seed}`);
  }
  if (truncation !== null && !(Number.isFinite(truncation) && truncation > 0)) {
    throw new RangeError(`truncation must be a positive number or null, got ${truncation}`);
  }
}

/**
 * The latent vector for one face. With a truncation t, every component is redrawn until |z_i| ≤ t
 * (the truncation trick of BigGAN/StyleGAN: less variety, more realism); null means the plain normal.
 */
export function latentVector(seed: number, truncation: number | null, zDim: number = Z_DIM): Float32Array {
  validateNoiseArgs(seed, truncation);
  const normal = seededNormal(seed);
  const z = new Float32Array(zDim);
  for (let i = 0; i < zDim; i++) {
    let value = normal();
    while (truncation !== null && Math.abs(value) > truncation) value = normal();
    z[i] = value;
  }
  return z;
}

/** Several latent vectors packed row after row, ready for `tf.tensor2d(data, [seeds.length, zDim])`. */
export function latentBatch(seeds: readonly number[], truncation: number | null, zDim: number = Z_DIM): Float32Array {
  const batch = new Float32Array(seeds.length * zDim);
  seeds.forEach((seed, row) => {
    batch.set(latentVector(seed, truncation, zDim), row * zDim);
  });
  return batch;
}
