/**
 * Everything the leaderboard shows, per model version × mode × sampling policy, read from the running sums (never from the judgments, so its cost does
 * not grow with the number of judgments) and computed in one go. Served from a cache (leaderboard-cache.ts).
 */
import { asc, type SQL, sql } from "drizzle-orm";
import type { Db } from "../../../db/client.ts";
import { playerModelStats } from "../../../db/schema.ts";
import type { RoundMode } from "../../core/round-modes.ts";
import type { SamplingPolicy } from "../../core/sampling-policy.ts";
import { MIN_RESPONSE_MS } from "../rounds/rules.ts";
import { truncationFromKey } from "../rounds/truncation-key.ts";
import { DETECTOR_MIN_ROUNDS, FACE_MIN_VIEWS, MIN_JUDGMENTS, MIN_PLAYERS } from "./minimums.ts";
import { type GroupStatistics, groupStatistics, type StatisticsOptions } from "./model-stats.ts";

export interface ModelRow extends GroupStatistics {
  readonly model: string;
  /** Its status in the current rotation; "unlisted" once it left the manifest. */
  readonly status: string;
  readonly mode: RoundMode;
  /** How the fakes were sampled (src/core/sampling-policy.ts). */
  readonly policy: SamplingPolicy;
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
    policy: SamplingPolicy;
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
    const players = await readPlayerSums(db, group.model, group.mode, group.policy);
    const stats = await groupStatistics(group.model, group.mode, group.policy, players, options);
    const { model, mode, policy, rounds, players: playerCount, excluded } = group;
    models.push({ model, status: statusOf(model), mode, policy, rounds, players: playerCount, excluded, ...stats });
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
  policy: SamplingPolicy;
  rounds: number;
  players: number;
  excluded: number;
  tooFast: number;
  rateLimited: number;
}

/**
 * The leaderboard's own statements, exported so the query-plan test explains exactly what runs here. The
 * three lists repeat their partial indexes' conditions literally (db/schema.ts), which is what lets SQLite
 * answer them from those indexes without scanning.
 */
export const LEADERBOARD_QUERIES = {
  groups: sql`SELECT model_version AS model, mode, policy, sum(judged) AS rounds, sum(judged > 0) AS players,
      sum(excluded_too_fast) AS too_fast, sum(excluded_rate_limited) AS rate_limited
    FROM player_model_stats GROUP BY model_version, mode, policy ORDER BY model_version, mode, policy`,
  convincingFakes: sql.raw(`SELECT model_version AS model, policy, seed, truncation_key, shown, judged_real
    FROM fake_face_stats WHERE shown >= ${FACE_MIN_VIEWS}
    ORDER BY (judged_real * 1.0 / shown) DESC, shown DESC LIMIT ${LIST_LENGTH}`),
  doubtedReals: sql.raw(`SELECT face_id, shown, judged_fake FROM real_face_stats
    WHERE shown >= ${FACE_MIN_VIEWS} ORDER BY (judged_fake * 1.0 / shown) DESC, shown DESC LIMIT ${LIST_LENGTH}`),
  detectors: sql.raw(`SELECT nickname, judged, correct FROM players
    WHERE nickname IS NOT NULL AND judged >= ${DETECTOR_MIN_ROUNDS}
    ORDER BY (correct * 1.0 / judged) DESC, judged DESC LIMIT ${LIST_LENGTH}`),
} satisfies Record<string, SQL>;

async function readGroups(db: Db): Promise<Group[]> {
  const rows = await db.all<{
    model: string;
    mode: RoundMode;
    policy: SamplingPolicy;
    rounds: number;
    players: number;
    too_fast: number;
    rate_limited: number;
  }>(LEADERBOARD_QUERIES.groups);
  return rows.map((row) => ({
    model: row.model,
    mode: row.mode,
    policy: row.policy,
    rounds: Number(row.rounds),
    players: Number(row.players),
    excluded: Number(row.too_fast) + Number(row.rate_limited),
    tooFast: Number(row.too_fast),
    rateLimited: Number(row.rate_limited),
  }));
}

/** The group's players in id order (the bootstrap's order); a primary-key range scan. */
export function readPlayerSums(db: Db, model: string, mode: RoundMode, policy: SamplingPolicy) {
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
    .where(sql`${t.modelVersion} = ${model} AND ${t.mode} = ${mode} AND ${t.policy} = ${policy} AND ${t.judged} > 0`)
    .orderBy(asc(t.playerId));
}

async function readConvincingFakes(db: Db): Promise<Leaderboard["convincingFakes"]> {
  const rows = await db.all<{
    model: string;
    policy: SamplingPolicy;
    seed: number;
    truncation_key: number;
    shown: number;
    judged_real: number;
  }>(LEADERBOARD_QUERIES.convincingFakes);
  return rows.map((row) => ({
    model: row.model,
    policy: row.policy,
    seed: Number(row.seed),
    truncation: truncationFromKey(Number(row.truncation_key)),
    shown: Number(row.shown),
    judgedReal: Number(row.judged_real),
    rate: Number(row.judged_real) / Number(row.shown),
  }));
}

async function readDoubtedReals(db: Db): Promise<Leaderboard["doubtedReals"]> {
  const rows = await db.all<{ face_id: string; shown: number; judged_fake: number }>(LEADERBOARD_QUERIES.doubtedReals);
  return rows.map((row) => ({
    url: `/api/faces/pool/${row.face_id}`,
    shown: Number(row.shown),
    judgedFake: Number(row.judged_fake),
    rate: Number(row.judged_fake) / Number(row.shown),
  }));
}

async function readDetectors(db: Db): Promise<Leaderboard["detectors"]> {
  const rows = await db.all<{ nickname: string; judged: number; correct: number }>(LEADERBOARD_QUERIES.detectors);
  return rows.map((row) => ({
    nickname: row.nickname,
    rounds: Number(row.judged),
    correct: Number(row.correct),
    accuracy: Number(row.correct) / Number(row.judged),
  }));
}
