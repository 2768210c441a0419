/**
 * What each player has been shown lately, so new rounds avoid it: no face twice within a game, and a
 * player who plays again soon meets mostly new faces. Kept in memory per process (no query on the round's
 * path); a player this process has not met yet (a restart, another app server, pushed out of memory) is
 * read once from their latest rounds in the database. Rounds another server makes for a player this one
 * already knows are not seen here: with several app servers, no-repeats holds per server unless the load
 * balancer keeps a player on one.
 */
import { desc, eq } from "drizzle-orm";
import type { Db } from "../../../db/client.ts";
import { rounds } from "../../../db/schema.ts";

/** Fakes remembered per player: fifty games' worth, so a replay is practically never one they judged. */
export const FAKE_MEMORY = 500;
/** Real faces remembered per player; with a smaller pool every face is shown before any comes back. */
export const REAL_MEMORY = 250;
/** Players remembered per process; ~1–8 KB each. Past this the least recently playing are forgotten. */
const PLAYER_LIMIT = 50_000;

/**
 * The last `capacity` items in a ring, searched linearly: a few hundred comparisons cost less than
 * keeping a hash set of them in step, and plain arrays keep a player's memory at a few kilobytes.
 */
export class RecentItems<T> {
  readonly #items: T[] = [];
  #next = 0;

  constructor(readonly capacity: number) {}

  add(item: T): void {
    if (this.#items.length < this.capacity) this.#items.push(item);
    else this.#items[this.#next] = item;
    this.#next = (this.#next + 1) % this.capacity;
  }

  /** How many items were added after this one was last (0: the latest); Infinity if it is not remembered. */
  age(item: T): number {
    const length = this.#items.length;
    for (let back = 1; back <= length; back++) {
      if (this.#items[(this.#next - back + length) % length] === item) return back - 1;
    }
    return Number.POSITIVE_INFINITY;
  }
}

/** One number per fake face (version, seed, truncation): a seed's 32 bits above 20 bits of the rest's hash. */
export function fakeKey(version: string, seed: number, truncation: number | null): number {
  let hash = 0x811c9dc5;
  const label = `${version}\u0000${truncation ?? ""}`;
  for (let i = 0; i < label.length; i++) hash = Math.imul(hash ^ label.charCodeAt(i), 0x01000193);
  return (hash & 0xfffff) * 2 ** 32 + seed;
}

export class PlayerHistory {
  readonly fakes = new RecentItems<number>(FAKE_MEMORY);
  readonly reals = new RecentItems<string>(REAL_MEMORY);

  fakeAge(version: string, seed: number, truncation: number | null): number {
    return this.fakes.age(fakeKey(version, seed, truncation));
  }

  addFake(version: string, seed: number, truncation: number | null): void {
    this.fakes.add(fakeKey(version, seed, truncation));
  }
}

export class SeenFaces {
  readonly #players = new Map<number, PlayerHistory | Promise<PlayerHistory>>();

  constructor(readonly db: Db) {}

  /** The player's history: from memory, else read once from their latest rounds (shared by concurrent calls). */
  of(playerId: number): PlayerHistory | Promise<PlayerHistory> {
    const known = this.#players.get(playerId);
    if (known !== undefined) {
      // Most recently playing last, so the first key is the one to forget.
      this.#players.delete(playerId);
      this.#players.set(playerId, known);
      return known;
    }
    const loading = readHistory(this.db, playerId).then(
      (history) => {
        if (this.#players.get(playerId) === loading) this.#players.set(playerId, history);
        return history;
      },
      (error) => {
        this.#players.delete(playerId);
        throw error;
      },
    );
    this.#remember(playerId, loading);
    return loading;
  }

  /** A player created just now: an empty history, known without reading the database. */
  newPlayer(playerId: number): void {
    this.#remember(playerId, new PlayerHistory());
  }

  #remember(playerId: number, value: PlayerHistory | Promise<PlayerHistory>): void {
    if (this.#players.size >= PLAYER_LIMIT) {
      const oldest = this.#players.keys().next().value;
      if (oldest !== undefined) this.#players.delete(oldest);
    }
    this.#players.set(playerId, value);
  }
}

/** The player's latest rounds, newest first: an index range scan (rounds_player_recent). */
export function latestRoundsQuery(db: Db, playerId: number) {
  return db
    .select({
      modelVersion: rounds.modelVersion,
      seed: rounds.seed,
      truncation: rounds.truncation,
      realFaceId: rounds.realFaceId,
    })
    .from(rounds)
    .where(eq(rounds.playerId, playerId))
    .orderBy(desc(rounds.createdAt))
    .limit(FAKE_MEMORY);
}

async function readHistory(db: Db, playerId: number): Promise<PlayerHistory> {
  const history = new PlayerHistory();
  const latest = await latestRoundsQuery(db, playerId);
  for (const round of latest.reverse()) {
    if (round.seed !== null) history.addFake(round.modelVersion, round.seed, round.truncation);
    if (round.realFaceId !== null) history.reals.add(round.realFaceId);
  }
  return history;
}
