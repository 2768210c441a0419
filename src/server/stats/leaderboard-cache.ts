/**
 * The leaderboard is served from memory and recomputed in the background: a request never waits for a
 * bootstrap unless no leaderboard was ever computed in this process. Each recomputation first folds new
 * judgments into the sums, and is skipped when the fold found nothing new, so an idle site costs nothing.
 * Each app server keeps its own copy; they agree within STALE_AFTER_MS.
 */
import type { Db } from "../../../db/client.ts";
import { computeLeaderboard, type Leaderboard } from "./leaderboard.ts";
import type { StatisticsOptions } from "./model-stats.ts";
import type { SumsFolder } from "./sums-folder.ts";

export const STALE_AFTER_MS = 5_000;
/** Recomputed at least this often anyway: a nickname change records no judgment. */
export const RECOMPUTE_AT_LEAST_EVERY_MS = 60_000;

export class LeaderboardCache {
  #value: Leaderboard | null = null;
  /** The value as sent by GET /api/leaderboard, serialized once per computation rather than per request. */
  #json = "";
  #computedAt = Number.NEGATIVE_INFINITY;
  #fullyComputedAt = Number.NEGATIVE_INFINITY;
  #lastJudgment = -1;
  #rotationKey = "";
  #refreshing: Promise<Leaderboard> | null = null;

  constructor(
    readonly db: Db,
    readonly folder: SumsFolder,
    readonly statusOf: (version: string) => string,
    /** Changes when the model rotation changes (statuses are shown on the board). */
    readonly rotationKey: () => string,
    readonly options: StatisticsOptions = {},
  ) {}

  async get(now = Date.now()): Promise<Leaderboard> {
    if (this.#value === null) return this.#refresh();
    if (now - this.#computedAt >= STALE_AFTER_MS && this.#refreshing === null) {
      this.#refresh().catch((error) => console.error("leaderboard refresh failed:", error));
    }
    return this.#value;
  }

  /** The same leaderboard as JSON text. */
  async json(now = Date.now()): Promise<string> {
    await this.get(now);
    return this.#json;
  }

  #refresh(): Promise<Leaderboard> {
    this.#refreshing ??= this.#recompute().finally(() => {
      this.#refreshing = null;
    });
    return this.#refreshing;
  }

  async #recompute(): Promise<Leaderboard> {
    const started = Date.now();
    const lastJudgment = (await this.folder.fold()).foldedThrough;
    const rotationKey = this.rotationKey();
    const unchanged = lastJudgment === this.#lastJudgment && rotationKey === this.#rotationKey;
    if (this.#value !== null && unchanged && started - this.#fullyComputedAt < RECOMPUTE_AT_LEAST_EVERY_MS) {
      this.#computedAt = started;
      return this.#value;
    }
    const value = await computeLeaderboard(this.db, this.statusOf, this.options);
    this.#value = value;
    this.#json = JSON.stringify(value);
    this.#computedAt = started;
    this.#fullyComputedAt = started;
    this.#lastJudgment = lastJudgment;
    this.#rotationKey = rotationKey;
    return value;
  }
}
