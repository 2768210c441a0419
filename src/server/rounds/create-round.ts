/**
 * Making a round: the server picks everything (model version by rotation, seed, truncation, which slot is
 * real, the timed exposure) and stores it before the client sees anything, so the answer can be scored
 * against what was really shown.
 */
import { and, asc, eq, gte } from "drizzle-orm";
import type { Db } from "../../../db/client.ts";
import { fakeFaceStats, players, type RoundMode, rounds, type SlotSource } from "../../../db/schema.ts";
import type { QuizPool } from "../faces/quiz-pool.ts";
import { ApiError } from "../http/api-error.ts";
import type { ModelChoice, ModelRotation } from "../models/rotation.ts";
import type { RoundView } from "./contract.ts";
import type { Randomness } from "./randomness.ts";
import { roundView } from "./round-view.ts";
import { REPLAY_SHARE, ROUND_TTL_MS } from "./rules.ts";
import { truncationFromKey } from "./truncation-key.ts";

export interface RoundServices {
  readonly db: Db;
  readonly rotation: ModelRotation;
  readonly pool: QuizPool;
  readonly random: Randomness;
}

export async function createRound(
  services: RoundServices,
  playerId: number,
  mode: RoundMode,
  now = Date.now(),
): Promise<RoundView> {
  const { db, rotation, pool, random } = services;
  const model = rotation.pick(random.unit, now);
  if (!model) throw new ApiError(503, "no model version is active; the game is paused");
  const slots = chooseSlots(mode, random);
  const realFace = slots.includes("real") ? pool.pick(random.below, now) : null;
  if (slots.includes("real") && !realFace) throw new ApiError(503, "the pool of real faces is not available");
  const fake = slots.includes("fake") ? await chooseFake(db, model, random) : null;
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
  };
  await db.insert(rounds).values(round);
  return roundView(round);
}

/** Pair: one real and one fake in random order. Single/timed: one face, real or fake with even odds. */
function chooseSlots(mode: RoundMode, random: Randomness): SlotSource[] {
  if (mode === "pair") return random.below(2) === 0 ? ["real", "fake"] : ["fake", "real"];
  return [random.below(2) === 0 ? "real" : "fake"];
}

interface Fake {
  readonly seed: number;
  readonly truncation: number | null;
}

async function chooseFake(db: Db, model: ModelChoice, random: Randomness): Promise<Fake> {
  if (random.unit() < REPLAY_SHARE) {
    const replay = await judgedFakeNear(db, model.version, random.seed());
    if (replay) return replay;
  }
  return { seed: random.seed(), truncation: model.truncation };
}

/**
 * The first judged fake of this version at or after a random seed (wrapping round): a pick that knows
 * nothing of how the fake did, so replays do not bias the fool-rate. One primary-key seek.
 */
async function judgedFakeNear(db: Db, version: string, pivot: number): Promise<Fake | null> {
  for (const from of [pivot, 0]) {
    const [row] = await db
      .select({ seed: fakeFaceStats.seed, truncationKey: fakeFaceStats.truncationKey })
      .from(fakeFaceStats)
      .where(and(eq(fakeFaceStats.modelVersion, version), gte(fakeFaceStats.seed, from)))
      .orderBy(asc(fakeFaceStats.seed))
      .limit(1);
    if (row) return { seed: row.seed, truncation: truncationFromKey(row.truncationKey) };
  }
  return null;
}

async function currentExposure(db: Db, playerId: number): Promise<number> {
  const [row] = await db.select({ exposureMs: players.exposureMs }).from(players).where(eq(players.id, playerId));
  if (!row) throw new ApiError(403, "unknown player");
  return row.exposureMs;
}
