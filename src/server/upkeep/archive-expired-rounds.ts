/**
 * Moves rounds that expired unanswered from `rounds` to `expired_rounds`, oldest first, in transactions of
 * at most `batch` rounds. Only once their real-face URL has lapsed too (FACE_URL_GRACE_MS after expiry),
 * so nothing a client may still ask for moves, and a server whose clock lags by anything under that grace
 * cannot be claiming a round while it moves.
 *
 * No statistic changes: every statistic, the running sums, rebuildAggregates and the export start from a
 * judgment and join its round, and a moved round has no judgment (answered_at is set in the statement that
 * records one, and the NOT EXISTS below checks the judgments themselves as well).
 *
 * Safe on several servers at once: each batch is one write transaction; a second server's batch finds the
 * rounds already gone and moves nothing twice (INSERT OR IGNORE on the archive's key besides).
 */
import type { Client } from "@libsql/client";
import { FACE_URL_GRACE_MS } from "../rounds/rules.ts";

/** Enough to clear a day's abandoned rounds in a few calls, small enough to hold the write lock briefly. */
export const ARCHIVE_BATCH = 500;

const COLUMNS =
  "id, player_id, mode, model_version, policy, seed, truncation, real_face_id, slots, exposure_ms, created_at, expires_at";

/** The rounds to move: range scan of the partial index rounds_unanswered_expiry. */
const MOVABLE = `answered_at IS NULL AND expires_at < :cutoff
  AND NOT EXISTS (SELECT 1 FROM judgments j WHERE j.round_id = rounds.id)`;

export interface ArchiveResult {
  /** Rounds moved by this call. */
  readonly moved: number;
  /** Whether movable rounds may be left (the last batch was full). */
  readonly more: boolean;
}

/** Moves up to `maxBatches` batches of expired, unanswered rounds; returns how many moved. */
export async function archiveExpiredRounds(
  client: Client,
  now = Date.now(),
  { batch = ARCHIVE_BATCH, maxBatches = 20 } = {},
): Promise<ArchiveResult> {
  const cutoff = now - FACE_URL_GRACE_MS;
  let moved = 0;
  for (let i = 0; i < maxBatches; i++) {
    // The DELETE removes exactly the rounds the INSERT just copied: same transaction, and only those
    // rounds are both movable and in the archive.
    const [copied] = await client.batch(
      [
        {
          sql: `INSERT OR IGNORE INTO expired_rounds (${COLUMNS})
            SELECT ${COLUMNS} FROM rounds WHERE ${MOVABLE} ORDER BY expires_at LIMIT :batch`,
          args: { cutoff, batch },
        },
        {
          sql: `DELETE FROM rounds WHERE ${MOVABLE}
            AND EXISTS (SELECT 1 FROM expired_rounds e WHERE e.id = rounds.id)`,
          args: { cutoff },
        },
      ],
      "write",
    );
    const count = copied?.rowsAffected ?? 0;
    moved += count;
    if (count < batch) return { moved, more: false };
  }
  return { moved, more: true };
}
