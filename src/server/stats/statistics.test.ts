/**
 * The leaderboard's numbers against a hand-computed fixture. Judgments go in through the real scoring path
 * (answerRound) on both databases; point estimates are checked against fractions worked out by hand, and
 * the interval bounds against a reference bootstrap written separately below, which works from the raw
 * judgment rows (not the running sums) with the same seeded stream. Everything must agree within 1e-9.
 */
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "../../../db/client.ts";
import { players, rounds, type SlotSource } from "../../../db/schema.ts";
import { resetDatabase, testBackends } from "../../../db/testing/backends.ts";
import { seededUniform } from "../../core/noise.ts";
import { answerRound } from "../rounds/answer-round.ts";
import { seededRandomness } from "../rounds/randomness.ts";
import { foldJudgments } from "./fold-judgments.ts";
import { computeLeaderboard, type Leaderboard, type ModelRow } from "./leaderboard.ts";
import type { Metric } from "./model-stats.ts";
import { groupSeed } from "./model-stats.ts";

const T0 = Date.UTC(2026, 0, 1);
const RESAMPLES = 500;

interface Judgment {
  readonly shown: SlotSource;
  readonly verdict: "real" | "fake";
  readonly seed?: number;
  readonly faceId?: string;
  readonly exclusion?: "too_fast" | "rate_limited";
}

/** n judgments of fakes of which `fooled` were called real, and n of reals of which `doubted` were called fake. */
function singleRounds(fakes: number, fooled: number, reals: number, doubted: number): Judgment[] {
  return [
    ...Array.from({ length: fakes }, (_, i): Judgment => ({ shown: "fake", verdict: i < fooled ? "real" : "fake" })),
    ...Array.from({ length: reals }, (_, i): Judgment => ({ shown: "real", verdict: i < doubted ? "fake" : "real" })),
  ];
}

/**
 * The fixture, model "m1", single mode, by hand:
 *   player  fakes  judged real   reals  judged fake
 *   P1        8        4           8        1
 *   P2        6        1           6        2
 *   P3       10        5           4        0
 *   P4        4        0          10        3
 *   P5        6        3           6        1
 *   total    34       13          34        7
 * fool-rate 13/34, error on reals 7/34, HYPE∞ (13 + 7)/(34 + 34) = 20/68.
 * Plus three answers kept but excluded: two of P1's too fast, one of P2's from a rate-limited client.
 */
const SINGLE_FIXTURE: Judgment[][] = [
  [
    ...singleRounds(8, 4, 8, 1),
    { shown: "fake", verdict: "real", exclusion: "too_fast" },
    { shown: "real", verdict: "fake", exclusion: "too_fast" },
  ],
  [...singleRounds(6, 1, 6, 2), { shown: "fake", verdict: "real", exclusion: "rate_limited" }],
  singleRounds(10, 5, 4, 0),
  singleRounds(4, 0, 10, 3),
  singleRounds(6, 3, 6, 1),
];

// ---- reference computation, independent of src/server/stats: raw rows in, percentiles out ----

interface RawJudgment {
  player_id: number;
  shown_fake: number;
  called_real: number;
}

function referenceInterval(byPlayer: RawJudgment[][], seed: number, pick: (j: RawJudgment) => [number, number] | null) {
  const ratio = (group: RawJudgment[][]) => {
    let hits = 0;
    let total = 0;
    for (const judgments of group) {
      for (const j of judgments) {
        const counted = pick(j);
        if (counted) {
          hits += counted[0];
          total += counted[1];
        }
      }
    }
    return total > 0 ? hits / total : null;
  };
  const next = seededUniform(seed);
  const ratios: number[] = [];
  for (let b = 0; b < RESAMPLES; b++) {
    const resample = byPlayer.map(() => byPlayer[Math.floor(next() * byPlayer.length)] as RawJudgment[]);
    const r = ratio(resample);
    if (r !== null) ratios.push(r);
  }
  ratios.sort((a, b) => a - b);
  const percentile = (p: number) => {
    const h = (ratios.length - 1) * p;
    const below = ratios[Math.floor(h)] as number;
    const above = ratios[Math.ceil(h)] as number;
    return below + (h - Math.floor(h)) * (above - below);
  };
  return { estimate: ratio(byPlayer), low: percentile(0.025), high: percentile(0.975) };
}

const fakesJudgedReal = (j: RawJudgment): [number, number] | null => (j.shown_fake ? [j.called_real, 1] : null);
const realsJudgedFake = (j: RawJudgment): [number, number] | null => (j.shown_fake ? null : [1 - j.called_real, 1]);
const allErrors = (j: RawJudgment): [number, number] => [j.shown_fake ? j.called_real : 1 - j.called_real, 1];

function expectMetric(metric: Metric | null, expected: { estimate: number | null; low: number; high: number }) {
  if (metric === null || metric.estimate === null) throw new Error(`expected a number, got ${JSON.stringify(metric)}`);
  expect(Math.abs(metric.estimate - (expected.estimate ?? Number.NaN))).toBeLessThan(1e-9);
  expect(Math.abs(metric.low - expected.low)).toBeLessThan(1e-9);
  expect(Math.abs(metric.high - expected.high)).toBeLessThan(1e-9);
}

describe.each(testBackends())("statistics on $name", (backend) => {
  let database: Database;
  let board: Leaderboard;
  let playerIds: number[];
  let roundCounter = 0;
  let playerCounter = 0;

  async function record(playerId: number, mode: "pair" | "single", judgment: Judgment): Promise<void> {
    const id = `r${String(roundCounter++).padStart(6, "0")}`;
    const slots: SlotSource[] = mode === "pair" ? ["real", "fake"] : [judgment.shown];
    const showsFake = slots.includes("fake");
    await database.db.insert(rounds).values({
      id,
      playerId,
      mode,
      modelVersion: mode === "pair" ? "m2" : "m1",
      seed: showsFake ? (judgment.seed ?? 1_000_000 + roundCounter) : null,
      truncation: showsFake ? 0.7 : null,
      realFaceId: slots.includes("real") ? (judgment.faceId ?? "f0000000000000000000") : null,
      slots,
      exposureMs: null,
      createdAt: T0,
      expiresAt: T0 + 60_000,
    });
    const body = mode === "pair" ? { choice: judgment.verdict === "real" ? 0 : 1 } : { verdict: judgment.verdict };
    await answerRound(database, {
      roundId: id,
      playerId,
      body,
      rateLimited: judgment.exclusion === "rate_limited",
      now: T0 + (judgment.exclusion === "too_fast" ? 100 : 2_000),
    });
  }

  async function newPlayer(nickname: string | null): Promise<number> {
    const [row] = await database.db
      .insert(players)
      .values({ tokenHash: `hash-${playerCounter++}`, nickname, exposureMs: 500, createdAt: T0 })
      .returning({ id: players.id });
    return row?.id ?? -1;
  }

  beforeAll(async () => {
    database = await backend.open();
    await resetDatabase(database);
    playerIds = [];
    for (let p = 0; p < SINGLE_FIXTURE.length; p++) playerIds.push(await newPlayer(`P${p + 1}`));
    for (const [p, judgments] of SINGLE_FIXTURE.entries()) {
      for (const judgment of judgments) await record(playerIds[p] as number, "single", judgment);
    }
    // Pair mode, model m2: three players only, below the minimum of five. Slot 0 is real.
    // One fake (seed 111) shown 5 times and chosen 4 times; the real face beside it called fake 4 of 6 times.
    for (let i = 0; i < 6; i++) {
      await record(playerIds[i % 3] as number, "pair", {
        shown: "fake",
        verdict: i < 4 ? "fake" : "real",
        seed: i < 5 ? 111 : 222,
        faceId: "f1111111111111111111",
      });
    }
    await foldJudgments(database.db, seededRandomness(1));
    board = await computeLeaderboard(database.db, () => "active", { resamples: RESAMPLES });
  });
  afterAll(() => backend.close());

  const row = (model: string, mode: string) =>
    board.models.find((r) => r.model === model && r.mode === mode) as ModelRow;

  it("counts rounds, players and exclusions per model and mode", () => {
    expect(board.models.map((r) => [r.model, r.mode, r.rounds, r.players, r.excluded])).toEqual([
      ["m1", "single", 68, 5, 3],
      ["m2", "pair", 6, 3, 0],
    ]);
    expect(board.excluded).toEqual({ total: 3, tooFast: 2, rateLimited: 1 });
  });

  it("matches the hand-computed point estimates", () => {
    const single = row("m1", "single");
    expect(single.foolRate.estimate).toBeCloseTo(13 / 34, 12);
    expect(single.errorOnReals?.estimate).toBeCloseTo(7 / 34, 12);
    expect(single.hype?.estimate).toBeCloseTo(20 / 68, 12);
    expect(single.foolRate.judgments).toBe(34);
    expect(single.errorOnReals?.judgments).toBe(34);
    expect(single.hype?.judgments).toBe(68);
  });

  it("matches a reference bootstrap over players from the raw judgments, within 1e-9", async () => {
    const raw = await database.db.all<RawJudgment>(sql`
      SELECT j.player_id, r.seed IS NOT NULL AS shown_fake, j.verdict = 'real' AS called_real
      FROM judgments j JOIN rounds r ON r.id = j.round_id
      WHERE j.model_version = 'm1' AND j.mode = 'single' AND j.excluded IS NULL ORDER BY j.id`);
    const byPlayer = playerIds.map((id) =>
      raw
        .filter((j) => Number(j.player_id) === id)
        .map((j) => ({
          player_id: Number(j.player_id),
          shown_fake: Number(j.shown_fake),
          called_real: Number(j.called_real),
        })),
    );
    const seed = groupSeed("m1", "single");
    const single = row("m1", "single");
    expectMetric(single.foolRate, referenceInterval(byPlayer, seed, fakesJudgedReal));
    expectMetric(single.errorOnReals, referenceInterval(byPlayer, seed, realsJudgedFake));
    expectMetric(single.hype, referenceInterval(byPlayer, seed, allErrors));
    const fool = single.foolRate;
    if (fool.estimate === null) throw new Error("fool-rate missing");
    expect(fool.low).toBeLessThan(fool.estimate);
    expect(fool.high).toBeGreaterThan(fool.estimate);
  });

  it("says 'not enough data yet' below the minimum of players, and n/a for pair-only metrics", () => {
    const pair = row("m2", "pair");
    expect(pair.foolRate).toEqual({ estimate: null, note: "not enough data yet", judgments: 6, players: 3 });
    expect(pair.errorOnReals).toBeNull();
    expect(pair.hype).toBeNull();
  });

  it("lists the most convincing fakes and most doubted reals only past the minimum of views", () => {
    expect(board.convincingFakes).toEqual([
      { model: "m2", seed: 111, truncation: 0.7, shown: 5, judgedReal: 4, rate: 0.8 },
    ]);
    expect(board.doubtedReals).toEqual([
      { url: "/api/faces/pool/f1111111111111111111", shown: 6, judgedFake: 4, rate: 4 / 6 },
      { url: "/api/faces/pool/f0000000000000000000", shown: 34, judgedFake: 7, rate: 7 / 34 },
    ]);
  });

  it("ranks detectors with a nickname and enough counted rounds", () => {
    // P1: 16 counted, P2: 12, P3: 14 (+2 pair rounds), P4: 14, P5: 12; none reaches 20 yet.
    expect(board.detectors).toEqual([]);
  });

  it("answers the site's queries from indexes", async () => {
    const plans: [string, RegExp][] = [
      ["SELECT * FROM rounds WHERE id = 'x'", /USING INDEX sqlite_autoindex_rounds_1/],
      ["SELECT id FROM players WHERE token_hash = 'x'", /USING (COVERING )?INDEX players_token_hash/],
      ["SELECT exposure_ms FROM players WHERE id = 1", /USING INTEGER PRIMARY KEY/],
      [
        "SELECT seed FROM fake_face_stats WHERE model_version = 'v' AND seed >= 1 AND seed < 9 ORDER BY seed LIMIT 5",
        /USING (COVERING )?INDEX sqlite_autoindex_fake_face_stats_1 \(model_version=\? AND seed>\? AND seed<\?\)/,
      ],
      [
        "SELECT * FROM player_model_stats WHERE model_version = 'v' AND mode = 'pair' AND judged > 0 ORDER BY player_id",
        /USING INDEX sqlite_autoindex_player_model_stats_1/,
      ],
      [
        "SELECT * FROM judgments j JOIN rounds r ON r.id = j.round_id WHERE j.id > 5 AND j.id <= 9",
        /rowid>\? AND rowid<\?/,
      ],
      [
        "SELECT * FROM fake_face_stats WHERE shown >= 5 ORDER BY (judged_real * 1.0 / shown) DESC, shown DESC LIMIT 10",
        /fake_face_stats_convincing/,
      ],
      [
        "SELECT * FROM real_face_stats WHERE shown >= 5 ORDER BY (judged_fake * 1.0 / shown) DESC, shown DESC LIMIT 10",
        /real_face_stats_doubted/,
      ],
      [
        "SELECT nickname, judged, correct FROM players WHERE nickname IS NOT NULL AND judged >= 20 ORDER BY (correct * 1.0 / judged) DESC, judged DESC LIMIT 10",
        /players_detectors/,
      ],
    ];
    for (const [query, index] of plans) {
      const plan = await database.db.all<{ detail: string }>(sql.raw(`EXPLAIN QUERY PLAN ${query}`));
      expect(plan.map((step) => step.detail).join(" | "), query).toMatch(index);
    }
  });
});
