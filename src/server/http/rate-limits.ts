/**
 * The game's limits. Humans answer at most a couple of rounds a second even in timed mode; the bursts
 * leave room for a fast streak and for a class of players behind one address (new players per address).
 * RATE_LIMIT_SCALE multiplies every rate and burst: load tests that drive a few simulated clients far
 * faster than any human raise it, and say so in their report.
 */
import { ApiError } from "../../core/api-error.ts";
import { type BucketRule, RateLimiter } from "./rate-limiter.ts";

export const DEFAULT_RULES = {
  roundsPerPlayer: { perSecond: 2, burst: 20 },
  answersPerPlayer: { perSecond: 2, burst: 20 },
  newPlayersPerAddress: { perSecond: 0.5, burst: 30 },
  // The open-data export reads every judgment: a few downloads in a row, then one a minute.
  exportsPerAddress: { perSecond: 1 / 60, burst: 5 },
} as const satisfies Record<string, BucketRule>;

export class RateLimits {
  readonly rounds: RateLimiter;
  readonly answers: RateLimiter;
  readonly newPlayers: RateLimiter;
  readonly exports: RateLimiter;

  constructor(scale = 1) {
    const scaled = (rule: BucketRule): BucketRule => ({ perSecond: rule.perSecond * scale, burst: rule.burst * scale });
    this.rounds = new RateLimiter(scaled(DEFAULT_RULES.roundsPerPlayer));
    this.answers = new RateLimiter(scaled(DEFAULT_RULES.answersPerPlayer));
    this.newPlayers = new RateLimiter(scaled(DEFAULT_RULES.newPlayersPerAddress));
    this.exports = new RateLimiter(scaled(DEFAULT_RULES.exportsPerAddress));
  }

  /** Whether this player was refused recently: their accepted answers are kept out of the statistics. */
  flagged(playerKey: string, now = Date.now()): boolean {
    return this.rounds.flagged(playerKey, now) || this.answers.flagged(playerKey, now);
  }
}

export function rateLimitScale(value = process.env.RATE_LIMIT_SCALE): number {
  const scale = Number(value ?? "1");
  return Number.isFinite(scale) && scale > 0 ? scale : 1;
}

/** Takes a token or throws the 429 the client gets. */
export function enforce(limiter: RateLimiter, key: string, now = Date.now()): void {
  const take = limiter.take(key, now);
  if (!take.ok) {
    throw new ApiError(429, "too many requests, slow down", { "Retry-After": String(take.retryAfterSeconds) });
  }
}
