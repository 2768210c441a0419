/**
 * A round and its reveal, on one screen: the canvases stay put when the answer comes back, and badges,
 * verdict and lesson appear around them.
 */
import { useEffect, useMemo, useRef, useState } from "preact/hooks";
import type { FacePixels } from "../../client/faces/face-pixels.ts";
import { noiseMask } from "../../client/faces/mask.ts";
import { keyAction } from "../../client/game/keys.ts";
import type { GameSession, GameView } from "../../client/game/session.ts";
import type { PlayerAnswer } from "../../core/rounds-api.ts";
import { FaceTile } from "./FaceTile.tsx";
import { RevealPanel } from "./RevealPanel.tsx";
import { RoundHeader } from "./RoundHeader.tsx";

type RoundView = Extract<GameView, { screen: "round" | "reveal" }>;

/** HYPE-time shows a fixation point first, so the player knows where to look when the face flashes. */
const FIXATION_MS = 600;

export function RoundScreen({ view, session }: { view: RoundView; session: GameSession }) {
  const { mode, prepared } = view;
  const revealed = view.screen === "reveal";
  const phase = useTimedPhase(view, session);
  const mask = useMemo(() => noiseMask(prepared.faces[0]?.size ?? 64), [prepared]);
  useFaceShown(view, session, phase);
  useAnswerKeys(view, session);

  const canAnswer = view.screen === "round" && view.answerable && !view.submitting;
  const slots = prepared.round.faces.map((face) => face.slot).sort((a, b) => a - b);
  const fakeSlots = revealed ? new Set(view.result.fakeSlots) : null;
  const answer = (value: PlayerAnswer) => void session.answer(value);
  const pixelsAt = (position: number): FacePixels | null => {
    if (mode !== "timed" || revealed) return prepared.faces[position] ?? null;
    if (phase === "fixation") return null;
    return phase === "masked" || view.masked ? mask : (prepared.faces[position] ?? null);
  };

  return (
    <section class={`round round-${mode}`} aria-labelledby="round-prompt" aria-busy={!revealed && !canAnswer}>
      <RoundHeader view={view} />
      <h2 id="round-prompt" class="prompt">
        {mode === "pair" ? "Which face is real?" : "Real or fake?"}
      </h2>
      <div class={`faces faces-${slots.length}`}>
        {slots.map((slot, position) => (
          <FaceTile
            key={position}
            pixels={pixelsAt(position)}
            label={slots.length === 1 ? "The face" : position === 0 ? "Left face" : "Right face"}
            onPick={mode === "pair" ? () => answer({ choice: slot }) : undefined}
            disabled={revealed || !canAnswer}
            highlighted={revealed && "choice" in view.answer && view.answer.choice === slot}
            badge={
              fakeSlots ? (fakeSlots.has(slot) ? { text: "Fake", tone: "fake" } : { text: "Real", tone: "real" }) : null
            }
          >
            {mode === "timed" && !revealed && phase === "fixation" && (
              <span class="fixation" aria-hidden="true">
                +
              </span>
            )}
          </FaceTile>
        ))}
      </div>
      {revealed ? (
        <RevealPanel view={view} total={session.roundsPerGame} onNext={() => void session.next()} />
      ) : (
        <AnswerControls mode={mode} disabled={!canAnswer} onAnswer={answer} />
      )}
    </section>
  );
}

function AnswerControls(props: {
  mode: RoundView["mode"];
  disabled: boolean;
  onAnswer: (answer: PlayerAnswer) => void;
}) {
  if (props.mode === "pair") {
    return (
      <p class="hint">
        Click the real face, or press <kbd>←</kbd> / <kbd>→</kbd>.
      </p>
    );
  }
  return (
    <div class="verdicts">
      <button
        type="button"
        class="button button-real"
        disabled={props.disabled}
        onClick={() => props.onAnswer({ verdict: "real" })}
      >
        Real <kbd>R</kbd>
      </button>
      <button
        type="button"
        class="button button-fake"
        disabled={props.disabled}
        onClick={() => props.onAnswer({ verdict: "fake" })}
      >
        Fake <kbd>F</kbd>
      </button>
    </div>
  );
}

type TimedPhase = "fixation" | "exposing" | "masked" | "none";

/** Timed rounds: fixation point → the face for exactly `exposureMs` → a noise mask. */
function useTimedPhase(view: RoundView, session: GameSession): TimedPhase {
  const timed = view.mode === "timed" && view.screen === "round";
  const roundId = view.prepared.round.id;
  const exposureMs = view.prepared.round.exposureMs ?? 500;
  const [phase, setPhase] = useState<TimedPhase>(timed ? "fixation" : "none");
  useEffect(() => {
    if (!timed) return;
    setPhase("fixation");
    let exposureTimer = 0;
    const fixationTimer = window.setTimeout(() => {
      setPhase("exposing");
      // Count the exposure from the frame that shows the face, not from when it was asked for.
      requestAnimationFrame(() => {
        exposureTimer = window.setTimeout(() => {
          setPhase("masked");
          session.mask();
        }, exposureMs);
      });
    }, FIXATION_MS);
    return () => {
      window.clearTimeout(fixationTimer);
      window.clearTimeout(exposureTimer);
    };
    // A new round id restarts the sequence; the reveal of the same round must not.
  }, [roundId]);
  return timed ? phase : "none";
}

/** Starts the response clock once the faces are really on screen (the frame after they were drawn). */
function useFaceShown(view: RoundView, session: GameSession, phase: TimedPhase): void {
  const roundId = view.prepared.round.id;
  const visible = view.screen === "round" && (view.mode !== "timed" || phase === "exposing");
  useEffect(() => {
    if (!visible) return;
    const frame = requestAnimationFrame(() => session.faceShown());
    return () => cancelAnimationFrame(frame);
  }, [roundId, visible, session]);
}

function useAnswerKeys(view: RoundView, session: GameSession): void {
  const latest = useRef(view);
  latest.current = view;
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (event.altKey || event.ctrlKey || event.metaKey || event.repeat) return;
      const target = event.target as HTMLElement | null;
      // Enter and Space on a focused control already click it; text fields keep all their keys.
      if (target?.closest("input, textarea, select")) return;
      if ((event.key === "Enter" || event.key === " ") && target?.closest("button, a")) return;
      const current = latest.current;
      const action = keyAction(event.key, current.mode, current.screen);
      if (!action) return;
      event.preventDefault();
      if (action.kind === "next") void session.next();
      else if (action.kind === "verdict") void session.answer({ verdict: action.verdict });
      else {
        const slots = current.prepared.round.faces.map((face) => face.slot).sort((a, b) => a - b);
        const slot = slots[action.position];
        if (slot !== undefined) void session.answer({ choice: slot });
      }
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, [session]);
}
