/** "The fakes fooled you 20% of the time; they fool everyone 38%": the player against all players. */
import { useEffect, useState } from "preact/hooks";
import { type Everyone, fetchEveryone } from "../../client/game/everyone.ts";
import type { RoundOutcome } from "../../client/game/score.ts";
import type { RoundMode } from "../../core/round-modes.ts";

interface ComparisonProps {
  mode: RoundMode;
  outcomes: readonly RoundOutcome[];
  /** The player's share of fakes taken for real (null when no fake was shown). */
  foolRate: number | null;
}

export function Comparison({ mode, outcomes, foolRate }: ComparisonProps) {
  const [everyone, setEveryone] = useState<Everyone | null | undefined>(undefined);
  useEffect(() => {
    const models = [...new Set(outcomes.flatMap((outcome) => outcome.models))];
    fetchEveryone(mode, models).then(setEveryone, () => setEveryone(null));
  }, [mode, outcomes]);
  if (everyone === undefined) return <p class="comparison">Comparing with everyone…</p>;
  if (everyone === null) {
    return <p class="comparison">Too few games in this mode yet to compare with everyone — check back soon.</p>;
  }
  const theirs = Math.round(everyone.foolRate * 100);
  if (foolRate === null) {
    return (
      <p class="comparison" data-testid="comparison">
        These fakes fool players <strong>{theirs}%</strong> of the time.
      </p>
    );
  }
  const yours = Math.round(foolRate * 100);
  const verdict = yours < theirs ? "less often than" : yours > theirs ? "more often than" : "as often as";
  return (
    <p class="comparison" data-testid="comparison">
      The fakes fooled you <strong>{yours}%</strong> of the time — {verdict} everyone else (<strong>{theirs}%</strong>{" "}
      over {everyone.judgments} judgments by {everyone.players}+ players).
    </p>
  );
}
