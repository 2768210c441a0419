/**
 * The running sums recomputed from scratch from the facts (judgments joined to their rounds), written
 * independently of fold-judgments.ts: the tests check that folding in steps gives the same sums, and the
 * leaderboard benchmark uses it after bulk-loading judgments. The exposure staircase is path-dependent and
 * left as it is.
 */
import { sql } from "drizzle-orm";
import type { Db } from "../../../db/client.ts";

const INCLUDED = "j.excluded IS NULL";
const SHOWED_FAKE = "r.seed IS NOT NULL";
const SHOWED_REAL = "r.real_face_id IS NOT NULL";
/** Pair: choosing the fake calls the real fake. Single/timed: the verdict on a real face. */
const REAL_JUDGED_FAKE = `${SHOWED_REAL} AND ((j.mode = 'pair' AND j.fooled) OR (j.mode <> 'pair' AND j.verdict = 'fake'))`;

export async function rebuildAggregates(db: Db): Promise<void> {
  await db.batch([
    db.run(sql`DELETE FROM player_model_stats`),
    db.run(
      sql.raw(`INSERT INTO player_model_stats
      (model_version, mode, policy, player_id, judged, correct, fakes_shown, fakes_judged_real, reals_shown, reals_judged_fake,
       excluded_too_fast, excluded_rate_limited)
      SELECT j.model_version, j.mode, r.policy, j.player_id,
        sum(${INCLUDED}), sum(${INCLUDED} AND j.correct),
        sum(${INCLUDED} AND ${SHOWED_FAKE}), sum(${INCLUDED} AND ${SHOWED_FAKE} AND j.fooled),
        sum(${INCLUDED} AND ${SHOWED_REAL}), sum(${INCLUDED} AND ${REAL_JUDGED_FAKE}),
        sum(ifnull(j.excluded = 'too_fast', 0)), sum(ifnull(j.excluded = 'rate_limited', 0))
      FROM judgments j JOIN rounds r ON r.id = j.round_id
      GROUP BY j.model_version, j.mode, r.policy, j.player_id`),
    ),
    db.run(sql`DELETE FROM fake_face_stats`),
    db.run(
      sql.raw(`INSERT INTO fake_face_stats (model_version, policy, seed, truncation_key, shown, judged_real)
      SELECT r.model_version, r.policy, r.seed, ifnull(r.truncation, 0), count(*), sum(j.fooled)
      FROM judgments j JOIN rounds r ON r.id = j.round_id
      WHERE ${INCLUDED} AND ${SHOWED_FAKE}
      GROUP BY r.model_version, r.policy, r.seed, ifnull(r.truncation, 0)`),
    ),
    db.run(sql`DELETE FROM real_face_stats`),
    db.run(
      sql.raw(`INSERT INTO real_face_stats (face_id, shown, judged_fake)
      SELECT r.real_face_id, count(*), sum(${REAL_JUDGED_FAKE})
      FROM judgments j JOIN rounds r ON r.id = j.round_id
      WHERE ${INCLUDED} AND ${SHOWED_REAL}
      GROUP BY r.real_face_id`),
    ),
    db.run(sql`UPDATE players SET judged = 0, correct = 0`),
    // The sums now hold every judgment there is: the next fold starts after the newest.
    db.run(sql`INSERT INTO sums_cursor (id, folded_through, token) SELECT 1, ifnull(max(id), 0), NULL FROM judgments WHERE true
      ON CONFLICT (id) DO UPDATE SET folded_through = excluded.folded_through, token = NULL`),
    db.run(
      sql.raw(`UPDATE players SET judged = s.judged, correct = s.correct
      FROM (SELECT player_id, count(*) AS judged, sum(correct) AS correct FROM judgments
            WHERE excluded IS NULL GROUP BY player_id) AS s
      WHERE s.player_id = players.id`),
    ),
  ]);
}

/** Every running sum, in a stable order: compare two snapshots to check the incremental updates. */
export async function aggregateSnapshot(db: Db): Promise<Record<string, unknown[]>> {
  return {
    playerModelStats: await db.all(
      sql`SELECT * FROM player_model_stats ORDER BY model_version, mode, policy, player_id`,
    ),
    fakeFaceStats: await db.all(
      sql`SELECT * FROM fake_face_stats ORDER BY model_version, policy, seed, truncation_key`,
    ),
    realFaceStats: await db.all(sql`SELECT * FROM real_face_stats ORDER BY face_id`),
    playerTotals: await db.all(sql`SELECT id, judged, correct FROM players ORDER BY id`),
  };
}
