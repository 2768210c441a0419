/**
 * Everything the leaderboard shows, read from the running sums (never from the judgments, so its cost does
 * not grow with the number of judgments) and computed in one go. Served from a cache (leaderboard-cache.ts).
 */
import { asc, sql } from "drizzle-orm";
import type { Db } from "../../../db/client.ts";
import { playerModelStats, type RoundMode } from "../../../db/schema.ts";
import { MIN_RESPONSE_MS } from "../rounds/rules.ts";
import { truncationFromKey } from "../rounds/truncation-key.ts";
import { DETECTOR_MIN_ROUNDS, FACE_MIN_VIEWS, MIN_JUDGMENTS, MIN_PLAYERS } from "./minimums.ts";
import { type GroupStatistics, groupStatistics, type PlayerSums, type StatisticsOptions } from "./model-stats.ts";

export interface ModelRow extends GroupStatistics {
  readonly model: string;
  /** Its status in the current rotation; "unlisted" once it left the manifest. */
  readonly status: string;
  readonly mode: RoundMode;
  /** Included (counted) judgments, one per answered round. */
  readonly rounds: number;
  readonly players: number;
  readonly excluded: number;
}

export interface Leaderboard {
  readonly generatedAt: string;
  readonly minimums: {
    readonly players: number;
    readonly judgments: number;
    readonly detectorRounds: number;
    readonly faceViews: number;
  };
  readonly responseFloorMs: number;
  readonly excluded: { readonly total: number; readonly tooFast: number; readonly rateLimited: number };
  readonly models: readonly ModelRow[];
  /** Fakes most often judged real: regenerate them from (model, seed, truncation); no image is stored. */
  readonly convincingFakes: readonly {
    model: string;
    seed: number;
    truncation: number | null;
    shown: number;
    judgedReal: number;
    rate: number;
  }[];
  /** Real faces most often called fake. */
  readonly doubtedReals: readonly { url: string; shown: number; judgedFake: number; rate: number }[];
  readonly detectors: readonly { nickname: string; rounds: number; correct: number; accuracy: number }[];
}

const LIST_LENGTH = 10;

export async function computeLeaderboard(
  db: Db,
  statusOf: (version: string) => string,
  options: StatisticsOptions = {},
): Promise<Leaderboard> {
  const groups = await readGroups(db);
  const models: ModelRow[] = [];
  for (const group of groups) {
    const players = await readPlayerSums(db, group.model, group.mode);
    const stats = await groupStatistics(group.model, group.mode, players, options);
    const { model, mode, rounds, players: playerCount, excluded } = group;
    models.push({ model, status: statusOf(model), mode, rounds, players: playerCount, excluded, ...stats });
  }
  const tooFast = groups.reduce((sum, g) => sum + g.tooFast, 0);
  const rateLimited = groups.reduce((sum, g) => sum + g.rateLimited, 0);
  return {
    generatedAt: new Date().toISOString(),
    minimums: {
      players: MIN_PLAYERS,
      judgments: MIN_JUDGMENTS,
      detectorRounds: DETECTOR_MIN_ROUNDS,
      faceViews: FACE_MIN_VIEWS,
    },
    responseFloorMs: MIN_RESPONSE_MS,
    excluded: { total: tooFast + rateLimited, tooFast, rateLimited },
    models,
    convincingFakes: await readConvincingFakes(db),
    doubtedReals: await readDoubtedReals(db),
    detectors: await readDetectors(db),
  };
}

interface Group {
  model: string;
  mode: RoundMode;
  rounds: number;
  players: number;
  excluded: number;
  tooFast: number;
  rateLimited: number;
}

async function readGroups(db: Db): Promise<Group[]> {
  const rows = await db.all<{
    model: string;
    mode: RoundMode;
    rounds: number;
    players: number;
    too_fast: number;
    rate_limited: number;
  }>(sql`SELECT model_version AS model, mode, sum(judged) AS rounds, sum(judged > 0) AS players,
      sum(excluded_too_fast) AS too_fast, sum(excluded_rate_limited) AS rate_limited
    FROM player_model_stats GROUP BY model_version, mode ORDER BY model_version, mode`);
  return rows.map((row) => ({
    model: row.model,
    mode: row.mode,
    rounds: Number(row.rounds),
    players: Number(row.players),
    excluded: Number(row.too_fast) + Number(row.rate_limited),
    tooFast: Number(row.too_fast),
    rateLimited: Number(row.rate_limited),
  }));
}

/** The group's players in id order (the bootstrap's order); a primary-key range scan. */
export async function readPlayerSums(db: Db, model: string, mode: RoundMode): Promise<PlayerSums[]> {
  const t = playerModelStats;
  return db
    .select({
      playerId: t.playerId,
      judged: t.judged,
      fakesShown: t.fakesShown,
      fakesJudgedReal: t.fakesJudgedReal,
      realsShown: t.realsShown,
      realsJudgedFake: t.realsJudgedFake,
    })
    .from(t)
    .where(sql`${t.modelVersion} = ${model} AND ${t.mode} = ${mode} AND ${t.judged} > 0`)
    .orderBy(asc(t.playerId));
}

// The three lists below repeat their partial indexes' conditions literally (db/schema.ts), which is
// what lets SQLite answer them from those indexes without scanning.

async function readConvincingFakes(db: Db): Promise<Leaderboard["convincingFakes"]> {
  const rows = await db.all<{
    model: string;
    seed: number;
    truncation_key: number;
    shown: number;
    judged_real: number;
  }>(
    sql.raw(`SELECT model_version AS model, seed, truncation_key, shown, judged_real FROM fake_face_stats
      WHERE shown >= ${FACE_MIN_VIEWS} ORDER BY (judged_real * 1.0 / shown) DESC, shown DESC LIMIT ${LIST_LENGTH}`),
  );
  return rows.map((row) => ({
    model: row.model,
    seed: Number(row.seed),
    truncation: truncationFromKey(Number(row.truncation_key)),
    shown: Number(row.shown),
    judgedReal: Number(row.judged_real),
    rate: Number(row.judged_real) / Number(row.shown),
  }));
}

async function readDoubtedReals(db: Db): Promise<Leaderboard["doubtedReals"]> {
  const rows = await db.all<{ face_id: string; shown: number; judged_fake: number }>(
    sql.raw(`SELECT face_id, shown, judged_fake FROM real_face_stats
      WHERE shown >= ${FACE_MIN_VIEWS} ORDER BY (judged_fake * 1.0 / shown) DESC, shown DESC LIMIT ${LIST_LENGTH}`),
  );
  return rows.map((row) => ({
    url: `/api/faces/pool/${row.face_id}`,
    shown: Number(row.shown),
    judgedFake: Number(row.judged_fake),
    rate: Number(row.judged_fake) / Number(row.shown),
  }));
}

async function readDetectors(db: Db): Promise<Leaderboard["detectors"]> {
  const rows = await db.all<{ nickname: string; judged: number; correct: number }>(
    sql.raw(`SELECT nickname, judged, correct FROM players
      WHERE nickname IS NOT NULL AND judged >= ${DETECTOR_MIN_ROUNDS}
      ORDER BY (correct * 1.0 / judged) DESC, judged DESC LIMIT ${LIST_LENGTH}`),
  );
  return rows.map((row) => ({
    nickname: row.nickname,
    rounds: Number(row.judged),
    correct: Number(row.correct),
    accuracy: Number(row.correct) / Number(row.judged),
  }));
}
