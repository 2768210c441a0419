/** Mode choice and the big Play button. Native radio buttons, so arrows and screen readers just work. */
import { useState } from "preact/hooks";
import { ROUNDS_PER_GAME } from "../../client/game/session.ts";
import { ROUND_MODES, type RoundMode } from "../../core/round-modes.ts";

const MODE_TEXT: Record<RoundMode, { title: string; tagline: string; keys: string }> = {
  pair: {
    title: "Pair",
    tagline: "Two faces, one is real. Click the real one.",
    keys: "← / → picks a face",
  },
  single: {
    title: "Single",
    tagline: "One face at a time, half of them fake. Real or fake?",
    keys: "R real · F fake",
  },
  timed: {
    title: "Timed",
    tagline: "A face flashes for a split second. Get it right and the next flash is shorter.",
    keys: "R real · F fake",
  },
};

export function StartScreen({ onStart }: { onStart: (mode: RoundMode) => void }) {
  const [mode, setMode] = useState<RoundMode>("pair");
  return (
    <section class="start" aria-labelledby="start-title">
      <h1 id="start-title">Which face is real?</h1>
      <p class="lede">
        Some of these people never existed: a neural network draws them in your browser, fresh for every round. The
        others are real photos. {ROUNDS_PER_GAME} rounds — how many fakes can you catch?
      </p>
      <form
        class="start-form"
        onSubmit={(event) => {
          event.preventDefault();
          onStart(mode);
        }}
      >
        <fieldset class="modes">
          <legend>Choose a mode</legend>
          {ROUND_MODES.map((option) => (
            <label class="mode-card" key={option}>
              <input
                type="radio"
                name="mode"
                value={option}
                checked={mode === option}
                onChange={() => setMode(option)}
              />
              <span class="mode-title">{MODE_TEXT[option].title}</span>
              <span class="mode-tagline">{MODE_TEXT[option].tagline}</span>
              <span class="mode-keys">{MODE_TEXT[option].keys}</span>
            </label>
          ))}
        </fieldset>
        <button class="button button-primary play-button" type="submit">
          Play {MODE_TEXT[mode].title.toLowerCase()}
        </button>
      </form>
    </section>
  );
}
