/**
 * How everyone else does, for the summary's comparison: the share of rounds all players got right in a mode.
 * Read from the public leaderboard; null when there is nothing yet to compare with.
 */
import type { Mode } from "./api.ts";

export interface Everyone {
  accuracy: number;
  players: number;
}

export async function fetchEveryone(mode: Mode): Promise<Everyone | null> {
  const response = await fetch(`/api/leaderboard?mode=${mode}`, { headers: { accept: "application/json" } });
  if (!response.ok) return null;
  const body = (await response.json()) as { overall?: { accuracy?: number; players?: number } };
  const accuracy = body.overall?.accuracy;
  if (typeof accuracy !== "number") return null;
  return { accuracy, players: body.overall?.players ?? 0 };
}
