/**
 * Making a round: the server picks everything (model version by rotation, seed, truncation, which slot is
 * real, the timed exposure) and stores it before the client sees anything, so the answer can be scored
 * against what was really shown.
 */
import type { InValue } from "@libsql/client";
import { eq } from "drizzle-orm";
import type { Db } from "../../../db/client.ts";
import type { GroupCommit } from "../../../db/group-commit.ts";
import { players, type RoundMode, type rounds, type SlotSource } from "../../../db/schema.ts";
import type { QuizPool } from "../faces/quiz-pool.ts";
import { ApiError } from "../http/api-error.ts";
import type { ModelChoice, ModelRotation } from "../models/rotation.ts";
import type { RoundView } from "./contract.ts";
import type { Randomness } from "./randomness.ts";
import type { RecentRounds } from "./recent-rounds.ts";
import type { Fake, ReplaySample } from "./replay-sample.ts";
import { roundView } from "./round-view.ts";
import { REPLAY_SHARE, ROUND_TTL_MS } from "./rules.ts";

export interface RoundServices {
  readonly db: Db;
  readonly writes: GroupCommit;
  readonly recent: RecentRounds;
  readonly rotation: ModelRotation;
  readonly pool: QuizPool;
  readonly random: Randomness;
  readonly replays: ReplaySample;
}

export async function createRound(
  services: RoundServices,
  playerId: number,
  mode: RoundMode,
  now = Date.now(),
): Promise<RoundView> {
  const { db, writes, rotation, pool, random } = services;
  const model = rotation.pick(random.unit, now);
  if (!model) throw new ApiError(503, "no model version is active; the game is paused");
  const slots = chooseSlots(mode, random);
  const realFace = slots.includes("real") ? pool.pick(random.below, now) : null;
  if (slots.includes("real") && !realFace) throw new ApiError(503, "the pool of real faces is not available");
  const fake = slots.includes("fake") ? chooseFake(services.replays, model, random, now) : null;
  const exposureMs = mode === "timed" ? await currentExposure(db, playerId) : null;
  const round = {
    id: random.token(),
    playerId,
    mode,
    modelVersion: model.version,
    seed: fake?.seed ?? null,
    truncation: fake?.truncation ?? null,
    realFaceId: realFace?.id ?? null,
    slots,
    exposureMs,
    createdAt: now,
    expiresAt: now + ROUND_TTL_MS[mode],
    answeredAt: null,
  };
  // Committed with the other rounds and answers of this moment (db/group-commit.ts), before the player sees it.
  await writes.execute({ sql: INSERT_ROUND_SQL, args: insertArgs(round) });
  services.recent.remember(round);
  return roundView(round);
}

/** The hottest write of the game, as plain SQL: building it with drizzle cost more than running it. */
const INSERT_ROUND_SQL = `INSERT INTO rounds
  (id, player_id, mode, model_version, seed, truncation, real_face_id, slots, exposure_ms, created_at, expires_at)
  VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`;

function insertArgs(round: typeof rounds.$inferInsert): InValue[] {
  return [
    round.id,
    round.playerId,
    round.mode,
    round.modelVersion,
    round.seed ?? null,
    round.truncation ?? null,
    round.realFaceId ?? null,
    // The column's JSON mode, as drizzle writes it.
    JSON.stringify(round.slots),
    round.exposureMs ?? null,
    round.createdAt,
    round.expiresAt,
  ];
}

/** Pair: one real and one fake in random order. Single/timed: one face, real or fake with even odds. */
function chooseSlots(mode: RoundMode, random: Randomness): SlotSource[] {
  if (mode === "pair") return random.below(2) === 0 ? ["real", "fake"] : ["fake", "real"];
  return [random.below(2) === 0 ? "real" : "fake"];
}

/** A judged fake again (REPLAY_SHARE of the time, when there is one), else a fresh random seed. */
function chooseFake(replays: ReplaySample, model: ModelChoice, random: Randomness, now: number): Fake {
  const replay = random.unit() < REPLAY_SHARE ? replays.pick(model.version, now) : null;
  return replay ?? { seed: random.seed(), truncation: model.truncation };
}

async function currentExposure(db: Db, playerId: number): Promise<number> {
  const [row] = await db.select({ exposureMs: players.exposureMs }).from(players).where(eq(players.id, playerId));
  if (!row) throw new ApiError(403, "unknown player");
  return row.exposureMs;
}
