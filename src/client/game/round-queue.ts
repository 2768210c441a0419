/**
 * Keeps the next round one step ahead: created on the server and turned into pixels while the player still
 * looks at the current one, so the next faces appear at once.
 */

import type { RoundMode } from "../../core/round-modes.ts";
import type { LoadedGenerator } from "../generator/model.ts";
import { createRound } from "./api.ts";
import { type PreparedRound, prepareRound } from "./prepare-round.ts";

/** A prepared round this close to its expiry is thrown away rather than shown and then refused. */
const EXPIRY_MARGIN_MS = 10_000;

export class RoundQueue {
  private pending: Promise<PreparedRound> | null = null;

  constructor(
    private readonly mode: RoundMode,
    private readonly fallback: LoadedGenerator,
  ) {}

  /** Starts preparing the next round in the background, if one is not already on its way. */
  prefetch(): void {
    if (this.pending) return;
    this.pending = this.fetchOne();
    // Failures surface in take(), which retries; this only keeps the browser from reporting them twice.
    this.pending.catch(() => undefined);
  }

  async take(): Promise<PreparedRound> {
    const pending = this.pending ?? this.fetchOne();
    this.pending = null;
    try {
      const prepared = await pending;
      if (Date.parse(prepared.round.expiresAt) - Date.now() > EXPIRY_MARGIN_MS) return prepared;
    } catch {
      // One fresh attempt below: a prefetch can fail on a flaky network long before it is needed.
    }
    return this.fetchOne();
  }

  private async fetchOne(): Promise<PreparedRound> {
    return prepareRound(await createRound(this.mode), this.fallback);
  }
}
