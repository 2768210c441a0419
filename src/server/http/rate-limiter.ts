/**
 * Per-client token buckets kept in the database (table `rate_buckets`), so every app server sharing the
 * database draws on one allowance: a client spread over N servers gets the same rate as on one. A client
 * that runs a bucket dry gets 429 with Retry-After, and stays "flagged" for a while after: its answers in
 * that window are still recorded but kept out of the statistics (they are likely scripted).
 *
 * A take is one statement, an upsert that refills the bucket by the time since its last take, takes a
 * token if there is one and returns the outcome. It goes through the group commit (db/group-commit.ts),
 * so it costs no commit of its own: it rides in the same write transaction as the rounds and answers of
 * that moment, and the database serialises takes from all servers. docs/server.md has its measured cost.
 *
 * Clocks: each server refills with its own clock; `updated_at` only moves forward and a refill is never
 * negative, so a server whose clock lags by a few milliseconds refills a little less, never more.
 */
import type { GroupCommit } from "../../../db/group-commit.ts";

export interface BucketRule {
  /** Sustained requests per second. */
  readonly perSecond: number;
  /** Requests allowed at once after a quiet spell (at least 1). */
  readonly burst: number;
}

export type Take = { readonly ok: true } | { readonly ok: false; readonly retryAfterSeconds: number };

/** An SQL condition with its positional arguments, for a statement to embed (the answer's claim does). */
export interface SqlCondition {
  readonly sql: string;
  readonly args: readonly (string | number | null)[];
}

/** How long a client stays flagged after being refused. */
export const FLAG_WINDOW_MS = 60_000;

/** A bucket refilled to `now`: at most the burst, never less than it was (a lagging clock adds nothing). */
const REFILLED = "min(:burst, tokens + max(0, :now - updated_at) * :per_ms)";

export class RateLimiter {
  readonly #takeSql: string;

  constructor(
    private readonly writes: Pick<GroupCommit, "execute">,
    /** The row's `rule`: one name per limit, the same on every server. */
    readonly name: string,
    readonly rule: BucketRule,
  ) {
    if (!(rule.burst >= 1 && rule.perSecond > 0)) throw new Error(`rate limit ${name}: burst must be ≥ 1, rate > 0`);
    // A new client's bucket starts full, so its first take always succeeds. SET expressions all see the
    // row as it was, so REFILLED means the same in each.
    this.#takeSql = `INSERT INTO rate_buckets (rule, client, tokens, updated_at, flagged_until, taken)
      VALUES (:rule, :client, :burst - 1, :now, 0, 1)
      ON CONFLICT (rule, client) DO UPDATE SET
        tokens = CASE WHEN ${REFILLED} >= 1 THEN ${REFILLED} - 1 ELSE ${REFILLED} END,
        flagged_until = CASE WHEN ${REFILLED} >= 1 THEN flagged_until ELSE max(flagged_until, :now + :flag_ms) END,
        taken = ${REFILLED} >= 1,
        updated_at = max(updated_at, :now)
      RETURNING taken, tokens`;
  }

  async take(client: string, now = Date.now()): Promise<Take> {
    const result = await this.writes.execute({
      sql: this.#takeSql,
      args: {
        rule: this.name,
        client,
        now,
        burst: this.rule.burst,
        per_ms: this.rule.perSecond / 1000,
        flag_ms: FLAG_WINDOW_MS,
      },
    });
    const row = result.rows[0];
    if (!row) throw new Error(`rate limit ${this.name}: the take returned no row`);
    if (Number(row.taken) === 1) return { ok: true };
    const missing = 1 - Number(row.tokens);
    return { ok: false, retryAfterSeconds: Math.max(1, Math.ceil(missing / this.rule.perSecond)) };
  }

  /**
   * "This client was refused by one of these limits within the last FLAG_WINDOW_MS", as a condition the
   * caller's own statement evaluates: the flag is read where it is used, at no extra statement.
   */
  static refusedLately(rules: readonly RateLimiter[], client: string, now: number): SqlCondition {
    const marks = rules.map(() => "?").join(", ");
    return {
      sql: `EXISTS (SELECT 1 FROM rate_buckets WHERE rule IN (${marks}) AND client = ? AND flagged_until > ?)`,
      args: [...rules.map((rule) => rule.name), client, now],
    };
  }

  /**
   * Deletes the buckets that have refilled and are no longer flagged: they behave exactly like no row (a
   * new client starts full), so this changes no outcome and keeps the table to recent clients.
   */
  async sweep(now = Date.now()): Promise<number> {
    const result = await this.writes.execute({
      sql: `DELETE FROM rate_buckets
        WHERE rule = :rule AND flagged_until <= :now AND updated_at + (:burst - tokens) / :per_ms <= :now`,
      args: { rule: this.name, now, burst: this.rule.burst, per_ms: this.rule.perSecond / 1000 },
    });
    return result.rowsAffected;
  }
}
