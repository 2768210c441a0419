/** The end of a game: score, streak, how often the fakes won, how that compares, a share card, a nickname. */
import { useEffect, useMemo, useRef, useState } from "preact/hooks";
import { type RoundOutcome, scoreGame } from "../../client/game/score.ts";
import { drawShareCard, shareText } from "../../client/game/share-card.ts";
import type { RoundMode } from "../../core/round-modes.ts";
import { Comparison } from "./Comparison.tsx";
import { NicknameForm } from "./NicknameForm.tsx";

interface SummaryProps {
  mode: RoundMode;
  outcomes: readonly RoundOutcome[];
  onPlayAgain: () => void;
  onChangeMode: () => void;
}

export function SummaryScreen(props: SummaryProps) {
  const score = useMemo(() => scoreGame(props.outcomes), [props.outcomes]);
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => heading.current?.focus(), []);
  const percent = (value: number) => `${Math.round(value * 100)}%`;

  return (
    <section class="summary" aria-labelledby="summary-title">
      <h1 id="summary-title" ref={heading} tabIndex={-1}>
        {headline(score.accuracy)}
      </h1>
      <div class="summary-grid">
        <div class="panel summary-score">
          <p class="big-score" data-testid="final-score">
            {score.correct}
            <span>/{score.rounds}</span>
          </p>
          <dl class="summary-stats">
            <div>
              <dt>Best streak</dt>
              <dd>{score.bestStreak}</dd>
            </div>
            <div>
              <dt>Fooled by fakes</dt>
              <dd>
                {score.foolRate === null
                  ? "—"
                  : `${score.fakesTakenForReal} of ${score.fakesShown} (${percent(score.foolRate)})`}
              </dd>
            </div>
            {props.mode !== "pair" && (
              <div>
                <dt>Real faces called fake</dt>
                <dd>
                  {score.realsCalledFake} of {score.realsShown}
                </dd>
              </div>
            )}
            {score.shortestCorrectExposureMs !== null && (
              <div>
                <dt>Fastest flash you got right</dt>
                <dd>{score.shortestCorrectExposureMs} ms</dd>
              </div>
            )}
          </dl>
          <Comparison mode={props.mode} outcomes={props.outcomes} foolRate={score.foolRate} />
        </div>
        <ShareCard mode={props.mode} score={score} />
      </div>
      <NicknameForm />
      <div class="actions">
        <button class="button button-primary" type="button" onClick={props.onPlayAgain}>
          Play again
        </button>
        <button class="button button-ghost" type="button" onClick={props.onChangeMode}>
          Change mode
        </button>
        <a class="button button-ghost" href="/leaderboard">
          Leaderboard
        </a>
      </div>
    </section>
  );
}

function headline(accuracy: number): string {
  if (accuracy >= 0.9) return "Eagle eye! The fakes didn't stand a chance.";
  if (accuracy >= 0.7) return "Sharp! You caught most of the fakes.";
  if (accuracy >= 0.5) return "Not bad — but the network got you a few times.";
  return "The network fooled you. Want to learn its tells?";
}

function ShareCard({ mode, score }: { mode: RoundMode; score: ReturnType<typeof scoreGame> }) {
  const canvas = useRef<HTMLCanvasElement>(null);
  const [status, setStatus] = useState("");
  useEffect(() => {
    if (canvas.current) drawShareCard(canvas.current, mode, score);
  }, [mode, score]);
  const text = shareText(mode, score, location.origin);

  const share = async () => {
    const blob = await new Promise<Blob | null>((resolve) => canvas.current?.toBlob(resolve, "image/png"));
    const file = blob ? new File([blob], "spot-the-fake.png", { type: "image/png" }) : null;
    try {
      if (file && navigator.canShare?.({ files: [file] })) {
        await navigator.share({ text, files: [file] });
      } else {
        await navigator.clipboard.writeText(text);
        setStatus("Result copied — paste it anywhere.");
      }
    } catch {
      setStatus("Sharing was cancelled.");
    }
  };
  const download = () => {
    const link = document.createElement("a");
    link.href = canvas.current?.toDataURL("image/png") ?? "";
    link.download = "spot-the-fake.png";
    link.click();
  };

  return (
    <figure class="panel share">
      <canvas ref={canvas} class="share-card" role="img" aria-label={text} data-testid="share-card" />
      <figcaption>
        <div class="actions">
          <button class="button button-primary" type="button" onClick={() => void share()}>
            Share
          </button>
          <button class="button button-ghost" type="button" onClick={download}>
            Download card
          </button>
        </div>
        <p class="status" role="status">
          {status}
        </p>
      </figcaption>
    </figure>
  );
}
