/**
 * Where a round gets scored. The server compares the answer with what it stored when it made the round
 * and records it exactly once, in one statement: an INSERT of the judgment that selects its round only if
 * the round is this player's, unanswered and unexpired. The statement is group-committed with the other
 * writes of the moment (db/group-commit.ts); the reply waits for that commit. Triggers on judgments mark
 * the round answered and, for timed rounds, move the exposure staircase within that statement; the
 * statistics' running sums pick the judgment up within a second (src/server/stats/fold-judgments.ts).
 * Concurrent duplicates are serialized by the database: the first inserts, the rest find the round
 * answered, insert nothing and are told 409 (the unique index on judgments.round_id backs this up).
 */
import { eq } from "drizzle-orm";
import type { Database, Db } from "../../../db/client.ts";
import { type ExclusionReason, expiredRounds, players, rounds } from "../../../db/schema.ts";
import { ApiError } from "../../core/api-error.ts";
import { storedRoundMode } from "../../core/round-modes.ts";
import type { AnswerBody, AnswerView } from "../../core/rounds-api.ts";
import type { SqlCondition } from "../http/rate-limiter.ts";
import type { RecentRounds, RoundRow } from "./recent-rounds.ts";
import { slotsOf } from "./round-view.ts";
import { MIN_RESPONSE_MS } from "./rules.ts";
import { type Score, scoreAnswer } from "./scoring.ts";

export interface AnswerRequest {
  readonly roundId: string;
  /** Null when the request carries no valid player cookie. */
  readonly playerId: number | null;
  readonly body: AnswerBody;
  /**
   * True when the client was refused by a rate limit lately: the answer is kept, out of the statistics.
   * Given as the limits' SQL condition (http/rate-limits.ts), the claim reads it in its own statement.
   */
  readonly rateLimited: boolean | SqlCondition;
  readonly now?: number;
}

/**
 * What answering needs: the database (reads through drizzle, the claim through the group commit) and, when
 * there is one, this process's memory of the rounds it made.
 */
export interface RoundDatabase extends Pick<Database, "db" | "writes"> {
  readonly recent?: RecentRounds;
}

export async function answerRound({ db, writes, recent }: RoundDatabase, request: AnswerRequest): Promise<AnswerView> {
  const now = request.now ?? Date.now();
  const round =
    recent?.answerable(request.roundId, request.playerId, now) ?? (await loadAnswerableRound(db, request, now));
  const score = scoreAnswer(storedRoundMode(round.mode), round.slots, request.body);
  const inserted = await recordJudgment(writes, round, score, request, now);
  recent?.forget(round.id);
  if (!inserted) throw await lostRace(db, round.id);
  const view: AnswerView = {
    roundId: round.id,
    correct: score.correct,
    fakeSlots: slotsOf(round.slots, "fake"),
    realSlots: slotsOf(round.slots, "real"),
    model: round.modelVersion,
  };
  return round.mode === "timed" ? { ...view, nextExposureMs: await exposureOf(db, round.playerId) } : view;
}

/** The round, or the error that says why it cannot be answered (checked again, atomically, on write). */
async function loadAnswerableRound(db: Db, request: AnswerRequest, now: number): Promise<RoundRow> {
  const [round] = await roundByIdQuery(db, request.roundId);
  if (!round) throw await missingRound(db, request);
  if (round.playerId !== request.playerId) throw new ApiError(403, "this round belongs to another player");
  if (round.answeredAt !== null) throw new ApiError(409, "this round was already answered");
  if (now >= round.expiresAt) throw new ApiError(410, "this round has expired");
  return round;
}

/**
 * A round not in `rounds` is unknown, or expired unanswered and moved to the archive by the clean-up
 * (src/server/upkeep/): that one is still "expired" to its player, as it was before it moved.
 */
async function missingRound(db: Db, request: AnswerRequest): Promise<ApiError> {
  const [archived] = await db
    .select({ playerId: expiredRounds.playerId })
    .from(expiredRounds)
    .where(eq(expiredRounds.id, request.roundId));
  if (!archived) return new ApiError(404, "no such round");
  if (archived.playerId !== request.playerId) return new ApiError(403, "this round belongs to another player");
  return new ApiError(410, "this round has expired");
}

/** A round by its id (a primary-key lookup); exported for the query-plan test. */
export function roundByIdQuery(db: Db, roundId: string) {
  return db.select().from(rounds).where(eq(rounds.id, roundId));
}

/** Why the claim failed when the pre-check passed: another request got there first, or time ran out. */
async function lostRace(db: Db, roundId: string): Promise<ApiError> {
  const [round] = await db.select({ answeredAt: rounds.answeredAt }).from(rounds).where(eq(rounds.id, roundId));
  if (round?.answeredAt != null) return new ApiError(409, "this round was already answered");
  // Unanswered, and the claim (whose other conditions the pre-check already passed) still failed: expired.
  return new ApiError(410, "this round has expired");
}

/**
 * Why the judgment stays out of the statistics, as an SQL expression: rate limited when the client was
 * refused lately (evaluated by the claim itself), else too fast, else nothing.
 */
function exclusionSql(round: RoundRow, request: AnswerRequest, now: number): SqlCondition {
  const tooFastByServer = now - round.createdAt < MIN_RESPONSE_MS;
  const tooFastByClient = request.body.responseMs !== undefined && request.body.responseMs < MIN_RESPONSE_MS;
  const otherwise: ExclusionReason | null = tooFastByServer || tooFastByClient ? "too_fast" : null;
  const limited = request.rateLimited;
  const refused = typeof limited === "boolean" ? { sql: limited ? "1" : "0", args: [] } : limited;
  const reason: ExclusionReason = "rate_limited";
  return { sql: `CASE WHEN ${refused.sql} THEN '${reason}' ELSE ? END`, args: [...refused.args, otherwise] };
}

/** The judgment, selected from its round only if the round can still be claimed. */
const claimSql = (excluded: string) => `INSERT INTO judgments
  (round_id, player_id, model_version, mode, choice, verdict, correct, fooled, response_ms, elapsed_ms, excluded, created_at)
  SELECT id, player_id, model_version, mode, ?, ?, ?, ?, ?, ?, ${excluded}, ?
  FROM rounds
  WHERE id = ? AND player_id = ? AND answered_at IS NULL AND expires_at > ?`;

/** The judgment, inserted only if the round can still be claimed; false when another answer was first. */
async function recordJudgment(
  writes: Database["writes"],
  round: RoundRow,
  score: Score,
  request: AnswerRequest,
  now: number,
): Promise<boolean> {
  const responseMs = request.body.responseMs === undefined ? null : Math.round(request.body.responseMs);
  const excluded = exclusionSql(round, request, now);
  try {
    const result = await writes.execute({
      sql: claimSql(excluded.sql),
      args: [
        score.choice,
        score.verdict,
        Number(score.correct),
        Number(score.fooled),
        responseMs,
        now - round.createdAt,
        ...excluded.args,
        now,
        round.id,
        round.playerId,
        now,
      ],
    });
    return result.rowsAffected === 1;
  } catch (error) {
    // Only reachable if two claims ever passed together: the unique index keeps the first.
    if (/UNIQUE constraint failed: judgments\.round_id/.test(String(error))) return false;
    throw error;
  }
}

/** The player's exposure after the staircase trigger moved it. */
async function exposureOf(db: Db, playerId: number): Promise<number> {
  const [row] = await db.select({ exposureMs: players.exposureMs }).from(players).where(eq(players.id, playerId));
  return row?.exposureMs ?? 0;
}
