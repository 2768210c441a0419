/**
 * One game, start to summary, as a small state machine the island renders. All waiting (tfjs, the model,
 * the server) happens here; the components only draw the current view and report clicks and keys.
 */
import type { RoundMode } from "../../core/round-modes.ts";
import type { AnswerView, PlayerAnswer } from "../../core/rounds-api.ts";
import { type Tell, tellForRound } from "../../learn/tells.ts";
import { activeModelVersion } from "../generator/active-model.ts";
import { type BackendChoice, chooseBackend } from "../generator/backend.ts";
import { generateFacePixels } from "../generator/generate.ts";
import { type LoadedGenerator, loadGenerator } from "../generator/model.ts";
import { answerRound } from "./api.ts";
import { friendlyError } from "./friendly-error.ts";
import { outcomeOf } from "./outcome.ts";
import type { PreparedRound } from "./prepare-round.ts";
import { RoundQueue } from "./round-queue.ts";
import type { RoundOutcome } from "./score.ts";

export const ROUNDS_PER_GAME = 10;

export type GameView =
  | { screen: "start" }
  | { screen: "loading"; mode: RoundMode; step: string; progress: number | null }
  | {
      screen: "round";
      mode: RoundMode;
      index: number;
      prepared: PreparedRound;
      /** Timed mode hides the face behind a mask once its exposure is over. */
      masked: boolean;
      /** The faces are on screen: answers count from now (and not before). */
      answerable: boolean;
      submitting: boolean;
      outcomes: readonly RoundOutcome[];
    }
  | {
      screen: "reveal";
      mode: RoundMode;
      index: number;
      prepared: PreparedRound;
      answer: PlayerAnswer;
      result: AnswerView;
      tell: Tell;
      outcomes: readonly RoundOutcome[];
      /** The player asked for the next round and it is still being prepared. */
      waiting: boolean;
    }
  | { screen: "summary"; mode: RoundMode; outcomes: readonly RoundOutcome[] }
  | { screen: "error"; mode: RoundMode; message: string };

export class GameSession {
  private view: GameView = { screen: "start" };
  private readonly listeners = new Set<(view: GameView) => void>();
  private queue: RoundQueue | null = null;
  /** When the current round's faces reached the screen; null until then (answers wait for it). */
  private shownAt: number | null = null;
  backend: BackendChoice | null = null;
  private warming: Promise<LoadedGenerator> | null = null;
  /** Where model download progress goes while a loading screen shows it. */
  private downloadProgress: ((fraction: number) => void) | null = null;

  constructor(readonly roundsPerGame = ROUNDS_PER_GAME) {}

  get current(): GameView {
    return this.view;
  }

  subscribe(listener: (view: GameView) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  async start(mode: RoundMode): Promise<void> {
    try {
      const generator = await this.warmUp(mode);
      this.queue = new RoundQueue(mode, generator);
      await this.showRound(mode, 0, []);
    } catch (error) {
      this.fail(mode, error);
    }
  }

  /** The component calls this once the faces are on screen: response times count from here. */
  faceShown(): void {
    if (this.view.screen !== "round" || this.view.answerable) return;
    this.shownAt = performance.now();
    this.set({ ...this.view, answerable: true });
  }

  /** Timed mode: the exposure is over. */
  mask(): void {
    if (this.view.screen === "round" && !this.view.masked) this.set({ ...this.view, masked: true });
  }

  async answer(answer: PlayerAnswer): Promise<void> {
    const view = this.view;
    if (view.screen !== "round" || view.submitting || !view.answerable || this.shownAt === null) return;
    const responseMs = performance.now() - this.shownAt;
    this.set({ ...view, submitting: true, masked: view.mode === "timed" || view.masked });
    try {
      const result = await answerRound(view.prepared.round.id, answer, responseMs);
      // The server sets a timed round's exposure from the answers so far (HYPE-time's staircase), so the
      // next timed round is only asked for once this answer is in; the reveal screen hides the wait.
      if (view.mode === "timed" && view.index + 1 < this.roundsPerGame) this.queue?.prefetch();
      const outcomes = [...view.outcomes, outcomeOf(view.prepared.round, answer, result, responseMs)];
      const tell = tellForRound(view.index);
      this.set({ ...view, screen: "reveal", answer, result, tell, outcomes, waiting: false });
    } catch (error) {
      this.fail(view.mode, error);
    }
  }

  async next(): Promise<void> {
    const view = this.view;
    if (view.screen !== "reveal" || view.waiting) return;
    if (view.outcomes.length >= this.roundsPerGame) {
      this.set({ screen: "summary", mode: view.mode, outcomes: view.outcomes });
      return;
    }
    this.set({ ...view, waiting: true });
    try {
      await this.showRound(view.mode, view.index + 1, view.outcomes);
    } catch (error) {
      this.fail(view.mode, error);
    }
  }

  restart(): void {
    this.queue = null;
    this.set({ screen: "start" });
  }

  /**
   * Starts the face generator in the background (tfjs, backend, model, first prediction) while the player is
   * still on the start screen, so that Play shows faces at once. Safe to call any number of times.
   */
  preload(): void {
    if (this.warming) return;
    const warming = this.prepareGenerator();
    this.warming = warming;
    // A failed start (offline, no model published) is retried by the next call, and reported by warmUp().
    warming.catch(() => {
      if (this.warming === warming) this.warming = null;
    });
  }

  private async prepareGenerator(): Promise<LoadedGenerator> {
    performance.mark("stf:warm-up-start");
    this.backend = await chooseBackend();
    const version = await activeModelVersion();
    const generator = await loadGenerator(version, (fraction) => this.downloadProgress?.(fraction));
    performance.mark("stf:model-loaded");
    // The first prediction compiles shaders and plans kernels; pay for it before any round is on screen.
    await generateFacePixels(generator, [{ seed: 1, truncation: null }]);
    return generator;
  }

  /** The preloaded generator, with a loading screen (and download progress) if it is not ready yet. */
  private async warmUp(mode: RoundMode): Promise<LoadedGenerator> {
    this.set({ screen: "loading", mode, step: "Starting the face generator…", progress: null });
    this.downloadProgress = (progress) =>
      this.set({ screen: "loading", mode, step: "Downloading the face generator…", progress });
    this.preload();
    try {
      return await (this.warming as Promise<LoadedGenerator>);
    } finally {
      this.downloadProgress = null;
    }
  }

  private async showRound(mode: RoundMode, index: number, outcomes: readonly RoundOutcome[]): Promise<void> {
    const queue = this.queue;
    if (!queue) throw new Error("the game has not started");
    const prepared = await queue.take();
    if (this.queue !== queue) return; // restarted while waiting
    this.shownAt = null;
    this.set({ screen: "round", mode, index, prepared, masked: false, answerable: false, submitting: false, outcomes });
    if (index === 0) performance.mark("stf:first-face");
    if (mode !== "timed" && index + 1 < this.roundsPerGame) queue.prefetch();
  }

  private fail(mode: RoundMode, error: unknown): void {
    this.set({ screen: "error", mode, message: friendlyError(error) });
  }

  private set(view: GameView): void {
    this.view = view;
    for (const listener of this.listeners) listener(view);
  }
}
