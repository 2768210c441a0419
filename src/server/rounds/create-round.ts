/**
 * Making a round: the server picks everything (model version by rotation, sampling policy, seed,
 * truncation, which slot is real, the real face, the timed exposure) and stores it before the client sees
 * anything, so the answer can be scored against what was really shown. Faces the player was shown lately
 * are avoided (seen-faces.ts). The policy is recorded but never sent: the round's JSON has the same shape
 * whatever drew its fake.
 */
import type { InValue } from "@libsql/client";
import { eq } from "drizzle-orm";
import type { Db } from "../../../db/client.ts";
import type { GroupCommit } from "../../../db/group-commit.ts";
import { players, type rounds, type SlotSource } from "../../../db/schema.ts";
import { ApiError } from "../../core/api-error.ts";
import type { PoolFace } from "../../core/quiz-pool-manifest.ts";
import type { RoundMode } from "../../core/round-modes.ts";
import type { RoundView } from "../../core/rounds-api.ts";
import type { SamplingPolicy } from "../../core/sampling-policy.ts";
import type { SeedBank } from "../../core/seed-bank.ts";
import type { QuizPool } from "../faces/quiz-pool.ts";
import type { ModelChoice, ModelRotation } from "../models/rotation.ts";
import type { SeedBanks } from "../models/seed-banks.ts";
import { choosePolicy } from "./choose-policy.ts";
import { pickFresh } from "./pick-fresh.ts";
import type { Randomness } from "./randomness.ts";
import type { RecentRounds } from "./recent-rounds.ts";
import type { Fake, ReplaySample } from "./replay-sample.ts";
import { roundView } from "./round-view.ts";
import { REPLAY_SHARE, ROUND_TTL_MS } from "./rules.ts";
import type { PlayerHistory, SeenFaces } from "./seen-faces.ts";

export interface RoundServices {
  readonly db: Db;
  readonly writes: GroupCommit;
  readonly recent: RecentRounds;
  readonly rotation: ModelRotation;
  readonly pool: QuizPool;
  readonly random: Randomness;
  readonly replays: ReplaySample;
  readonly banks: SeedBanks;
  readonly seen: SeenFaces;
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
  const bank = services.banks.get(model.version, now);
  const policy = choosePolicy(model.policies, bank, random.unit);
  const slots = chooseSlots(mode, random);
  const seen = await services.seen.of(playerId);
  // From here to remembering the faces nothing waits, so two rounds made at once cannot pick the same face.
  const realFace = slots.includes("real") ? chooseReal(pool, seen, random, now) : null;
  if (slots.includes("real") && !realFace) throw new ApiError(503, "the pool of real faces is not available");
  const fake = slots.includes("fake") ? chooseFake(services.replays, model, policy, bank, seen, random, now) : null;
  if (fake) seen.addFake(model.version, fake.seed, fake.truncation);
  if (realFace) seen.reals.add(realFace.id);
  const exposureMs = mode === "timed" ? await currentExposure(db, playerId) : null;
  const round = {
    id: random.token(),
    playerId,
    mode,
    modelVersion: model.version,
    policy,
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
  (id, player_id, mode, model_version, policy, seed, truncation, real_face_id, slots, exposure_ms, created_at, expires_at)
  VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`;

function insertArgs(round: typeof rounds.$inferInsert): InValue[] {
  return [
    round.id,
    round.playerId,
    round.mode,
    round.modelVersion,
    round.policy ?? "random",
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

/** A pool face the player was not shown lately (or, when they saw them all, the one seen longest ago). */
function chooseReal(pool: QuizPool, seen: PlayerHistory, random: Randomness, now: number): PoolFace | null {
  return pickFresh(pool.faces(now), (face) => seen.reals.age(face.id), random.below);
}

/**
 * curated: a bank seed the player has not seen lately. random: a judged fake they have not seen
 * (REPLAY_SHARE of the time, when there is one), else a fresh random seed.
 */
function chooseFake(
  replays: ReplaySample,
  model: ModelChoice,
  policy: SamplingPolicy,
  bank: SeedBank | null,
  seen: PlayerHistory,
  random: Randomness,
  now: number,
): Fake {
  const unseen = (fake: Fake) => seen.fakeAge(model.version, fake.seed, fake.truncation) === Number.POSITIVE_INFINITY;
  if (policy === "curated") {
    const age = (fake: Fake) => seen.fakeAge(model.version, fake.seed, fake.truncation);
    const picked = bank && pickFresh(bank.seeds, age, random.below);
    // choosePolicy only says curated when there is a bank, and a bank has at least one seed.
    if (!picked) throw new Error(`curated round of ${model.version} without a seed bank`);
    return { seed: picked.seed, truncation: picked.truncation };
  }
  const replay = random.unit() < REPLAY_SHARE ? replays.pick(model.version, unseen, now) : null;
  if (replay) return replay;
  // A fresh uint32 meets one of the player's few hundred fakes once in millions of rounds; even then, redraw.
  let fresh: Fake = { seed: random.seed(), truncation: model.truncation };
  while (!unseen(fresh)) fresh = { seed: random.seed(), truncation: model.truncation };
  return fresh;
}

async function currentExposure(db: Db, playerId: number): Promise<number> {
  const [row] = await db.select({ exposureMs: players.exposureMs }).from(players).where(eq(players.id, playerId));
  if (!row) throw new ApiError(403, "unknown player");
  return row.exposureMs;
}
