/**
 * The numbers that define a round. Kept together so the API, the statistics and the tests agree.
 */
import type { RoundMode } from "../../core/round-modes.ts";

/** How long a round may be answered. Timed rounds are meant to be answered at once. */
export const ROUND_TTL_MS: Readonly<Record<RoundMode, number>> = {
  pair: 5 * 60_000,
  single: 5 * 60_000,
  timed: 60_000,
};

/**
 * Answers faster than this (by the server's clock from the round's creation, or by the client's own
 * measurement) are kept but not counted: nobody sees a 64×64 face and decides in under a quarter second.
 */
export const MIN_RESPONSE_MS = 250;

/**
 * Share of new fakes that re-show a fake already judged (a uniformly random pick, blind to how it did),
 * so individual fakes collect several judgments and "most convincing fakes" means something.
 */
export const REPLAY_SHARE = 0.7;

/** Real-face images stay fetchable this long after their round expires (reveal screens, slow clients). */
export const FACE_URL_GRACE_MS = 60 * 60_000;
