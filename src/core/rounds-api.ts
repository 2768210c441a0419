/**
 * The rounds API (POST /api/rounds, POST /api/rounds/{id}/answer) as both sides see it: request bodies
 * (validated strictly by the server: an unknown field is a client bug worth a 422) and response shapes.
 * The server validates with the schemas; the browser and the tests import the types only (`import type`),
 * so zod never reaches the page's bundle.
 */
import { z } from "zod";
import { ROUND_MODES, type RoundMode } from "./round-modes.ts";

export const CreateRoundBody = z.strictObject({
  mode: z.enum(ROUND_MODES).default("pair"),
});
export type CreateRoundBody = z.input<typeof CreateRoundBody>;

export const VERDICTS = ["real", "fake"] as const;
export type Verdict = (typeof VERDICTS)[number];

export const AnswerBody = z.strictObject({
  /** Pair rounds: the slot the player says is real. */
  choice: z.number().int().nonnegative().optional(),
  /** Single and timed rounds: the player's verdict on the one face. */
  verdict: z.enum(VERDICTS).optional(),
  /** The client's own measure of the response time, from the face appearing to the answer. */
  responseMs: z.number().nonnegative().max(86_400_000).optional(),
});
export type AnswerBody = z.infer<typeof AnswerBody>;

/** What a player answers: a slot in pair rounds, a verdict in single and timed rounds (the body, less timing). */
export type PlayerAnswer = { choice: number } | { verdict: Verdict };

export type RoundFace =
  | { readonly slot: number; readonly source: "real"; readonly url: string }
  | {
      readonly slot: number;
      readonly source: "generated";
      readonly model: string;
      readonly seed: number;
      readonly truncation: number | null;
    };

export interface RoundView {
  readonly id: string;
  readonly mode: RoundMode;
  readonly faces: readonly RoundFace[];
  /** ISO 8601. */
  readonly expiresAt: string;
  /** Timed rounds only: how long to show the face before masking it. */
  readonly exposureMs?: number;
}

export interface AnswerView {
  /** The round this answers, so a reply can be matched to its round whatever order replies arrive in. */
  readonly roundId: string;
  readonly correct: boolean;
  readonly fakeSlots: readonly number[];
  readonly realSlots: readonly number[];
  /** The fake that was shown, so the client can say which model made it (null when none was shown). */
  readonly model: string;
  /** Timed rounds: the player's exposure for their next timed round. */
  readonly nextExposureMs?: number;
}
