/**
 * Players: anonymous, created on their first round, known by their cookie's token. A token maps to one
 * player forever, so the mapping is cached in memory (bounded), which saves a query on every request.
 */
import { eq } from "drizzle-orm";
import type { Db } from "../../../db/client.ts";
import { players } from "../../../db/schema.ts";
import { STAIRCASE } from "../rounds/exposure.ts";
import { hashToken, newPlayerToken } from "./player-cookie.ts";

const CACHE_LIMIT = 100_000;

export interface PlayerProfile {
  readonly nickname: string | null;
  readonly judged: number;
  readonly correct: number;
  readonly exposureMs: number;
}

/** A player by their cookie's hash (the unique index players_token_hash); exported for the query-plan test. */
export function playerByTokenQuery(db: Db, tokenHash: string) {
  return db.select({ id: players.id }).from(players).where(eq(players.tokenHash, tokenHash));
}

export class PlayerDirectory {
  readonly #idByToken = new Map<string, number>();

  constructor(readonly db: Db) {}

  async find(token: string | null): Promise<number | null> {
    if (token === null) return null;
    const cached = this.#idByToken.get(token);
    if (cached !== undefined) return cached;
    const [row] = await playerByTokenQuery(this.db, hashToken(token));
    if (row) this.#remember(token, row.id);
    return row?.id ?? null;
  }

  async create(now = Date.now()): Promise<{ id: number; token: string }> {
    const token = newPlayerToken();
    const [row] = await this.db
      .insert(players)
      .values({ tokenHash: hashToken(token), exposureMs: STAIRCASE.initialMs, createdAt: now })
      .returning({ id: players.id });
    if (!row) throw new Error("player insert returned no row");
    this.#remember(token, row.id);
    return { id: row.id, token };
  }

  async setNickname(id: number, nickname: string): Promise<void> {
    await this.db.update(players).set({ nickname }).where(eq(players.id, id));
  }

  async profile(id: number): Promise<PlayerProfile | null> {
    const [row] = await this.db
      .select({
        nickname: players.nickname,
        judged: players.judged,
        correct: players.correct,
        exposureMs: players.exposureMs,
      })
      .from(players)
      .where(eq(players.id, id));
    return row ?? null;
  }

  #remember(token: string, id: number): void {
    // Oldest first out: Map iterates in insertion order.
    if (this.#idByToken.size >= CACHE_LIMIT) {
      const oldest = this.#idByToken.keys().next().value;
      if (oldest !== undefined) this.#idByToken.delete(oldest);
    }
    this.#idByToken.set(token, id);
  }
}
