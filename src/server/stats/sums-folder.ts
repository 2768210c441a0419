/**
 * Runs foldJudgments about once a second in each server process, and on demand (the leaderboard folds
 * before it recomputes). One fold at a time per process; across processes the cursor keeps folds apart.
 */
import type { Db } from "../../../db/client.ts";
import type { Randomness } from "../rounds/randomness.ts";
import { type FoldResult, foldJudgments } from "./fold-judgments.ts";

export const FOLD_EVERY_MS = 1_000;

export class SumsFolder {
  #running: Promise<FoldResult> | null = null;
  #timer: NodeJS.Timeout | null = null;

  constructor(
    readonly db: Db,
    readonly random: Randomness,
  ) {}

  fold(): Promise<FoldResult> {
    this.#running ??= foldJudgments(this.db, this.random).finally(() => {
      this.#running = null;
    });
    return this.#running;
  }

  start(everyMs = FOLD_EVERY_MS): void {
    if (this.#timer) return;
    this.#timer = setInterval(() => {
      this.fold().catch((error) => console.error("folding judgments into the sums failed:", error));
    }, everyMs);
    // The timer alone must not keep a process alive that has nothing else to do.
    this.#timer.unref();
  }

  stop(): void {
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = null;
  }
}
