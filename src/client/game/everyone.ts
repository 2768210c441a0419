/**
 * How everyone else does, for the summary: the share of fakes all players took for real in this mode (the
 * leaderboard's fool rate, GET /api/leaderboard), over the models this player met. Null while there are too
 * few judgments for the server to publish an estimate.
 */
import type { RoundMode } from "../../core/round-modes.ts";

export interface Everyone {
  foolRate: number;
  judgments: number;
  players: number;
}

interface LeaderboardRow {
  model: string;
  mode: RoundMode;
  foolRate: { estimate: number | null; judgments: number; players: number };
}

export async function fetchEveryone(mode: RoundMode, models: readonly string[]): Promise<Everyone | null> {
  const response = await fetch("/api/leaderboard", { headers: { accept: "application/json" } });
  if (!response.ok) return null;
  const { models: rows = [] } = (await response.json()) as { models?: LeaderboardRow[] };
  return combine(rows.filter((row) => row.mode === mode && models.includes(row.model)));
}

/** Rows weighted by their judgments; players counted per row, so someone who met two models counts twice. */
export function combine(rows: readonly LeaderboardRow[]): Everyone | null {
  const published = rows.filter((row) => row.foolRate.estimate !== null && row.foolRate.judgments > 0);
  const judgments = published.reduce((sum, row) => sum + row.foolRate.judgments, 0);
  if (judgments === 0) return null;
  const fooled = published.reduce((sum, row) => sum + (row.foolRate.estimate ?? 0) * row.foolRate.judgments, 0);
  const players = Math.max(...published.map((row) => row.foolRate.players));
  return { foolRate: fooled / judgments, judgments, players };
}
