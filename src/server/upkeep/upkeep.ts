/**
 * The scheduled clean-up each server process runs, about once a minute:
 * - expired, unanswered rounds move to `expired_rounds` (archive-expired-rounds.ts);
 * - rate-limit buckets that have refilled are deleted (they behave like no row; rate-limiter.ts);
 * - this process's memory of unanswered rounds drops the ones that expired (recent-rounds.ts).
 *
 * Every server runs it; each step is idempotent and done in short transactions, so two servers doing it at
 * once only repeat a little work. The first run comes after a random part of the period, so servers started
 * together do not all clean at the same moment.
 */
import type { Client } from "@libsql/client";
import type { RateLimiter } from "../http/rate-limiter.ts";
import type { RecentRounds } from "../rounds/recent-rounds.ts";
import { archiveExpiredRounds } from "./archive-expired-rounds.ts";

export const UPKEEP_EVERY_MS = 60_000;

export interface UpkeepResult {
  readonly roundsArchived: number;
  readonly bucketsDeleted: number;
  readonly roundsForgotten: number;
}

export class Upkeep {
  #timer: NodeJS.Timeout | null = null;
  #running: Promise<UpkeepResult> | null = null;

  constructor(
    private readonly client: Client,
    private readonly limiters: readonly RateLimiter[],
    private readonly recent: RecentRounds,
  ) {}

  /** One pass; concurrent calls share it. */
  run(now = Date.now()): Promise<UpkeepResult> {
    this.#running ??= this.#pass(now).finally(() => {
      this.#running = null;
    });
    return this.#running;
  }

  async #pass(now: number): Promise<UpkeepResult> {
    const roundsForgotten = this.recent.forgetExpired(now);
    const { moved } = await archiveExpiredRounds(this.client, now);
    let bucketsDeleted = 0;
    for (const limiter of this.limiters) bucketsDeleted += await limiter.sweep(now);
    return { roundsArchived: moved, bucketsDeleted, roundsForgotten };
  }

  start(everyMs = UPKEEP_EVERY_MS, random = Math.random): void {
    if (this.#timer) return;
    const tick = () => {
      this.run().catch((error) => console.error("scheduled clean-up failed:", error));
    };
    this.#timer = setTimeout(() => {
      tick();
      this.#timer = setInterval(tick, everyMs);
      this.#timer.unref();
    }, random() * everyMs);
    // The timer alone must not keep a process alive that has nothing else to do.
    this.#timer.unref();
  }

  stop(): void {
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = null;
  }
}
