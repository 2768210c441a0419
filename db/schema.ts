/**
 * The game's tables. Raw facts (players, rounds, judgments) are the record; the three `*_stats` tables
 * (and players' totals) are running sums of those facts, which `foldJudgments` (src/server/stats/) brings
 * up to date about once a second, folding each judgment in exactly once (`sums_cursor` says how far it
 * got). The leaderboard reads only the sums, so its cost does not grow with the judgments.
 * `rebuildAggregates` recomputes the sums from the facts to check them.
 *
 * Times are epoch milliseconds (integers): they compare cheaply in SQL and mean the same on every backend.
 */
import { sql } from "drizzle-orm";
import { index, integer, primaryKey, real, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";

// The game's vocabulary and rules live above this layer, which may not import them: a round's `mode` is one
// of src/core/round-modes.ts's ROUND_MODES and its `policy` one of src/core/sampling-policy.ts's SAMPLING_POLICIES,
// stored as plain text (drizzle's text enums were only ever a type: SQLite has no such column, and no CHECK
// was made). The server writes them from its typed values and narrows what it reads back.
//
// The leaderboard's lists read only rows past its minimums (src/server/stats/minimums.ts), so their partial
// indexes below hold only those rows. SQLite uses a partial index only for a query that repeats the index's
// condition, so the numbers in these conditions are the minimums' values, fixed by the migrations that made
// the indexes; src/server/stats/statistics.test.ts fails if the leaderboard's queries stop using them.

/** What a slot showed. Pair rounds show one of each; single and timed rounds show one face. */
export type SlotSource = "real" | "fake";

/** Why a kept judgment is left out of the statistics (null: it counts). */
export const EXCLUSION_REASONS = ["too_fast", "rate_limited"] as const;
export type ExclusionReason = (typeof EXCLUSION_REASONS)[number];

export const players = sqliteTable(
  "players",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    /** SHA-256 of the cookie's secret: a leaked database does not let anyone act as a player. */
    tokenHash: text("token_hash").notNull(),
    nickname: text("nickname"),
    /** HYPE-time staircase state for timed rounds, kept server-side so the client cannot choose it. */
    exposureMs: integer("exposure_ms").notNull(),
    correctStreak: integer("correct_streak").notNull().default(0),
    /** Included judgments and how many were right (for the best-detectors list). */
    judged: integer("judged").notNull().default(0),
    correct: integer("correct").notNull().default(0),
    createdAt: integer("created_at").notNull(),
  },
  (t) => [
    uniqueIndex("players_token_hash").on(t.tokenHash),
    // Serves the best-detectors query, which repeats this expression and condition literally.
    index("players_detectors")
      .on(sql`(${t.correct} * 1.0 / ${t.judged}) DESC`, sql`${t.judged} DESC`)
      .where(sql`${t.nickname} IS NOT NULL AND ${t.judged} >= 20`),
  ],
);

/** What a round is, whether in play (`rounds`) or archived unanswered (`expired_rounds`). */
const roundColumns = () => ({
  /** Random 128-bit id (base64url): unguessable, so it also names the round's real-face URL. */
  id: text("id").primaryKey(),
  playerId: integer("player_id")
    .notNull()
    .references(() => players.id),
  mode: text("mode").notNull(),
  /** The rotation's pick; single/timed rounds that show a real face still count towards this version. */
  modelVersion: text("model_version").notNull(),
  /** The fake's latent seed (uint32) and truncation; null seed when the round shows no fake. */
  seed: integer("seed"),
  truncation: real("truncation"),
  /** The quiz pool's opaque id of the real face shown, if any. */
  realFaceId: text("real_face_id"),
  /** What each slot shows, by slot index. */
  slots: text("slots", { mode: "json" }).$type<SlotSource[]>().notNull(),
  /** Timed rounds: how long the face is shown. */
  exposureMs: integer("exposure_ms"),
  createdAt: integer("created_at").notNull(),
  expiresAt: integer("expires_at").notNull(),
});

export const rounds = sqliteTable(
  "rounds",
  {
    ...roundColumns(),
    /**
     * How the fake was sampled, drawn with the version before the slots: rounds that show only a real face
     * carry one too, so each policy's error on reals and HYPE∞ are measured on their own share of rounds.
     */
    policy: text("policy").notNull().default("random"),
    /** Set by a trigger on judgments when the round's one judgment is recorded. */
    answeredAt: integer("answered_at"),
  },
  (t) => [
    // A player's latest rounds: what a server that has not seen the player yet reads to avoid repeats.
    index("rounds_player_recent").on(t.playerId, t.createdAt),
    // The unanswered rounds by expiry: what the scheduled clean-up (src/server/upkeep/) moves to
    // expired_rounds. Partial, so it holds only the rounds in play and those waiting to be moved.
    index("rounds_unanswered_expiry").on(t.expiresAt).where(sql`${t.answeredAt} IS NULL`),
  ],
);

/**
 * Rounds that expired unanswered, moved out of `rounds` by the scheduled clean-up once even their face URL
 * has lapsed (src/server/upkeep/archive-expired-rounds.ts). No statistic reads them (every statistic starts
 * from a judgment, and these have none), but they are the record of what was shown and never judged, which
 * a study of abandoned rounds would need: moved, not deleted. Same columns as `rounds`, less `answered_at`.
 */
export const expiredRounds = sqliteTable("expired_rounds", {
  ...roundColumns(),
  policy: text("policy").notNull(),
});

export const judgments = sqliteTable(
  "judgments",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    roundId: text("round_id")
      .notNull()
      .references(() => rounds.id),
    playerId: integer("player_id")
      .notNull()
      .references(() => players.id),
    modelVersion: text("model_version").notNull(),
    mode: text("mode").notNull(),
    /** Pair rounds: the slot the player called real. */
    choice: integer("choice"),
    /** Single/timed rounds: the player's verdict on the one face. */
    verdict: text("verdict", { enum: ["real", "fake"] }),
    correct: integer("correct", { mode: "boolean" }).notNull(),
    /** A fake was called real (pair: the fake was chosen; single/timed: a fake judged real). */
    fooled: integer("fooled", { mode: "boolean" }).notNull(),
    /** The response time the client measured, if it sent one (untrusted, used only to exclude). */
    responseMs: integer("response_ms"),
    /** Time from the round's creation to this answer, measured by the server. */
    elapsedMs: integer("elapsed_ms").notNull(),
    excluded: text("excluded", { enum: EXCLUSION_REASONS }),
    createdAt: integer("created_at").notNull(),
  },
  // One judgment per round, enforced by the database as well as by the round's answer guard.
  (t) => [uniqueIndex("judgments_round").on(t.roundId)],
);

/**
 * Running sums per (model version, mode, policy, player): the bootstrap over players reads exactly these
 * rows.
 */
export const playerModelStats = sqliteTable(
  "player_model_stats",
  {
    modelVersion: text("model_version").notNull(),
    mode: text("mode").notNull(),
    policy: text("policy").notNull().default("random"),
    playerId: integer("player_id")
      .notNull()
      .references(() => players.id),
    judged: integer("judged").notNull().default(0),
    correct: integer("correct").notNull().default(0),
    fakesShown: integer("fakes_shown").notNull().default(0),
    fakesJudgedReal: integer("fakes_judged_real").notNull().default(0),
    realsShown: integer("reals_shown").notNull().default(0),
    realsJudgedFake: integer("reals_judged_fake").notNull().default(0),
    excludedTooFast: integer("excluded_too_fast").notNull().default(0),
    excludedRateLimited: integer("excluded_rate_limited").notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.modelVersion, t.mode, t.policy, t.playerId] })],
);

/**
 * Running sums per fake face and the policy that drew it: a random round's replay must draw only fakes
 * that random sampling produced, or the random policy would inherit curated fakes. Truncation is part of the key and stored as 0 for "none" (noise.ts only
 * accepts truncations > 0, so 0 is unambiguous) because SQLite treats NULLs in a key as all distinct.
 */
export const fakeFaceStats = sqliteTable(
  "fake_face_stats",
  {
    modelVersion: text("model_version").notNull(),
    policy: text("policy").notNull().default("random"),
    seed: integer("seed").notNull(),
    truncationKey: real("truncation_key").notNull(),
    shown: integer("shown").notNull().default(0),
    judgedReal: integer("judged_real").notNull().default(0),
  },
  (t) => [
    primaryKey({ columns: [t.modelVersion, t.policy, t.seed, t.truncationKey] }),
    index("fake_face_stats_convincing")
      .on(sql`(${t.judgedReal} * 1.0 / ${t.shown}) DESC`, sql`${t.shown} DESC`)
      .where(sql`${t.shown} >= 5`),
  ],
);

/** Running sums per real face of the quiz pool. */
export const realFaceStats = sqliteTable(
  "real_face_stats",
  {
    faceId: text("face_id").primaryKey(),
    shown: integer("shown").notNull().default(0),
    judgedFake: integer("judged_fake").notNull().default(0),
  },
  (t) => [
    index("real_face_stats_doubted")
      .on(sql`(${t.judgedFake} * 1.0 / ${t.shown}) DESC`, sql`${t.shown} DESC`)
      .where(sql`${t.shown} >= 5`),
  ],
);

/**
 * How far the running sums have folded in the judgments (ids are assigned in commit order, so "every id up
 * to here" is a consistent cut). The token names the fold that last moved it: the rest of that fold's
 * writes are conditioned on it, so two servers folding at once cannot both count a judgment.
 */
export const sumsCursor = sqliteTable("sums_cursor", {
  id: integer("id").primaryKey(),
  foldedThrough: integer("folded_through").notNull(),
  token: text("token"),
});

/**
 * Server-side secrets shared by every app server, created on first use. `pseudonym`: the key that turns
 * player ids into the open-data export's pseudonyms (src/server/export/pseudonyms.ts); without it nobody
 * can link an exported pseudonym to a player, and it never leaves the database.
 */
export const secrets = sqliteTable("secrets", {
  name: text("name").primaryKey(),
  value: text("value").notNull(),
});

/**
 * The rate limits' token buckets, one row per (rule, client), shared by every app server on the database so
 * a client spread over N servers still gets one allowance (src/server/http/rate-limiter.ts). A row that
 * has refilled and is no longer flagged behaves exactly like a missing one, so the scheduled clean-up
 * deletes such rows and the table holds only the clients of the last few minutes.
 */
export const rateBuckets = sqliteTable(
  "rate_buckets",
  {
    /** Which limit: rounds, answers, new_players, exports (src/server/http/rate-limits.ts). */
    rule: text("rule").notNull(),
    /** A player id, or "address:<ip>" (see the routes). */
    client: text("client").notNull(),
    tokens: real("tokens").notNull(),
    updatedAt: integer("updated_at").notNull(),
    /** Until when the client counts as refused lately (its answers are kept out of the statistics). */
    flaggedUntil: integer("flagged_until").notNull(),
    /** Whether the last take got a token: what the take's RETURNING reports. */
    taken: integer("taken", { mode: "boolean" }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.rule, t.client] })],
);
