/**
 * Per-client token buckets. A client that runs a bucket dry gets 429 with Retry-After, and stays
 * "flagged" for a while after: its answers in that window are still recorded but kept out of the
 * statistics (they are likely scripted).
 *
 * State lives in this process. With several app servers each limits on its own, so a client spread over
 * N servers gets up to N times the rate; put sticky routing in front if that matters.
 */

export interface BucketRule {
  /** Sustained requests per second. */
  readonly perSecond: number;
  /** Requests allowed at once after a quiet spell. */
  readonly burst: number;
}

export type Take = { readonly ok: true } | { readonly ok: false; readonly retryAfterSeconds: number };

interface Bucket {
  tokens: number;
  updatedAt: number;
  flaggedUntil: number;
}

/** How long a client stays flagged after being refused. */
export const FLAG_WINDOW_MS = 60_000;
/** Above this many tracked clients, idle full buckets are dropped (they behave exactly like new ones). */
const SWEEP_ABOVE = 50_000;

export class RateLimiter {
  readonly #buckets = new Map<string, Bucket>();

  constructor(readonly rule: BucketRule) {}

  take(key: string, now = Date.now()): Take {
    const bucket = this.#refilled(key, now);
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return { ok: true };
    }
    bucket.flaggedUntil = now + FLAG_WINDOW_MS;
    return { ok: false, retryAfterSeconds: Math.max(1, Math.ceil((1 - bucket.tokens) / this.rule.perSecond)) };
  }

  /** Whether the client was refused within the last FLAG_WINDOW_MS. */
  flagged(key: string, now = Date.now()): boolean {
    const bucket = this.#buckets.get(key);
    return bucket !== undefined && now < bucket.flaggedUntil;
  }

  #refilled(key: string, now: number): Bucket {
    let bucket = this.#buckets.get(key);
    if (!bucket) {
      if (this.#buckets.size >= SWEEP_ABOVE) this.#sweep(now);
      bucket = { tokens: this.rule.burst, updatedAt: now, flaggedUntil: 0 };
      this.#buckets.set(key, bucket);
      return bucket;
    }
    const refill = ((now - bucket.updatedAt) / 1000) * this.rule.perSecond;
    bucket.tokens = Math.min(this.rule.burst, bucket.tokens + Math.max(0, refill));
    bucket.updatedAt = now;
    return bucket;
  }

  #sweep(now: number): void {
    for (const [key, bucket] of this.#buckets) {
      const full = bucket.tokens + ((now - bucket.updatedAt) / 1000) * this.rule.perSecond >= this.rule.burst;
      if (full && now >= bucket.flaggedUntil) this.#buckets.delete(key);
    }
  }
}
