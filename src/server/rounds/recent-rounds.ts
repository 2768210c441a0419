/**
 * The rounds this process made and that are still waiting for their answer, kept in memory so answering
 * one does not have to read it back from the database: most rounds are answered by the server that made
 * them, seconds later. Only a shortcut for reading: the claim itself is still checked atomically by the
 * database (answer-round.ts), and a round not found here (another server made it, this one restarted, or
 * it was pushed out) is simply read from the database.
 */
import type { rounds } from "../../../db/schema.ts";

export type RoundRow = typeof rounds.$inferSelect;

/** Far more than the rounds in flight at 1,000 rounds/s for a round's lifetime; ~300 bytes each. */
const LIMIT = 100_000;

export class RecentRounds {
  readonly #byId = new Map<string, RoundRow>();

  remember(round: RoundRow): void {
    // Oldest first out: a Map iterates in insertion order.
    if (this.#byId.size >= LIMIT) {
      const oldest = this.#byId.keys().next().value;
      if (oldest !== undefined) this.#byId.delete(oldest);
    }
    this.#byId.set(round.id, round);
  }

  /** The round as it was made (unanswered), if this process made it and it has not been answered here. */
  get(id: string): RoundRow | undefined {
    return this.#byId.get(id);
  }

  /** The round when this process made it for this player and it is still open: answering it needs no read. */
  answerable(id: string, playerId: number | null, now: number): RoundRow | undefined {
    const round = this.#byId.get(id);
    return round && round.playerId === playerId && now < round.expiresAt ? round : undefined;
  }

  forget(id: string): void {
    this.#byId.delete(id);
  }

  /**
   * Drops the rounds that expired (answering them is refused anyway, and their face URLs are read from the
   * database): the scheduled clean-up calls this, so abandoned rounds do not sit here until pushed out.
   */
  forgetExpired(now = Date.now()): number {
    let dropped = 0;
    for (const [id, round] of this.#byId) {
      if (round.expiresAt <= now) {
        this.#byId.delete(id);
        dropped++;
      }
    }
    return dropped;
  }
}
