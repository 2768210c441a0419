/**
 * A database with a million answered rounds for the leaderboard benchmark, written straight into an
 * embedded file with set-based SQL (a few seconds, where a million API calls would take many minutes),
 * then the running sums rebuilt from those facts (what folding them in as they arrived would have given).
 *
 * The data are deterministic arithmetic on the row number: 2 versions × 3 modes, PLAYERS players, fakes
 * drawn from 50,000 seeds per version (so some are seen several times), about 60 % right answers and 1 %
 * too fast.
 */
import { sql } from "drizzle-orm";
import type { Database } from "../../db/client.ts";
import { hashToken } from "../../src/server/players/player-cookie.ts";
import { rebuildAggregates } from "../../src/server/stats/rebuild-aggregates.ts";

export const PLAYERS = 10_000;

export async function seedJudgments(database: Database, rounds: number, poolIds: readonly string[]): Promise<void> {
  const { db } = database;
  await db.run(
    sql.raw(`WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ${PLAYERS})
    INSERT INTO players (token_hash, nickname, exposure_ms, judged, correct, created_at)
    SELECT '${hashToken("seed")}' || i, CASE WHEN i % 10 = 0 THEN 'player ' || i END, 500, 0, 0, 0 FROM n`),
  );
  const faces = poolIds.map((id) => `'${id}'`).join(",");
  await db.run(sql.raw(`CREATE TEMP TABLE pool_faces (k INTEGER PRIMARY KEY, id TEXT)`));
  await db.run(
    sql.raw(`INSERT INTO pool_faces (k, id) SELECT key, value FROM json_each('[${faces.replaceAll("'", '"')}]')`),
  );
  // One row per round: mode, version, player, what was shown, whether the answer was right.
  await db.run(
    sql.raw(`CREATE TEMP TABLE plan AS
    WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < ${rounds - 1})
    SELECT i,
      printf('seed%018d', i) AS id,
      CASE i % 3 WHEN 0 THEN 'pair' WHEN 1 THEN 'single' ELSE 'timed' END AS mode,
      CASE (i / 3) % 2 WHEN 0 THEN 'v1' ELSE 'v2' END AS version,
      (i * 7919) % ${PLAYERS} + 1 AS player,
      i % 3 = 0 OR (i * 31 / 7) % 2 = 0 AS shows_fake,
      i % 3 = 0 OR (i * 31 / 7) % 2 = 1 AS shows_real,
      (i / 2) % 2 AS real_slot,
      (i * 48271) % 100 < 60 AS correct,
      CASE WHEN i % 100 = 0 THEN 'too_fast' END AS excluded
    FROM n`),
  );
  await db.run(
    sql.raw(`INSERT INTO rounds (id, player_id, mode, model_version, seed, truncation, real_face_id, slots, exposure_ms,
      created_at, expires_at)
    SELECT id, player, mode, version,
      CASE WHEN shows_fake THEN (i * 2654435761) % 50000 END,
      CASE WHEN shows_fake THEN 0.7 END,
      CASE WHEN shows_real THEN (SELECT id FROM pool_faces WHERE k = i % ${poolIds.length}) END,
      CASE WHEN mode = 'pair' THEN (CASE real_slot WHEN 0 THEN '["real","fake"]' ELSE '["fake","real"]' END)
           WHEN shows_fake THEN '["fake"]' ELSE '["real"]' END,
      CASE WHEN mode = 'timed' THEN 500 END,
      i, i + 300000
    FROM plan`),
  );
  await db.run(
    sql.raw(`INSERT INTO judgments (round_id, player_id, model_version, mode, choice, verdict, correct, fooled,
      response_ms, elapsed_ms, excluded, created_at)
    SELECT id, player, version, mode,
      CASE WHEN mode = 'pair' THEN (CASE WHEN correct THEN real_slot ELSE 1 - real_slot END) END,
      CASE WHEN mode <> 'pair' THEN (CASE WHEN correct = shows_fake THEN 'fake' ELSE 'real' END) END,
      correct,
      NOT correct AND shows_fake,
      900, 1500, excluded, i + 1500
    FROM plan`),
  );
  await db.run(sql.raw("DROP TABLE plan"));
  await db.run(sql.raw("DROP TABLE pool_faces"));
  await rebuildAggregates(db);
}
