/**
 * The game's limits. Humans answer at most a couple of rounds a second even in timed mode; the bursts
 * leave room for a fast streak and for a class of players behind one address (new players per address).
 * RATE_LIMIT_SCALE multiplies every rate and burst: load tests that drive a few simulated clients far
 * faster than any human raise it, and say so in their report. The buckets live in the database, shared by
 * every app server (rate-limiter.ts).
 */
import type { GroupCommit } from "../../../db/group-commit.ts";
import { ApiError } from "../../core/api-error.ts";
import { type BucketRule, RateLimiter, type SqlCondition } from "./rate-limiter.ts";

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

  /** `writes`: the database's group commit, where the buckets of every app server live. */
  constructor(writes: Pick<GroupCommit, "execute">, scale = 1) {
    // A burst below one token would refuse everyone; a tiny scale still lets one request through.
    const scaled = (rule: BucketRule): BucketRule => ({
      perSecond: rule.perSecond * scale,
      burst: Math.max(1, rule.burst * scale),
    });
    this.rounds = new RateLimiter(writes, "rounds", scaled(DEFAULT_RULES.roundsPerPlayer));
    this.answers = new RateLimiter(writes, "answers", scaled(DEFAULT_RULES.answersPerPlayer));
    this.newPlayers = new RateLimiter(writes, "new_players", scaled(DEFAULT_RULES.newPlayersPerAddress));
    this.exports = new RateLimiter(writes, "exports", scaled(DEFAULT_RULES.exportsPerAddress));
  }

  /**
   * Whether a client's answer counts as rate limited (kept, but out of the statistics): refused new rounds
   * or answers lately, by whichever server. The answer's claim evaluates it in its own statement.
   */
  answerFlag(client: string, now: number): SqlCondition {
    return RateLimiter.refusedLately([this.rounds, this.answers], client, now);
  }

  all(): readonly RateLimiter[] {
    return [this.rounds, this.answers, this.newPlayers, this.exports];
  }
}

export function rateLimitScale(value = process.env.RATE_LIMIT_SCALE): number {
  const scale = Number(value ?? "1");
  return Number.isFinite(scale) && scale > 0 ? scale : 1;
}

/** Takes a token or throws the 429 the client gets. */
export async function enforce(limiter: RateLimiter, key: string, now = Date.now()): Promise<void> {
  const take = await limiter.take(key, now);
  if (!take.ok) {
    throw new ApiError(429, "too many requests, slow down", { "Retry-After": String(take.retryAfterSeconds) });
  }
}
