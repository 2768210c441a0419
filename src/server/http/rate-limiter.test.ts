/**
 * The shared token buckets against real databases (an embedded file and a sqld server): the bucket's
 * arithmetic, the flag, the clean-up of idle buckets, and one allowance for two app servers (two
 * connections to one database, each with its own group commit, as two processes have).
 */
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { Database } from "../../../db/client.ts";
import { resetDatabase, testBackends } from "../../../db/testing/backends.ts";
import { FLAG_WINDOW_MS, RateLimiter, type SqlCondition } from "./rate-limiter.ts";
import { RateLimits } from "./rate-limits.ts";

const T = 1_800_000_000_000;

describe.each(testBackends())("rate limits on $name", (backend) => {
  let database: Database;
  let other: Database;

  beforeAll(async () => {
    database = await backend.open();
    other = await backend.another();
  });
  afterAll(() => backend.close());
  beforeEach(() => resetDatabase(database));

  const oks = (takes: { ok: boolean }[]) => takes.map((take) => take.ok);
  /** Evaluates a "refused lately" condition as the answer's claim does, inside a statement. */
  const holds = async (on: Database, condition: SqlCondition) =>
    Number(
      (await on.client.execute({ sql: `SELECT ${condition.sql} AS yes`, args: [...condition.args] })).rows[0]?.yes,
    );

  it("allows a burst, refills at its rate, and flags a refused client for a while", async () => {
    const limiter = new RateLimiter(database.writes, "test", { perSecond: 2, burst: 3 });
    expect(oks([await limiter.take("a", T), await limiter.take("a", T), await limiter.take("a", T)])).toEqual([
      true,
      true,
      true,
    ]);
    const refused = (client: string, now: number) => holds(database, RateLimiter.refusedLately([limiter], client, now));
    expect(await refused("a", T)).toBe(0);
    expect(await limiter.take("a", T)).toEqual({ ok: false, retryAfterSeconds: 1 });
    expect(await limiter.take("b", T)).toEqual({ ok: true });
    expect([await refused("a", T), await refused("b", T)]).toEqual([1, 0]);
    // Half a second refills one token at 2/s; the client is still flagged from its refusal.
    expect(await limiter.take("a", T + 500)).toEqual({ ok: true });
    expect(await refused("a", T + 500)).toBe(1);
    expect((await limiter.take("a", T + 500)).ok).toBe(false);
    // The second refusal at T + 500 keeps it flagged a minute from then.
    expect(await refused("a", T + 500 + FLAG_WINDOW_MS - 1)).toBe(1);
    expect(await limiter.take("a", T + 500 + FLAG_WINDOW_MS)).toEqual({ ok: true });
    expect(await refused("a", T + 500 + FLAG_WINDOW_MS)).toBe(0);
  });

  it("never refills past the burst nor backwards for a lagging clock", async () => {
    const limiter = new RateLimiter(database.writes, "test", { perSecond: 1, burst: 2 });
    await limiter.take("a", T);
    await limiter.take("a", T);
    // Another server's clock 10 s behind: no refill, and the bucket does not go back in time.
    expect((await limiter.take("a", T - 10_000)).ok).toBe(false);
    // An hour later the bucket holds its burst, not 3,600 tokens.
    const later = [];
    for (let i = 0; i < 3; i++) later.push(await limiter.take("a", T + 3_600_000));
    expect(oks(later)).toEqual([true, true, false]);
  });

  it("gives two app servers one allowance between them, and carries the flag from one to the other", async () => {
    // Each connection has its own group commit: these are two processes' limiters on one database.
    const here = new RateLimits(database.writes);
    const there = new RateLimits(other.writes);
    const takes = [];
    // The production rule: a burst of 20 rounds per player. Alternate the servers, all at once.
    const pending = [];
    for (let i = 0; i < 40; i++) pending.push((i % 2 === 0 ? here : there).rounds.take("42", T));
    takes.push(...(await Promise.all(pending)));
    expect(takes.filter((take) => take.ok)).toHaveLength(20);
    // Refused by rounds (on either server): the player's next answer, on either server, is flagged.
    expect(await holds(other, there.answerFlag("42", T + 1_000))).toBe(1);
    expect(await holds(database, here.answerFlag("42", T + 1_000))).toBe(1);
    expect(await holds(database, here.answerFlag("43", T + 1_000))).toBe(0);
    // Refused answers flag the answers too.
    for (let i = 0; i < 21; i++) await here.answers.take("44", T);
    expect(await holds(other, there.answerFlag("44", T + 1_000))).toBe(1);
  });

  it("deletes only buckets that have refilled and are not flagged, which behave like no bucket", async () => {
    const limiter = new RateLimiter(database.writes, "test", { perSecond: 2, burst: 4 });
    for (let i = 0; i < 3; i++) await limiter.take("drained", T); // 1 token left: full again after 1.5 s
    await limiter.take("sipped", T); // 3 left: full after 0.5 s
    for (let i = 0; i < 5; i++) await limiter.take("refused", T); // flagged for a minute
    const rows = async () =>
      (await database.db.all<{ client: string }>(sql`SELECT client FROM rate_buckets ORDER BY client`)).map(
        (row) => row.client,
      );
    expect(await limiter.sweep(T + 499)).toBe(0);
    expect(await limiter.sweep(T + 500)).toBe(1);
    expect(await rows()).toEqual(["drained", "refused"]);
    expect(await limiter.sweep(T + 1_500)).toBe(1);
    expect(await rows()).toEqual(["refused"]);
    expect(await limiter.sweep(T + FLAG_WINDOW_MS - 1)).toBe(0);
    expect(await limiter.sweep(T + FLAG_WINDOW_MS)).toBe(1);
    // A swept client starts again with a full burst, as it would have from its old row.
    const again = [];
    for (let i = 0; i < 5; i++) again.push(await limiter.take("drained", T + FLAG_WINDOW_MS));
    expect(oks(again)).toEqual([true, true, true, true, false]);
  });
});
