/**
 * The leaderboard's numbers against a hand-computed fixture. Judgments go in through the real scoring path
 * (answerRound) on both databases, under both sampling policies; point estimates are checked against
 * fractions worked out by hand, and the interval bounds against a reference bootstrap written separately
 * below, which works from the raw judgment rows (not the running sums) with the same seeded stream.
 * Everything must agree within 1e-9. The site's own queries (not copies) must be answered from indexes.
 */
import { type SQL, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "../../../db/client.ts";
import { expiredRounds, players, rounds, type SlotSource } from "../../../db/schema.ts";
import { resetDatabase, testBackends } from "../../../db/testing/backends.ts";
import { seededUniform } from "../../core/noise.ts";
import type { RoundMode } from "../../core/round-modes.ts";
import type { SamplingPolicy } from "../../core/sampling-policy.ts";
import { judgmentsCsv } from "../export/judgments-csv.ts";
import { playerByTokenQuery } from "../players/players.ts";
import { answerRound, roundByIdQuery } from "../rounds/answer-round.ts";
import { seededRandomness } from "../rounds/randomness.ts";
import { replayRangeQuery } from "../rounds/replay-sample.ts";
import { FACE_URL_GRACE_MS } from "../rounds/rules.ts";
import { latestRoundsQuery } from "../rounds/seen-faces.ts";
import { archiveExpiredRounds } from "../upkeep/archive-expired-rounds.ts";
import { foldJudgments, foldStatements } from "./fold-judgments.ts";
import {
  computeLeaderboard,
  LEADERBOARD_QUERIES,
  type Leaderboard,
  type ModelRow,
  readPlayerSums,
} from "./leaderboard.ts";
import type { Metric } from "./model-stats.ts";
import { groupSeed } from "./model-stats.ts";
import { aggregateSnapshot, rebuildAggregates } from "./rebuild-aggregates.ts";

const T0 = Date.UTC(2026, 0, 1);
const RESAMPLES = 500;

interface Judgment {
  readonly shown: SlotSource;
  readonly verdict: "real" | "fake";
  readonly seed?: number;
  readonly faceId?: string;
  readonly exclusion?: "too_fast" | "rate_limited";
  readonly policy?: SamplingPolicy;
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

/**
 * The same five players, model "m1", single mode, on curated fakes (and on the real faces of curated
 * rounds):
 *   player  fakes  judged real   reals  judged fake
 *   P1        6        4           6        1
 *   P2        6        3           6        0
 *   P3        8        5           4        1
 *   P4        4        3           8        2
 *   P5        6        2           6        2
 *   total    30       17          30        6
 * fool-rate 17/30, error on reals 6/30, HYPE∞ 23/60.
 */
const CURATED_FIXTURE: Judgment[][] = [
  singleRounds(6, 4, 6, 1),
  singleRounds(6, 3, 6, 0),
  singleRounds(8, 5, 4, 1),
  singleRounds(4, 3, 8, 2),
  singleRounds(6, 2, 6, 2),
].map((judgments) => judgments.map((j) => ({ ...j, policy: "curated" as const })));

/**
 * Best detectors, pair mode on model "m3": (nickname, counted rounds, right). Expected order: accuracy
 * first, then more rounds; D5 has too few rounds and the nameless player no nickname, so both stay off.
 */
const DETECTORS: readonly [string | null, number, number][] = [
  ["D1", 30, 27],
  ["D2", 25, 20],
  ["D3", 20, 19],
  ["D4", 40, 30],
  ["D5", 19, 19],
  [null, 30, 30],
  ["D7", 40, 36],
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

  async function record(playerId: number, mode: "pair" | "single", judgment: Judgment, model?: string): Promise<void> {
    const id = `r${String(roundCounter++).padStart(6, "0")}`;
    const slots: SlotSource[] = mode === "pair" ? ["real", "fake"] : [judgment.shown];
    const showsFake = slots.includes("fake");
    await database.db.insert(rounds).values({
      id,
      playerId,
      mode,
      modelVersion: model ?? (mode === "pair" ? "m2" : "m1"),
      policy: judgment.policy ?? "random",
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
    // No nicknames: the best-detectors list is tested with players of its own below.
    for (let p = 0; p < SINGLE_FIXTURE.length; p++) playerIds.push(await newPlayer(null));
    for (const [p, judgments] of SINGLE_FIXTURE.entries()) {
      for (const judgment of judgments) await record(playerIds[p] as number, "single", judgment);
    }
    for (const [p, judgments] of CURATED_FIXTURE.entries()) {
      for (const judgment of judgments) await record(playerIds[p] as number, "single", judgment);
    }
    for (const [nickname, counted, right] of DETECTORS) {
      const player = await newPlayer(nickname);
      for (let i = 0; i < counted; i++) {
        // Slot 0 is real: verdict "real" picks it. Plus one too-fast answer each, which must not count.
        const faceId = `d${String(roundCounter).padStart(19, "0")}`;
        await record(player, "pair", { shown: "fake", verdict: i < right ? "real" : "fake", faceId }, "m3");
      }
      await record(player, "pair", { shown: "fake", verdict: "real", exclusion: "too_fast" }, "m3");
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

  const row = (model: string, mode: string, policy: SamplingPolicy = "random") =>
    board.models.find((r) => r.model === model && r.mode === mode && r.policy === policy) as ModelRow;

  it("counts rounds, players and exclusions per model, mode and policy", () => {
    expect(board.models.map((r) => [r.model, r.mode, r.policy, r.rounds, r.players, r.excluded])).toEqual([
      ["m1", "single", "curated", 60, 5, 0],
      ["m1", "single", "random", 68, 5, 3],
      ["m2", "pair", "random", 6, 3, 0],
      ["m3", "pair", "random", 204, 7, 7],
    ]);
    expect(board.excluded).toEqual({ total: 10, tooFast: 9, rateLimited: 1 });
  });

  it("matches the hand-computed point estimates of each policy", () => {
    const single = row("m1", "single");
    expect(single.foolRate.estimate).toBeCloseTo(13 / 34, 12);
    expect(single.errorOnReals?.estimate).toBeCloseTo(7 / 34, 12);
    expect(single.hype?.estimate).toBeCloseTo(20 / 68, 12);
    expect(single.foolRate.judgments).toBe(34);
    expect(single.errorOnReals?.judgments).toBe(34);
    expect(single.hype?.judgments).toBe(68);
    const curated = row("m1", "single", "curated");
    expect(curated.foolRate.estimate).toBeCloseTo(17 / 30, 12);
    expect(curated.errorOnReals?.estimate).toBeCloseTo(6 / 30, 12);
    expect(curated.hype?.estimate).toBeCloseTo(23 / 60, 12);
    expect(curated.hype?.judgments).toBe(60);
  });

  it.each(["random", "curated"] as const)(
    "matches a reference bootstrap over players from the raw %s judgments, within 1e-9",
    async (policy) => {
      const raw = await database.db.all<RawJudgment>(sql`
      SELECT j.player_id, r.seed IS NOT NULL AS shown_fake, j.verdict = 'real' AS called_real
      FROM judgments j JOIN rounds r ON r.id = j.round_id
      WHERE j.model_version = 'm1' AND j.mode = 'single' AND r.policy = ${policy} AND j.excluded IS NULL
      ORDER BY j.id`);
      const byPlayer = playerIds.map((id) =>
        raw
          .filter((j) => Number(j.player_id) === id)
          .map((j) => ({
            player_id: Number(j.player_id),
            shown_fake: Number(j.shown_fake),
            called_real: Number(j.called_real),
          })),
      );
      const seed = groupSeed("m1", "single", policy);
      const single = row("m1", "single", policy);
      expectMetric(single.foolRate, referenceInterval(byPlayer, seed, fakesJudgedReal));
      expectMetric(single.errorOnReals, referenceInterval(byPlayer, seed, realsJudgedFake));
      expectMetric(single.hype, referenceInterval(byPlayer, seed, allErrors));
      const fool = single.foolRate;
      if (fool.estimate === null) throw new Error("fool-rate missing");
      expect(fool.low).toBeLessThan(fool.estimate);
      expect(fool.high).toBeGreaterThan(fool.estimate);
    },
  );

  it("says 'not enough data yet' below the minimum of players, and n/a for pair-only metrics", () => {
    const pair = row("m2", "pair");
    expect(pair.foolRate).toEqual({ estimate: null, note: "not enough data yet", judgments: 6, players: 3 });
    expect(pair.errorOnReals).toBeNull();
    expect(pair.hype).toBeNull();
  });

  it("lists the most convincing fakes and most doubted reals only past the minimum of views", () => {
    expect(board.convincingFakes).toEqual([
      { model: "m2", policy: "random", seed: 111, truncation: 0.7, shown: 5, judgedReal: 4, rate: 0.8 },
    ]);
    expect(board.doubtedReals).toEqual([
      { url: "/api/faces/pool/f1111111111111111111", shown: 6, judgedFake: 4, rate: 4 / 6 },
      // The single rounds' real face: 34 random rounds (7 called fake) and 30 curated ones (6).
      { url: "/api/faces/pool/f0000000000000000000", shown: 64, judgedFake: 13, rate: 13 / 64 },
    ]);
  });

  it("ranks detectors with a nickname and enough counted rounds by accuracy, then by rounds", () => {
    // Expected from DETECTORS: D3 0.95, D7 0.9 over 40, D1 0.9 over 30, D2 0.8, D4 0.75.
    const expected = DETECTORS.filter(([nickname, counted]) => nickname !== null && counted >= 20)
      .map(([nickname, rounds, correct]) => ({ nickname, rounds, correct, accuracy: correct / rounds }))
      .sort((a, b) => b.accuracy - a.accuracy || b.rounds - a.rounds);
    expect(expected.map((d) => d.nickname)).toEqual(["D3", "D7", "D1", "D2", "D4"]);
    expect(board.detectors).toEqual(expected);
  });

  // Before the query-plan test: on the embedded file, a write transaction after its EXPLAINs failed with
  // "SQL statements in progress" (an EXPLAIN statement left open by the driver; not understood yet).
  it("keeps every number when expired, unanswered rounds move to the archive", async () => {
    // Abandoned rounds of the fixture's players, of every kind the statistics group by.
    const abandoned: (typeof rounds.$inferInsert)[] = [];
    for (const [i, playerId] of playerIds.entries()) {
      const kinds: [RoundMode, string, SamplingPolicy, SlotSource[]][] = [
        ["single", "m1", "random", ["fake"]],
        ["single", "m1", "curated", ["real"]],
        ["pair", "m2", "random", ["real", "fake"]],
        ["timed", "m1", "random", ["fake"]],
      ];
      for (const [mode, model, policy, slots] of kinds) {
        abandoned.push({
          id: `abandoned-${i}-${mode}-${policy}`,
          playerId,
          mode,
          modelVersion: model,
          policy,
          seed: slots.includes("fake") ? 111 : null,
          truncation: slots.includes("fake") ? 0.7 : null,
          realFaceId: slots.includes("real") ? "f1111111111111111111" : null,
          slots,
          exposureMs: mode === "timed" ? 500 : null,
          createdAt: T0 + 10_000,
          expiresAt: T0 + 70_000,
        });
      }
    }
    await database.db.insert(rounds).values(abandoned);
    const db = database.db;
    const csv = async () => {
      let text = "";
      for await (const chunk of judgmentsCsv(db, "a fixed key")) text += chunk;
      return text;
    };
    const measure = async () => {
      await foldJudgments(db, seededRandomness(1));
      // Every number; generatedAt is when it was computed, which moves by itself.
      const { generatedAt: _, ...numbers } = await computeLeaderboard(db, () => "active", { resamples: RESAMPLES });
      return {
        board: numbers,
        sums: await aggregateSnapshot(db),
        csv: await csv(),
      };
    };
    const before = await measure();
    const [judged] = await db.all<{ n: number }>(sql`SELECT count(*) AS n FROM judgments`);

    const result = await archiveExpiredRounds(database.client, T0 + 70_000 + FACE_URL_GRACE_MS + 1, { batch: 7 });
    expect(result).toEqual({ moved: abandoned.length, more: false });
    const [left] = await db.all<{ n: number }>(sql`SELECT count(*) AS n FROM rounds`);
    expect(Number(left?.n)).toBe(Number(judged?.n));
    const archived = await db.select().from(expiredRounds).orderBy(expiredRounds.id);
    expect(archived).toEqual([...abandoned].sort((a, b) => (a.id < b.id ? -1 : 1)));

    const after = await measure();
    expect(after.board).toEqual(before.board);
    expect(after.csv).toBe(before.csv);
    expect(after.sums).toEqual(before.sums);
    // The sums recomputed from the facts that are left are the same sums: nothing they need moved.
    await rebuildAggregates(db);
    expect(await aggregateSnapshot(db)).toEqual(before.sums);
  });

  it("answers the site's own queries from indexes", async () => {
    const db = database.db;
    // The statements as the site runs them (drizzle builders and SQL objects), never copies.
    const queries: [string, SQL, RegExp][] = [
      ["round by id", builderSql(roundByIdQuery(db, "x")), /USING INDEX sqlite_autoindex_rounds_1/],
      ["player by token", builderSql(playerByTokenQuery(db, "x")), /USING (COVERING )?INDEX players_token_hash/],
      [
        "a player's latest rounds",
        builderSql(latestRoundsQuery(db, 1)),
        /SEARCH rounds USING INDEX rounds_player_recent \(player_id=\?\)/,
      ],
      [
        "replay sample",
        builderSql(replayRangeQuery(db, "v", 1, 9, 5)),
        /USING (COVERING )?INDEX sqlite_autoindex_fake_face_stats_1 \(model_version=\? AND policy=\? AND seed>\? AND seed<\?\)/,
      ],
      [
        "a group's players",
        builderSql(readPlayerSums(db, "v", "pair", "random")),
        /USING INDEX sqlite_autoindex_player_model_stats_1 \(model_version=\? AND mode=\? AND policy=\?\)/,
      ],
      [
        "groups",
        LEADERBOARD_QUERIES.groups,
        /SCAN player_model_stats USING INDEX sqlite_autoindex_player_model_stats_1/,
      ],
      ["convincing fakes", LEADERBOARD_QUERIES.convincingFakes, /fake_face_stats_convincing/],
      ["doubted reals", LEADERBOARD_QUERIES.doubtedReals, /real_face_stats_doubted/],
      ["detectors", LEADERBOARD_QUERIES.detectors, /players_detectors/],
      ...foldStatements(5, 9, "token")
        .slice(1)
        .map((statement, i): [string, SQL, RegExp] => [
          `fold ${i + 1}`,
          statement,
          /SEARCH j USING INTEGER PRIMARY KEY \(rowid>\? AND rowid<\?\)/,
        ]),
    ];
    // The clean-up's pick of rounds to archive reads only the unanswered ones, by expiry.
    queries.push([
      "expired, unanswered rounds",
      sql`SELECT id FROM rounds WHERE answered_at IS NULL AND expires_at < ${T0}
        AND NOT EXISTS (SELECT 1 FROM judgments j WHERE j.round_id = rounds.id) ORDER BY expires_at LIMIT 500`,
      /SEARCH rounds USING INDEX rounds_unanswered_expiry \(expires_at<\?\)/,
    ]);
    for (const [name, query, index] of queries) {
      const plan = await db.all<{ detail: string }>(sql`EXPLAIN QUERY PLAN ${query}`);
      const steps = plan.map((step) => step.detail).join(" | ");
      expect(steps, name).toMatch(index);
      // A sort or a full scan of a growing table would make the statement slower as the game goes on.
      expect(steps, name).not.toMatch(/USE TEMP B-TREE FOR ORDER BY|SCAN (rounds|judgments|r|j)\b(?! USING)/);
    }
  });
});

/** A drizzle query builder's statement as an SQL object, parameters included. */
function builderSql(builder: { toSQL(): { sql: string; params: unknown[] } }): SQL {
  const { sql: text, params } = builder.toSQL();
  const parts = text.split("?");
  return sql.join(parts.map((part, i) => (i < params.length ? sql`${sql.raw(part)}${params[i]}` : sql.raw(part))));
}
