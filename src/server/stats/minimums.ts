/**
 * Below these, a statistic is shown as "not enough data yet" rather than as a number with a meaningless
 * interval. A bootstrap over fewer than a handful of players says more about the players than the model.
 */

/**
 * Smallest number of included judgments that puts a player among the best detectors. The players_detectors
 * index (db/schema.ts) holds only such players: a new value needs a new migration for that index too.
 */
export const DETECTOR_MIN_ROUNDS = 20;
/**
 * Smallest number of showings that lets a face into the "most convincing" / "most doubted" lists. The
 * fake_face_stats_convincing and real_face_stats_doubted indexes (db/schema.ts) hold only such faces.
 */
export const FACE_MIN_VIEWS = 5;

/** Players with at least one relevant judgment. */
export const MIN_PLAYERS = 5;
/** Judgments in the statistic's denominator (fakes shown for the fool-rate, reals shown for errors on reals). */
export const MIN_JUDGMENTS = 30;

export const NOT_ENOUGH_DATA = "not enough data yet";
