/** After an answer: right or wrong, which face was fake, and one lesson on what gives fakes away. */
import { useEffect, useRef } from "preact/hooks";
import type { GameView } from "../../client/game/session.ts";

type RevealView = Extract<GameView, { screen: "reveal" }>;

export function RevealPanel({ view, total, onNext }: { view: RevealView; total: number; onNext: () => void }) {
  const next = useRef<HTMLButtonElement>(null);
  // Keyboard players land on "Next"; Enter or Space carries on.
  useEffect(() => next.current?.focus(), []);
  const last = view.outcomes.length >= total;
  return (
    <div class={`reveal panel ${view.result.correct ? "reveal-right" : "reveal-wrong"}`}>
      <p class="verdict" role="status">
        <strong>{headline(view)}</strong> {verdictText(view)}
      </p>
      <div class="lesson">
        <h3>
          <span class="lesson-kicker">How to spot it</span>
          {view.tell.title}
        </h3>
        <p>{view.tell.lesson}</p>
        <a href="/how-to-spot">More ways to spot a fake</a>
      </div>
      <button
        ref={next}
        type="button"
        class="button button-primary next-button"
        onClick={onNext}
        disabled={view.waiting}
      >
        {view.waiting ? "Preparing…" : last ? "See your results →" : "Next round →"}
      </button>
    </div>
  );
}

/** Being fooled means taking a fake for real; calling a real face fake is a different miss. */
function headline(view: RevealView): string {
  if (view.result.correct) return "Right!";
  const calledFake = "verdict" in view.answer && view.answer.verdict === "fake";
  return calledFake ? "Not quite!" : "Fooled!";
}

function verdictText(view: RevealView): string {
  const fakes = new Set(view.result.fakeSlots);
  if ("choice" in view.answer) {
    const slots = view.prepared.round.faces.map((face) => face.slot).sort((a, b) => a - b);
    const fakeSide = slots.findIndex((slot) => fakes.has(slot)) === 0 ? "left" : "right";
    return view.result.correct ? `The ${fakeSide} face was made by the network.` : `The ${fakeSide} face was the fake.`;
  }
  const isFake = fakes.size > 0;
  return `This face is ${isFake ? "fake: a neural network drew it" : "real: a photo of a real person"}.`;
}
