/** "Players overall get 68% right": puts the player's score next to everyone's in the same mode. */
import { useEffect, useState } from "preact/hooks";
import type { Mode } from "../../client/game/api.ts";
import { type Everyone, fetchEveryone } from "../../client/game/everyone.ts";

export function Comparison({ mode, accuracy }: { mode: Mode; accuracy: number }) {
  const [everyone, setEveryone] = useState<Everyone | null | undefined>(undefined);
  useEffect(() => {
    fetchEveryone(mode).then(setEveryone, () => setEveryone(null));
  }, [mode]);
  if (everyone === undefined) return <p class="comparison">Comparing with everyone…</p>;
  if (everyone === null) return <p class="comparison">You're one of the first players in this mode.</p>;
  const yours = Math.round(accuracy * 100);
  const theirs = Math.round(everyone.accuracy * 100);
  const verdict = yours > theirs ? "better than" : yours < theirs ? "below" : "level with";
  return (
    <p class="comparison" data-testid="comparison">
      You got <strong>{yours}%</strong> right — {verdict} everyone's <strong>{theirs}%</strong>
      {everyone.players > 0 ? ` (${everyone.players} players)` : ""}.
    </p>
  );
}
