/**
 * Creating and scoring rounds against real databases: an embedded file and a sqld server.
 */
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { Database } from "../../../db/client.ts";
import { judgments, playerModelStats, players, rounds as roundsTable } from "../../../db/schema.ts";
import { resetDatabase, testBackends } from "../../../db/testing/backends.ts";
import { ApiError } from "../../core/api-error.ts";
import { ROUND_MODES } from "../../core/round-modes.ts";
import type { AnswerBody, RoundView } from "../../core/rounds-api.ts";
import { QuizPool } from "../faces/quiz-pool.ts";
import { realFaceOfRound } from "../faces/round-face.ts";
import { ModelRotation } from "../models/rotation.ts";
import { SeedBanks } from "../models/seed-banks.ts";
import { PlayerDirectory } from "../players/players.ts";
import { foldJudgments } from "../stats/fold-judgments.ts";
import { aggregateSnapshot, rebuildAggregates } from "../stats/rebuild-aggregates.ts";
import { fixtureBank, makeQuizPool, writeModels } from "../testing/fixtures.ts";
import { answerRound } from "./answer-round.ts";
import { createRound, type RoundServices } from "./create-round.ts";
import { nextStaircase, STAIRCASE, type StaircaseState } from "./exposure.ts";
import { seededRandomness } from "./randomness.ts";
import { RecentRounds } from "./recent-rounds.ts";
import { ReplaySample } from "./replay-sample.ts";
import { MIN_RESPONSE_MS, ROUND_TTL_MS } from "./rules.ts";
import { SeenFaces } from "./seen-faces.ts";

const T0 = Date.UTC(2026, 0, 1);
/** Real faces in the test pool: two games' worth, so no-repeats is tested with the pool nearly exhausted. */
const POOL_SIZE = 24;
/** Comfortably slower than the response floor, so answers count. */
const THINK_MS = MIN_RESPONSE_MS + 1_000;

async function rejection(promise: Promise<unknown>): Promise<ApiError> {
  const error = await promise.then(
    () => null,
    (reason: unknown) => reason,
  );
  if (!(error instanceof ApiError)) throw new Error(`expected an ApiError, got ${String(error)}`);
  return error;
}

/** The slot the player would pick to be right (pair), or the right verdict (single/timed). */
function rightAnswer(round: RoundView): AnswerBody {
  const real = round.faces.find((face) => face.source === "real");
  if (round.mode === "pair") return { choice: real?.slot ?? 0 };
  return { verdict: real ? "real" : "fake" };
}

function wrongAnswer(round: RoundView): AnswerBody {
  const fake = round.faces.find((face) => face.source === "generated");
  if (round.mode === "pair") return { choice: fake?.slot ?? 0 };
  return { verdict: fake ? "real" : "fake" };
}

describe.each(testBackends())("rounds on $name", (backend) => {
  let database: Database;
  let folder: string;
  let services: RoundServices;
  let directory: PlayerDirectory;

  beforeAll(async () => {
    database = await backend.open();
    folder = mkdtempSync(path.join(os.tmpdir(), "stf-rounds-"));
    await makeQuizPool(path.join(folder, "pool"), POOL_SIZE);
  });
  afterAll(async () => {
    await backend.close();
    rmSync(folder, { recursive: true, force: true });
  });
  beforeEach(async () => {
    await resetDatabase(database);
    writeModels(path.join(folder, "models"), [{ version: "v1", truncation: 0.8 }]);
    services = {
      db: database.db,
      writes: database.writes,
      recent: new RecentRounds(),
      rotation: new ModelRotation(path.join(folder, "models")),
      pool: new QuizPool(path.join(folder, "pool")),
      random: seededRandomness(7),
      replays: new ReplaySample(database.db, seededRandomness(8)),
      banks: new SeedBanks(path.join(folder, "models")),
      seen: new SeenFaces(database.db),
    };
    directory = new PlayerDirectory(database.db);
  });

  const newPlayer = async () => (await directory.create(T0)).id;
  const answer = (roundId: string, playerId: number | null, body: AnswerBody, now: number, rateLimited = false) =>
    answerRound({ ...database, recent: services.recent }, { roundId, playerId, body, rateLimited, now });

  it("makes a pair round of one real face and one generated face, decided by the server", async () => {
    const player = await newPlayer();
    const round = await createRound(services, player, "pair", T0);
    expect(round.mode).toBe("pair");
    expect(round.expiresAt).toBe(new Date(T0 + ROUND_TTL_MS.pair).toISOString());
    expect(round.exposureMs).toBeUndefined();
    expect(round.faces.map((face) => face.slot)).toEqual([0, 1]);
    const real = round.faces.find((face) => face.source === "real");
    const fake = round.faces.find((face) => face.source === "generated");
    expect(real).toEqual({ slot: real?.slot, source: "real", url: `/api/faces/${round.id}/${real?.slot}` });
    expect(fake).toMatchObject({ source: "generated", model: "v1", truncation: 0.8 });
    expect(
      fake?.source === "generated" && Number.isInteger(fake.seed) && fake.seed >= 0 && fake.seed <= 0xffffffff,
    ).toBe(true);
  });

  it("makes single and timed rounds of one face; timed rounds carry the player's exposure", async () => {
    const player = await newPlayer();
    const single = await createRound(services, player, "single", T0);
    const timed = await createRound(services, player, "timed", T0);
    expect(single.faces).toHaveLength(1);
    expect(single.exposureMs).toBeUndefined();
    expect(timed.faces).toHaveLength(1);
    expect(timed.exposureMs).toBe(STAIRCASE.initialMs);
    expect(timed.expiresAt).toBe(new Date(T0 + ROUND_TTL_MS.timed).toISOString());
  });

  it("shows real and fake faces in both slots and single rounds of both kinds", async () => {
    const player = await newPlayer();
    const pairs = await Promise.all(Array.from({ length: 40 }, () => createRound(services, player, "pair", T0)));
    const singles = await Promise.all(Array.from({ length: 40 }, () => createRound(services, player, "single", T0)));
    const realSlots = new Set(pairs.map((round) => round.faces.find((face) => face.source === "real")?.slot));
    const singleSources = new Set(singles.map((round) => round.faces[0]?.source));
    expect(realSlots).toEqual(new Set([0, 1]));
    expect(singleSources).toEqual(new Set(["real", "generated"]));
  });

  it("answers 503 when no version is active, and follows a new rotation within seconds", async () => {
    const player = await newPlayer();
    writeModels(path.join(folder, "models"), [{ version: "v1", status: "retired", truncation: 0.8 }]);
    const paused = await rejection(createRound(services, player, "pair", T0 + 2_000));
    expect(paused.status).toBe(503);
    writeModels(path.join(folder, "models"), [
      { version: "v1", status: "retired" },
      { version: "v2", truncation: null },
    ]);
    const round = await createRound(services, player, "pair", T0 + 4_000);
    expect(round.faces.find((face) => face.source === "generated")).toMatchObject({ model: "v2", truncation: null });
  });

  it("scores a pair answer, reveals the fake slots and records one judgment", async () => {
    const player = await newPlayer();
    const round = await createRound(services, player, "pair", T0);
    const fakeSlot = round.faces.find((face) => face.source === "generated")?.slot;
    const result = await answer(round.id, player, wrongAnswer(round), T0 + THINK_MS);
    expect(result).toEqual({
      roundId: round.id,
      correct: false,
      fakeSlots: [fakeSlot],
      realSlots: [1 - (fakeSlot ?? 0)],
      model: "v1",
    });
    const rows = await database.db.select().from(judgments);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      roundId: round.id,
      playerId: player,
      mode: "pair",
      choice: fakeSlot,
      verdict: null,
      correct: false,
      fooled: true,
      elapsedMs: THINK_MS,
      excluded: null,
    });
  });

  it("scores single verdicts both ways", async () => {
    const player = await newPlayer();
    for (let i = 0; i < 6; i++) {
      const round = await createRound(services, player, "single", T0);
      const right = await answer(round.id, player, rightAnswer(round), T0 + THINK_MS);
      expect(right.correct).toBe(true);
      const other = await createRound(services, player, "single", T0);
      expect((await answer(other.id, player, wrongAnswer(other), T0 + THINK_MS)).correct).toBe(false);
    }
  });

  it("refuses unknown, foreign, answered, expired and malformed answers without changing anything", async () => {
    const owner = await newPlayer();
    const stranger = await newPlayer();
    const round = await createRound(services, owner, "pair", T0);
    expect((await rejection(answer("nope", owner, { choice: 0 }, T0 + THINK_MS))).status).toBe(404);
    expect((await rejection(answer(round.id, stranger, { choice: 0 }, T0 + THINK_MS))).status).toBe(403);
    expect((await rejection(answer(round.id, null, { choice: 0 }, T0 + THINK_MS))).status).toBe(403);
    expect((await rejection(answer(round.id, owner, { verdict: "real" }, T0 + THINK_MS))).status).toBe(422);
    expect((await rejection(answer(round.id, owner, { choice: 2 }, T0 + THINK_MS))).status).toBe(422);
    const first = await answer(round.id, owner, rightAnswer(round), T0 + THINK_MS);
    expect(first.correct).toBe(true);
    const again = await rejection(answer(round.id, owner, wrongAnswer(round), T0 + THINK_MS + 10));
    expect(again.status).toBe(409);
    const [row] = await database.db.select().from(judgments);
    expect(row?.correct).toBe(true);

    const late = await createRound(services, owner, "single", T0);
    const expired = await rejection(answer(late.id, owner, { verdict: "real" }, T0 + ROUND_TTL_MS.single));
    expect(expired.status).toBe(410);
    expect(await database.db.select().from(judgments)).toHaveLength(1);
  });

  it("accepts exactly one of 20 concurrent answers to a round", async () => {
    const fold = () => foldJudgments(database.db, seededRandomness(5));
    const player = await newPlayer();
    const round = await createRound(services, player, "pair", T0);
    const bodies = Array.from({ length: 20 }, (_, i) => (i % 2 === 0 ? rightAnswer(round) : wrongAnswer(round)));
    const outcomes = await Promise.allSettled(bodies.map((body) => answer(round.id, player, body, T0 + THINK_MS)));
    const accepted = outcomes.filter((outcome) => outcome.status === "fulfilled");
    const refused = outcomes.flatMap((outcome) => (outcome.status === "rejected" ? [outcome.reason] : []));
    expect(accepted).toHaveLength(1);
    expect(refused.map((error) => (error as ApiError).status)).toEqual(Array(19).fill(409));
    expect(await database.db.select().from(judgments)).toHaveLength(1);
    await fold();
    const [sums] = await database.db.select().from(playerModelStats);
    expect(sums?.judged).toBe(1);
  });

  it("keeps too-fast and rate-limited answers but leaves them out of the sums", async () => {
    const fold = () => foldJudgments(database.db, seededRandomness(5));
    const player = await newPlayer();
    const quick = await createRound(services, player, "pair", T0);
    await answer(quick.id, player, rightAnswer(quick), T0 + MIN_RESPONSE_MS - 1);
    const claimedQuick = await createRound(services, player, "pair", T0);
    await answer(claimedQuick.id, player, { ...rightAnswer(claimedQuick), responseMs: 90 }, T0 + THINK_MS);
    const limited = await createRound(services, player, "single", T0);
    await answer(limited.id, player, rightAnswer(limited), T0 + THINK_MS, true);
    const rows = await database.db.select({ excluded: judgments.excluded }).from(judgments).orderBy(judgments.id);
    expect(rows.map((row) => row.excluded)).toEqual(["too_fast", "too_fast", "rate_limited"]);
    await fold();
    const sums = await database.db.select().from(playerModelStats).orderBy(playerModelStats.mode);
    expect(sums.map((s) => [s.mode, s.judged, s.excludedTooFast, s.excludedRateLimited])).toEqual([
      ["pair", 0, 2, 0],
      ["single", 0, 0, 1],
    ]);
    const [totals] = await database.db.select().from(players).where(eq(players.id, player));
    expect(totals?.judged).toBe(0);
    const faceRows = await database.db.all(sql`SELECT count(*) AS n FROM fake_face_stats`);
    expect(Number((faceRows[0] as { n: number }).n)).toBe(0);
  });

  it("moves the timed exposure along HYPE-time's staircase, server-side", async () => {
    const player = await newPlayer();
    let state: StaircaseState = { exposureMs: STAIRCASE.initialMs, correctStreak: 0 };
    const pattern = [true, true, true, true, false, true, true, true, true, true, true, false, false];
    for (const right of pattern) {
      const round = await createRound(services, player, "timed", T0);
      expect(round.exposureMs).toBe(state.exposureMs);
      const result = await answer(round.id, player, right ? rightAnswer(round) : wrongAnswer(round), T0 + THINK_MS);
      state = nextStaircase(state, right);
      expect(result.nextExposureMs).toBe(state.exposureMs);
    }
    expect(state.exposureMs).toBe(STAIRCASE.initialMs - 10 + 30 - 10 - 10 + 30 + 30);
  });

  it("folds judgments into the running sums exactly once, equal to a recomputation from scratch", async () => {
    const ids = await Promise.all([newPlayer(), newPlayer(), newPlayer()]);
    const random = seededRandomness(99);
    for (let i = 0; i < 90; i++) {
      const player = ids[i % 3] as number;
      const mode = ROUND_MODES[random.below(ROUND_MODES.length)] ?? "pair";
      const round = await createRound(services, player, mode, T0);
      const body = random.unit() < 0.6 ? rightAnswer(round) : wrongAnswer(round);
      const elapsed = random.unit() < 0.1 ? 100 : THINK_MS;
      await answer(round.id, player, body, T0 + elapsed, random.unit() < 0.05);
      // Folds in between, and several at once (as several servers would): none may count a judgment twice.
      if (i % 17 === 0)
        await Promise.all([1, 2, 3].map((k) => foldJudgments(database.db, seededRandomness(i * 10 + k))));
    }
    const last = await foldJudgments(database.db, seededRandomness(1));
    expect(await foldJudgments(database.db, seededRandomness(2))).toEqual({
      folded: 0,
      foldedThrough: last.foldedThrough,
    });
    const incremental = await aggregateSnapshot(database.db);
    await rebuildAggregates(database.db);
    expect(await aggregateSnapshot(database.db)).toEqual(incremental);
    const [sums] = await database.db.all<{ judged: number }>(
      sql`SELECT sum(judged) + sum(excluded_too_fast) + sum(excluded_rate_limited) AS judged FROM player_model_stats`,
    );
    expect(Number(sums?.judged)).toBe(90);
  });

  it("re-shows judged fakes, so fakes collect several judgments, but never to a player who saw them", async () => {
    const ids = await Promise.all([newPlayer(), newPlayer(), newPlayer()]);
    for (let i = 0; i < 30; i++) {
      // The replay sample is refreshed every few seconds: let it see the fakes judged so far.
      const now = T0 + i * 10_000;
      await foldJudgments(database.db, seededRandomness(i));
      await services.replays.load("v1", now);
      const player = ids[i % 3] as number;
      const round = await createRound(services, player, "pair", now);
      await answer(round.id, player, rightAnswer(round), now + THINK_MS);
    }
    await foldJudgments(database.db, seededRandomness(77));
    const [row] = await database.db.all<{ fakes: number; shown: number }>(
      sql`SELECT count(*) AS fakes, sum(shown) AS shown FROM fake_face_stats`,
    );
    expect(Number(row?.shown)).toBe(30);
    expect(Number(row?.fakes)).toBeLessThan(20);
    const repeats = await database.db.all(
      sql`SELECT player_id, seed FROM rounds GROUP BY player_id, seed, truncation HAVING count(*) > 1`,
    );
    expect(repeats).toEqual([]);
  });

  it("records each round's sampling policy: the version's mix, curated from its bank, random without one", async () => {
    const models = path.join(folder, "models");
    const bank = fixtureBank(300, 0.6);
    writeModels(models, [{ version: "v1", truncation: 0.8, policies: { curated: 1, random: 1 }, bank }]);
    const player = await newPlayer();
    const made: { view: RoundView; stored: typeof roundsTable.$inferSelect | undefined }[] = [];
    for (let i = 0; i < 120; i++) {
      const mode = ROUND_MODES[i % ROUND_MODES.length] ?? "pair";
      const view = await createRound(services, player, mode, T0 + i);
      const [stored] = await database.db.select().from(roundsTable).where(eq(roundsTable.id, view.id));
      made.push({ view, stored });
    }
    const curated = made.filter((m) => m.stored?.policy === "curated");
    const random = made.filter((m) => m.stored?.policy === "random");
    // 1:1 mix over 120 rounds: both policies well represented (binomial, p = 0.5: 40..80 is > 99.9 %).
    expect(curated.length).toBeGreaterThan(40);
    expect(random.length).toBeGreaterThan(40);
    const bankSeeds = new Set(bank.map((entry) => entry.seed));
    for (const { stored } of curated.filter((m) => m.stored?.seed !== null)) {
      expect(bankSeeds.has(stored?.seed ?? -1)).toBe(true);
      expect(stored?.truncation).toBe(0.6);
    }
    for (const { stored } of random.filter((m) => m.stored?.seed !== null)) expect(stored?.truncation).toBe(0.8);
    // Rounds showing only a real face belong to a policy too, drawn by the same mix.
    expect(curated.some((m) => m.stored?.seed === null)).toBe(true);
    // The JSON never says which policy drew the fake: the same keys, in the same order, either way.
    const shape = (view: RoundView) => JSON.stringify([Object.keys(view), view.faces.map((face) => Object.keys(face))]);
    for (const mode of ROUND_MODES) {
      const withFake = (m: (typeof made)[number]) => m.view.mode === mode && m.stored?.seed !== null;
      const a = curated.find(withFake);
      const b = random.find(withFake);
      expect(a && b && shape(a.view)).toBe(b && shape(b.view));
      expect(JSON.stringify(a?.view)).not.toMatch(/curated|random|policy/);
    }

    // The same mix with the bank gone: every round random, and recorded as random.
    writeModels(models, [{ version: "v1", truncation: 0.8, policies: { curated: 1, random: 1 } }]);
    const later = T0 + 5_000;
    for (let i = 0; i < 20; i++) await createRound(services, player, "pair", later + i);
    const policies = await database.db.all<{ policy: string; n: number }>(
      sql`SELECT policy, count(*) AS n FROM rounds WHERE created_at >= ${later} GROUP BY policy`,
    );
    expect(policies.map((p) => [p.policy, Number(p.n)])).toEqual([["random", 20]]);
  });

  it("shows no face twice in a game, replays only fakes the player has not seen, and mostly new faces next game", async () => {
    const models = path.join(folder, "models");
    writeModels(models, [
      { version: "v1", truncation: 0.8, policies: { curated: 1, random: 3 }, bank: fixtureBank(60) },
    ]);
    const player = await newPlayer();
    const others = await Promise.all([newPlayer(), newPlayer()]);
    const games: { fakes: string[]; reals: string[]; replays: number }[] = [];
    const fakeOf = (row: { seed: number | null; truncation: number | null }) => `${row.seed}:${row.truncation}`;
    for (let game = 0; game < 12; game++) {
      const start = T0 + game * 60_000;
      // Other players judge fakes between games, so there are replays this player has and has not seen.
      for (const [k, other] of others.entries()) {
        for (let i = 0; i < 5; i++) {
          const round = await createRound(services, other, "single", start + k * 10 + i);
          await answer(round.id, other, wrongAnswer(round), start + k * 10 + i + THINK_MS);
        }
      }
      await foldJudgments(database.db, seededRandomness(game));
      await services.replays.load("v1", start + 5_000);
      const judged = await database.db.all<{ seed: number; truncation_key: number }>(
        sql`SELECT seed, truncation_key FROM fake_face_stats`,
      );
      const judgedNow = new Set(judged.map((row) => `${row.seed}:${row.truncation_key}`));
      // A restart halfway: the new process reads the player's history from the database.
      if (game === 6) services = { ...services, seen: new SeenFaces(database.db) };
      const mode = ROUND_MODES[game % ROUND_MODES.length] ?? "pair";
      const made: (typeof roundsTable.$inferSelect)[] = [];
      for (let round = 0; round < 10; round++) {
        const view = await createRound(services, player, mode, start + 5_000 + round);
        await answer(view.id, player, rightAnswer(view), start + 5_000 + round + THINK_MS);
        const [row] = await database.db.select().from(roundsTable).where(eq(roundsTable.id, view.id));
        if (row) made.push(row);
      }
      const fakes = made.filter((row) => row.seed !== null).map(fakeOf);
      const reals = made.flatMap((row) => (row.realFaceId === null ? [] : [row.realFaceId]));
      const replays = made.filter((row) => row.seed !== null && row.policy === "random" && judgedNow.has(fakeOf(row)));
      games.push({ fakes, reals, replays: replays.length });
      expect(new Set(fakes).size, `game ${game} fakes`).toBe(fakes.length);
      expect(new Set(reals).size, `game ${game} reals`).toBe(reals.length);
    }
    // Replays happened, and none was a fake this player had been shown in any earlier game.
    expect(games.reduce((sum, g) => sum + g.replays, 0)).toBeGreaterThan(10);
    const everyFake = games.flatMap((g) => g.fakes);
    expect(new Set(everyFake).size).toBe(everyFake.length);
    // Playing again: with a pool of two games' worth of faces, the next game's real faces are all new to it.
    for (let g = 1; g < games.length; g++) {
      const before = new Set(games[g - 1]?.reals);
      expect(
        games[g]?.reals.filter((id) => before.has(id)),
        `game ${g}`,
      ).toEqual([]);
    }
  });

  it("resolves a real-face URL only for the round's real slot", async () => {
    const player = await newPlayer();
    const round = await createRound(services, player, "pair", T0);
    const real = round.faces.find((face) => face.source === "real");
    const fake = round.faces.find((face) => face.source === "generated");
    const faceId = await realFaceOfRound({ ...database, recent: services.recent }, round.id, real?.slot ?? -1, T0);
    expect(faceId).toMatch(/^[0-9a-f]+$/);
    // From this process's memory of the round and from the database alike.
    expect(await realFaceOfRound(database, round.id, real?.slot ?? -1, T0)).toBe(faceId);
    expect(await services.pool.png(faceId ?? "")).toBeInstanceOf(Buffer);
    expect(await realFaceOfRound(database, round.id, fake?.slot ?? -1, T0)).toBeNull();
    expect(await realFaceOfRound(database, "missing", 0, T0)).toBeNull();
  });
});
