/**
 * The open-data export: every counted judgment (the ones the statistics use) as CSV, one row per judgment,
 * so anyone can recompute the leaderboard. Read in pages by judgment id up to the newest judgment at the
 * start, so a long download is one consistent cut that never holds the database or the event loop for long; the columns are described
 * in docs/server.md ("Open data").
 */
import { setImmediate } from "node:timers/promises";
import { sql } from "drizzle-orm";
import type { Db } from "../../../db/client.ts";
import type { RoundMode } from "../../core/round-modes.ts";
import type { SamplingPolicy } from "../../core/sampling-policy.ts";
import { pseudonym } from "./pseudonyms.ts";

export const CSV_COLUMNS = [
  "time",
  "player",
  "version",
  "mode",
  "policy",
  "faces",
  "seed",
  "truncation",
  "verdict",
  "correct",
  "response_ms",
  "elapsed_ms",
] as const;

/**
 * Rows per read. An embedded database runs each read on the event loop: 1,000 rows is ~10–20 ms of it, short
 * enough that the rounds being played around a download barely notice.
 */
const PAGE = 1_000;

interface Row {
  id: number;
  created_at: number;
  player_id: number;
  model_version: string;
  mode: RoundMode;
  policy: SamplingPolicy;
  seed: number | null;
  truncation: number | null;
  real_shown: number;
  verdict: "real" | "fake" | null;
  fooled: number;
  correct: number;
  response_ms: number | null;
  elapsed_ms: number;
}

/** Counted judgments with from < id ≤ to, in id order (a rowid range, each joined to its round by key). */
export function exportPageQuery(from: number, to: number, limit: number) {
  return sql`SELECT j.id, j.created_at, j.player_id, j.model_version, j.mode, r.policy, r.seed, r.truncation,
      r.real_face_id IS NOT NULL AS real_shown, j.verdict, j.fooled, j.correct, j.response_ms, j.elapsed_ms
    FROM judgments j JOIN rounds r ON r.id = j.round_id
    WHERE j.id > ${from} AND j.id <= ${to} AND j.excluded IS NULL
    ORDER BY j.id LIMIT ${limit}`;
}

/** The CSV text, a page of rows at a time. */
export async function* judgmentsCsv(db: Db, key: string): AsyncGenerator<string> {
  yield `${CSV_COLUMNS.join(",")}\n`;
  const [newest] = await db.all<{ id: number | null }>(sql`SELECT max(id) AS id FROM judgments`);
  const to = Number(newest?.id ?? 0);
  const names = new Map<number, string>();
  const nameOf = (playerId: number) => {
    let name = names.get(playerId);
    if (name === undefined) {
      name = pseudonym(key, playerId);
      names.set(playerId, name);
    }
    return name;
  };
  let from = 0;
  for (;;) {
    const rows = await db.all<Row>(exportPageQuery(from, to, PAGE));
    if (rows.length === 0) return;
    yield rows.map((row) => csvLine(row, nameOf(Number(row.player_id)))).join("");
    from = Number(rows.at(-1)?.id);
    // Everything above settles in microtasks while the client keeps up, which would run the whole export
    // as one turn of the event loop: give every other request its turn between pages.
    await setImmediate();
  }
}

function csvLine(row: Row, player: string): string {
  const showsFake = row.seed !== null;
  const faces = row.mode === "pair" ? "fake+real" : showsFake ? "fake" : "real";
  // The verdict on the fake when one was shown (in a pair, choosing the fake as the real face calls it real),
  // else on the real face: fool-rate and error on reals then read straight off this column.
  const verdict = showsFake ? (Number(row.fooled) ? "real" : "fake") : row.verdict;
  return `${[
    new Date(Math.floor(Number(row.created_at) / 1000) * 1000).toISOString(),
    player,
    csvField(row.model_version),
    row.mode,
    row.policy,
    faces,
    row.seed ?? "",
    row.truncation ?? "",
    verdict ?? "",
    Number(row.correct),
    row.response_ms ?? "",
    row.elapsed_ms,
  ].join(",")}\n`;
}

/** Version names are plain ([a-z0-9._-]), but a field is quoted if it ever holds a separator or quote. */
function csvField(value: string): string {
  return /[",\n\r]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
}
