/**
 * Below these, a statistic is shown as "not enough data yet" rather than as a number with a meaningless
 * interval. A bootstrap over fewer than a handful of players says more about the players than the model.
 */
export { DETECTOR_MIN_ROUNDS, FACE_MIN_VIEWS } from "../../../db/schema.ts";

/** Players with at least one relevant judgment. */
export const MIN_PLAYERS = 5;
/** Judgments in the statistic's denominator (fakes shown for the fool-rate, reals shown for errors on reals). */
export const MIN_JUDGMENTS = 30;

export const NOT_ENOUGH_DATA = "not enough data yet";
