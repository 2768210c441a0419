/**
 * The game's modes: pair ("Which face is real?"), single ("Real or fake?") and timed (single faces behind an
 * adaptive exposure). Dependency-free, so the database schema, the server, the browser's start screen and the
 * tests all take the one list from here.
 */
export const ROUND_MODES = ["pair", "single", "timed"] as const;
export type RoundMode = (typeof ROUND_MODES)[number];
