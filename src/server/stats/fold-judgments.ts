/**
 * Brings the running sums up to date with the judgments recorded since the last fold, in one transaction:
 * a set-based pass over the new rows instead of five upserts per answer on the request path.
 *
 * Exactly once: the cursor says which judgments are already in the sums. A fold first moves the cursor from
 * where it read it to the newest judgment, writing its own token, and every other statement of the
 * transaction only acts if that token is there. A second server folding at the same time either moves the
 * cursor first (and this fold's writes do nothing) or finds it moved and does nothing itself.
 *
 * Counting rules (the same as rebuild-aggregates.ts, which the tests compare with): a fake was shown when
 * the round has a seed, and judged real when the judgment is `fooled`; a real face was shown when the round
 * has one, and judged fake when a pair answer chose the fake or a single/timed verdict said "fake".
 * Excluded judgments only count in the excluded_* columns.
 */
import { type SQL, sql } from "drizzle-orm";
import type { Db } from "../../../db/client.ts";
import type { Randomness } from "../rounds/randomness.ts";

export interface FoldResult {
  /** Judgments added to the sums by this fold (0 when there was nothing new, or another fold won). */
  readonly folded: number;
  readonly foldedThrough: number;
}

const INCLUDED = "j.excluded IS NULL";
const REAL_JUDGED_FAKE = "((j.mode = 'pair' AND j.fooled) OR (j.mode <> 'pair' AND j.verdict = 'fake'))";

export async function foldJudgments(db: Db, random: Randomness): Promise<FoldResult> {
  const [state] = await db.all<{ from_id: number; to_id: number | null }>(
    sql`SELECT (SELECT folded_through FROM sums_cursor WHERE id = 1) AS from_id, (SELECT max(id) FROM judgments) AS to_id`,
  );
  const from = Number(state?.from_id ?? 0);
  const to = Number(state?.to_id ?? 0);
  if (to <= from) return { folded: 0, foldedThrough: from };
  const token = random.token();
  const [moveCursor, ...addToSums] = foldStatements(from, to, token).map((statement) => db.run(statement));
  if (!moveCursor) throw new Error("a fold has statements");
  const [claim] = await db.batch([moveCursor, ...addToSums]);
  return claim?.rowsAffected === 1 ? { folded: to - from, foldedThrough: to } : { folded: 0, foldedThrough: from };
}

/**
 * The fold's statements for judgments from < id ≤ to, under the fold's token: the cursor move first, then
 * the sums, each acting only while the cursor carries this token. Exported for the query-plan test.
 */
export function foldStatements(from: number, to: number, token: string): SQL[] {
  const range = sql`j.id > ${from} AND j.id <= ${to}`;
  const ours = sql`EXISTS (SELECT 1 FROM sums_cursor WHERE id = 1 AND token = ${token})`;
  return [
    sql`UPDATE sums_cursor SET folded_through = ${to}, token = ${token} WHERE id = 1 AND folded_through = ${from}`,
    sql`INSERT INTO player_model_stats
        (model_version, mode, policy, player_id, judged, correct, fakes_shown, fakes_judged_real, reals_shown, reals_judged_fake,
         excluded_too_fast, excluded_rate_limited)
      SELECT j.model_version, j.mode, r.policy, j.player_id,
        sum(${sql.raw(INCLUDED)}), sum(${sql.raw(INCLUDED)} AND j.correct),
        sum(${sql.raw(INCLUDED)} AND r.seed IS NOT NULL), sum(${sql.raw(INCLUDED)} AND r.seed IS NOT NULL AND j.fooled),
        sum(${sql.raw(INCLUDED)} AND r.real_face_id IS NOT NULL),
        sum(${sql.raw(INCLUDED)} AND r.real_face_id IS NOT NULL AND ${sql.raw(REAL_JUDGED_FAKE)}),
        sum(ifnull(j.excluded = 'too_fast', 0)), sum(ifnull(j.excluded = 'rate_limited', 0))
      FROM judgments j JOIN rounds r ON r.id = j.round_id
      WHERE ${range} AND ${ours}
      GROUP BY j.model_version, j.mode, r.policy, j.player_id
      ON CONFLICT (model_version, mode, policy, player_id) DO UPDATE SET
        judged = judged + excluded.judged, correct = correct + excluded.correct,
        fakes_shown = fakes_shown + excluded.fakes_shown, fakes_judged_real = fakes_judged_real + excluded.fakes_judged_real,
        reals_shown = reals_shown + excluded.reals_shown, reals_judged_fake = reals_judged_fake + excluded.reals_judged_fake,
        excluded_too_fast = excluded_too_fast + excluded.excluded_too_fast,
        excluded_rate_limited = excluded_rate_limited + excluded.excluded_rate_limited`,
    sql`INSERT INTO fake_face_stats (model_version, policy, seed, truncation_key, shown, judged_real)
      SELECT r.model_version, r.policy, r.seed, ifnull(r.truncation, 0), count(*), sum(j.fooled)
      FROM judgments j JOIN rounds r ON r.id = j.round_id
      WHERE ${range} AND ${sql.raw(INCLUDED)} AND r.seed IS NOT NULL AND ${ours}
      GROUP BY r.model_version, r.policy, r.seed, ifnull(r.truncation, 0)
      ON CONFLICT (model_version, policy, seed, truncation_key) DO UPDATE SET
        shown = shown + excluded.shown, judged_real = judged_real + excluded.judged_real`,
    sql`INSERT INTO real_face_stats (face_id, shown, judged_fake)
      SELECT r.real_face_id, count(*), sum(${sql.raw(REAL_JUDGED_FAKE)})
      FROM judgments j JOIN rounds r ON r.id = j.round_id
      WHERE ${range} AND ${sql.raw(INCLUDED)} AND r.real_face_id IS NOT NULL AND ${ours}
      GROUP BY r.real_face_id
      ON CONFLICT (face_id) DO UPDATE SET shown = shown + excluded.shown, judged_fake = judged_fake + excluded.judged_fake`,
    sql`UPDATE players SET judged = judged + s.added_judged, correct = correct + s.added_correct
      FROM (SELECT j.player_id, count(*) AS added_judged, sum(j.correct) AS added_correct FROM judgments j
            WHERE ${range} AND ${sql.raw(INCLUDED)} GROUP BY j.player_id) AS s
      WHERE s.player_id = players.id AND ${ours}`,
  ];
}
