/**
 * Where a round gets scored. The server compares the answer with what it stored when it made the round,
 * and records it exactly once: one transaction claims the round (a conditional UPDATE that only an
 * unanswered, unexpired round of this player passes) and, conditioned on that claim, writes the judgment
 * and the running sums. Concurrent duplicates all run the same transaction; one claims, the rest change
 * nothing and are told 409.
 */
import { eq, sql } from "drizzle-orm";
import type { Db } from "../../../db/client.ts";
import { type ExclusionReason, rounds } from "../../../db/schema.ts";
import { ApiError } from "../http/api-error.ts";
import type { AnswerBody, AnswerView } from "./contract.ts";
import { staircaseAssignments } from "./exposure.ts";
import type { Randomness } from "./randomness.ts";
import { slotsOf } from "./round-view.ts";
import { MIN_RESPONSE_MS } from "./rules.ts";
import { type Score, scoreAnswer } from "./scoring.ts";
import { truncationKey } from "./truncation-key.ts";

export interface AnswerRequest {
  readonly roundId: string;
  /** Null when the request carries no valid player cookie. */
  readonly playerId: number | null;
  readonly body: AnswerBody;
  /** The client was refused by a rate limit recently: keep the answer, leave it out of the statistics. */
  readonly rateLimited: boolean;
  readonly now?: number;
}

type RoundRow = typeof rounds.$inferSelect;

export async function answerRound(db: Db, random: Randomness, request: AnswerRequest): Promise<AnswerView> {
  const now = request.now ?? Date.now();
  const round = await loadAnswerableRound(db, request, now);
  const score = scoreAnswer(round.mode, round.slots, request.body);
  const excluded = exclusionReason(round, request, now);
  const nonce = random.token();
  const included = excluded === null;
  const [claim, ...rest] = await db.batch([
    db.run(claimRound(round, nonce, now)),
    db.run(insertJudgment(round, nonce, score, request, excluded, now)),
    db.run(addPlayerModelSums(round, nonce, score, excluded)),
    // Face sums count only judgments that count, and only the faces the round showed.
    ...(included && round.seed !== null ? [db.run(addFakeFaceSums(round, nonce, score))] : []),
    ...(included && round.realFaceId !== null ? [db.run(addRealFaceSums(round, nonce, score))] : []),
    db.run(updatePlayer(round, nonce, score, included)),
  ]);
  if (claim.rowsAffected !== 1) throw await lostRace(db, round.id);
  const nextExposure = rest.at(-1)?.rows[0]?.exposure_ms;
  const view: AnswerView = {
    roundId: round.id,
    correct: score.correct,
    fakeSlots: slotsOf(round.slots, "fake"),
    realSlots: slotsOf(round.slots, "real"),
    model: round.modelVersion,
  };
  return round.mode === "timed" ? { ...view, nextExposureMs: Number(nextExposure) } : view;
}

/** The round, or the error that says why it cannot be answered (checked again, atomically, on write). */
async function loadAnswerableRound(db: Db, request: AnswerRequest, now: number): Promise<RoundRow> {
  const [round] = await db.select().from(rounds).where(eq(rounds.id, request.roundId));
  if (!round) throw new ApiError(404, "no such round");
  if (round.playerId !== request.playerId) throw new ApiError(403, "this round belongs to another player");
  if (round.answeredAt !== null) throw new ApiError(409, "this round was already answered");
  if (now >= round.expiresAt) throw new ApiError(410, "this round has expired");
  return round;
}

/** Why the claim failed when the pre-check passed: another request got there first, or time ran out. */
async function lostRace(db: Db, roundId: string): Promise<ApiError> {
  const [round] = await db.select({ answeredAt: rounds.answeredAt }).from(rounds).where(eq(rounds.id, roundId));
  if (round?.answeredAt != null) return new ApiError(409, "this round was already answered");
  // Unanswered, and the claim (whose other conditions the pre-check already passed) still failed: expired.
  return new ApiError(410, "this round has expired");
}

function exclusionReason(round: RoundRow, request: AnswerRequest, now: number): ExclusionReason | null {
  if (request.rateLimited) return "rate_limited";
  const tooFastByServer = now - round.createdAt < MIN_RESPONSE_MS;
  const tooFastByClient = request.body.responseMs !== undefined && request.body.responseMs < MIN_RESPONSE_MS;
  return tooFastByServer || tooFastByClient ? "too_fast" : null;
}

/** Only this request's nonce on the round proves the claim; every later write is conditioned on it. */
function claimed(round: RoundRow, nonce: string) {
  return sql`EXISTS (SELECT 1 FROM rounds WHERE id = ${round.id} AND answer_nonce = ${nonce})`;
}

function claimRound(round: RoundRow, nonce: string, now: number) {
  return sql`UPDATE rounds SET answered_at = ${now}, answer_nonce = ${nonce}
    WHERE id = ${round.id} AND player_id = ${round.playerId} AND answered_at IS NULL AND expires_at > ${now}`;
}

function insertJudgment(
  round: RoundRow,
  nonce: string,
  score: Score,
  request: AnswerRequest,
  excluded: ExclusionReason | null,
  now: number,
) {
  const responseMs = request.body.responseMs === undefined ? null : Math.round(request.body.responseMs);
  return sql`INSERT INTO judgments
    (round_id, player_id, model_version, mode, choice, verdict, correct, fooled, response_ms, elapsed_ms, excluded, created_at)
    SELECT ${round.id}, ${round.playerId}, ${round.modelVersion}, ${round.mode}, ${score.choice}, ${score.verdict},
      ${Number(score.correct)}, ${Number(score.fooled)}, ${responseMs}, ${now - round.createdAt}, ${excluded}, ${now}
    WHERE ${claimed(round, nonce)}`;
}

function addPlayerModelSums(round: RoundRow, nonce: string, score: Score, excluded: ExclusionReason | null) {
  const counts = excluded === null ? score.counts : ZERO_COUNTS;
  const tooFast = Number(excluded === "too_fast");
  const rateLimited = Number(excluded === "rate_limited");
  return sql`INSERT INTO player_model_stats
    (model_version, mode, player_id, judged, correct, fakes_shown, fakes_judged_real, reals_shown, reals_judged_fake,
     excluded_too_fast, excluded_rate_limited)
    SELECT ${round.modelVersion}, ${round.mode}, ${round.playerId}, ${Number(excluded === null)},
      ${Number(excluded === null && score.correct)}, ${counts.fakesShown}, ${counts.fakesJudgedReal},
      ${counts.realsShown}, ${counts.realsJudgedFake}, ${tooFast}, ${rateLimited}
    WHERE ${claimed(round, nonce)}
    ON CONFLICT (model_version, mode, player_id) DO UPDATE SET
      judged = judged + excluded.judged, correct = correct + excluded.correct,
      fakes_shown = fakes_shown + excluded.fakes_shown, fakes_judged_real = fakes_judged_real + excluded.fakes_judged_real,
      reals_shown = reals_shown + excluded.reals_shown, reals_judged_fake = reals_judged_fake + excluded.reals_judged_fake,
      excluded_too_fast = excluded_too_fast + excluded.excluded_too_fast,
      excluded_rate_limited = excluded_rate_limited + excluded.excluded_rate_limited`;
}

const ZERO_COUNTS: Score["counts"] = { fakesShown: 0, fakesJudgedReal: 0, realsShown: 0, realsJudgedFake: 0 };

function addFakeFaceSums(round: RoundRow, nonce: string, score: Score) {
  return sql`INSERT INTO fake_face_stats (model_version, seed, truncation_key, shown, judged_real)
    SELECT ${round.modelVersion}, ${round.seed}, ${truncationKey(round.truncation)}, 1, ${score.counts.fakesJudgedReal}
    WHERE ${claimed(round, nonce)}
    ON CONFLICT (model_version, seed, truncation_key) DO UPDATE SET
      shown = shown + 1, judged_real = judged_real + excluded.judged_real`;
}

function addRealFaceSums(round: RoundRow, nonce: string, score: Score) {
  return sql`INSERT INTO real_face_stats (face_id, shown, judged_fake)
    SELECT ${round.realFaceId}, 1, ${score.counts.realsJudgedFake}
    WHERE ${claimed(round, nonce)}
    ON CONFLICT (face_id) DO UPDATE SET shown = shown + 1, judged_fake = judged_fake + excluded.judged_fake`;
}

/** The player's totals (included answers only) and, for timed rounds, the exposure staircase. */
function updatePlayer(round: RoundRow, nonce: string, score: Score, included: boolean) {
  const staircase = round.mode === "timed" ? sql`, ${staircaseAssignments(score.correct)}` : sql``;
  return sql`UPDATE players SET judged = judged + ${Number(included)}, correct = correct + ${Number(included && score.correct)}
    ${staircase}
    WHERE id = ${round.playerId} AND ${claimed(round, nonce)}
    RETURNING exposure_ms`;
}
