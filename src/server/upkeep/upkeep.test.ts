/**
 * The scheduled clean-up against real databases (an embedded file and a sqld server): which rounds move to
 * the archive and when, what answering a moved round says, two servers cleaning at once, and one pass of
 * the whole upkeep (archive, idle rate-limit buckets, the memory of expired rounds).
 */
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { Database } from "../../../db/client.ts";
import { expiredRounds, rounds } from "../../../db/schema.ts";
import { resetDatabase, testBackends } from "../../../db/testing/backends.ts";
import { ApiError } from "../../core/api-error.ts";
import type { RoundMode } from "../../core/round-modes.ts";
import { RateLimits } from "../http/rate-limits.ts";
import { PlayerDirectory } from "../players/players.ts";
import { answerRound } from "../rounds/answer-round.ts";
import { RecentRounds, type RoundRow } from "../rounds/recent-rounds.ts";
import { FACE_URL_GRACE_MS, ROUND_TTL_MS } from "../rounds/rules.ts";
import { archiveExpiredRounds } from "./archive-expired-rounds.ts";
import { Upkeep } from "./upkeep.ts";

const T0 = Date.UTC(2026, 0, 1);

describe.each(testBackends())("clean-up on $name", (backend) => {
  let database: Database;
  let other: Database;
  let player: number;
  let stranger: number;

  beforeAll(async () => {
    database = await backend.open();
    other = await backend.another();
  });
  afterAll(() => backend.close());
  beforeEach(async () => {
    await resetDatabase(database);
    const directory = new PlayerDirectory(database.db);
    player = (await directory.create(T0)).id;
    stranger = (await directory.create(T0)).id;
  });

  function round(id: string, mode: RoundMode, createdAt: number): RoundRow {
    return {
      id,
      playerId: player,
      mode,
      modelVersion: "v1",
      policy: "random",
      seed: 7,
      truncation: 0.7,
      realFaceId: mode === "pair" ? "face-1" : null,
      slots: mode === "pair" ? ["real", "fake"] : ["fake"],
      exposureMs: mode === "timed" ? 500 : null,
      createdAt,
      expiresAt: createdAt + ROUND_TTL_MS[mode],
      answeredAt: null,
    };
  }

  const ids = async (table: typeof rounds | typeof expiredRounds) =>
    (await database.db.select({ id: table.id }).from(table).orderBy(table.id)).map((row) => row.id);

  async function answer(id: string, playerId: number, now: number): Promise<number | string> {
    try {
      await answerRound(database, { roundId: id, playerId, body: { choice: 0 }, rateLimited: false, now });
      return 200;
    } catch (error) {
      if (error instanceof ApiError) return error.status;
      throw error;
    }
  }

  it("moves rounds that expired unanswered once their face URL has lapsed, and keeps the rest", async () => {
    const made = [round("answered", "pair", T0), round("pair", "pair", T0), round("timed", "timed", T0)];
    made.push(round("recent", "pair", T0 + 60 * 60_000));
    await database.db.insert(rounds).values(made);
    expect(await answer("answered", player, T0 + 2_000)).toBe(200);

    // The timed round expired first (1 min); the pair rounds' grace runs until 5 min + the face URL grace.
    const pairGone = T0 + ROUND_TTL_MS.pair + FACE_URL_GRACE_MS;
    expect(await archiveExpiredRounds(database.client, pairGone)).toEqual({ moved: 1, more: false });
    expect(await ids(expiredRounds)).toEqual(["timed"]);
    expect(await archiveExpiredRounds(database.client, pairGone + 1)).toEqual({ moved: 1, more: false });
    expect(await ids(rounds)).toEqual(["answered", "recent"]);
    expect(await ids(expiredRounds)).toEqual(["pair", "timed"]);
    // Moved whole: the archive holds the round as it was made.
    const [moved] = await database.db.select().from(expiredRounds).where(sql`id = 'pair'`);
    const { answeredAt: _, ...asMade } = made[1] as RoundRow;
    expect(moved).toEqual(asMade);

    // Answering a moved round says what it said before the move: expired (410), or someone else's (403).
    expect(await answer("pair", player, pairGone + 2)).toBe(410);
    expect(await answer("pair", stranger, pairGone + 2)).toBe(403);
    expect(await answer("never-made", player, pairGone + 2)).toBe(404);
    expect(await answer("answered", player, pairGone + 2)).toBe(409);
  });

  it("moves a backlog in batches, and two servers cleaning at once move each round exactly once", async () => {
    const backlog = Array.from({ length: 23 }, (_, i) => round(`r${String(i).padStart(2, "0")}`, "single", T0 + i));
    await database.db.insert(rounds).values(backlog);
    const late = T0 + ROUND_TTL_MS.single + FACE_URL_GRACE_MS + 1_000;
    expect(await archiveExpiredRounds(database.client, late, { batch: 5, maxBatches: 2 })).toEqual({
      moved: 10,
      more: true,
    });
    const [a, b] = await Promise.all([
      archiveExpiredRounds(database.client, late, { batch: 2 }),
      archiveExpiredRounds(other.client, late, { batch: 2 }),
    ]);
    expect((a?.moved ?? 0) + (b?.moved ?? 0)).toBe(13);
    expect(await ids(rounds)).toEqual([]);
    expect(await ids(expiredRounds)).toEqual(backlog.map((r) => r.id));
  });

  it("runs the whole upkeep: archive, idle rate-limit buckets, and the memory of expired rounds", async () => {
    const limits = new RateLimits(database.writes);
    const recent = new RecentRounds();
    const old = round("old", "timed", T0);
    const fresh = round("fresh", "pair", T0 + 4 * 60 * 60_000);
    await database.db.insert(rounds).values([old, fresh]);
    recent.remember(old);
    recent.remember(fresh);
    await limits.rounds.take(String(player), fresh.createdAt);
    await limits.answers.take(String(player), T0);
    const upkeep = new Upkeep(database.client, limits.all(), recent);
    // The rounds bucket refills 1 token at 2/s: idle from 0.5 s after its take; the answers one long since.
    expect(await upkeep.run(fresh.createdAt + 100)).toEqual({
      roundsArchived: 1,
      bucketsDeleted: 1,
      roundsForgotten: 1,
    });
    expect(recent.get("old")).toBeUndefined();
    expect(recent.get("fresh")).toBeDefined();
    expect(await ids(expiredRounds)).toEqual(["old"]);
    const buckets = await database.db.all<{ rule: string }>(sql`SELECT rule FROM rate_buckets`);
    expect(buckets.map((b) => b.rule)).toEqual(["rounds"]);
  });
});
