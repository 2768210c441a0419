/** Round number, score, streak and a dot per round (green right, red wrong) above the faces. */
import { currentStreak } from "../../client/game/score.ts";
import { type GameView, ROUNDS_PER_GAME } from "../../client/game/session.ts";

type RoundView = Extract<GameView, { screen: "round" | "reveal" }>;

export function RoundHeader({ view }: { view: RoundView }) {
  const correct = view.outcomes.filter((outcome) => outcome.correct).length;
  const streak = currentStreak(view.outcomes);
  const exposureMs = view.prepared.round.exposureMs;
  return (
    <header class="round-header">
      <p class="round-count">
        Round <strong>{view.index + 1}</strong> of {ROUNDS_PER_GAME}
      </p>
      <ol class="round-dots" aria-hidden="true">
        {Array.from({ length: ROUNDS_PER_GAME }, (_, i) => {
          const outcome = view.outcomes[i];
          const state = outcome ? (outcome.correct ? "right" : "wrong") : i === view.index ? "current" : "todo";
          return <li key={i} class={`dot dot-${state}`} />;
        })}
      </ol>
      <dl class="round-stats">
        <div>
          <dt>Score</dt>
          <dd data-testid="score">{correct}</dd>
        </div>
        <div>
          <dt>Streak</dt>
          <dd class={streak > 2 ? "hot" : undefined}>{streak}</dd>
        </div>
        {view.mode === "timed" && exposureMs !== undefined && (
          <div>
            <dt>Flash</dt>
            <dd>{exposureMs} ms</dd>
          </div>
        )}
      </dl>
    </header>
  );
}
