/**
 * The game's modes: pair ("Which face is real?"), single ("Real or fake?") and timed (single faces behind an
 * adaptive exposure). Dependency-free, so the server, the browser's start screen and the tests all take the
 * one list from here; the database, a layer below, stores a mode as plain text.
 */
export const ROUND_MODES = ["pair", "single", "timed"] as const;
export type RoundMode = (typeof ROUND_MODES)[number];

/** A mode read back from the database (plain text there): one of ROUND_MODES, or a corrupt row. */
export function storedRoundMode(value: string): RoundMode {
  const mode = ROUND_MODES.find((known) => known === value);
  if (!mode) throw new Error(`a stored round has the unknown mode "${value}"`);
  return mode;
}
