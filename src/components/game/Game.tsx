/**
 * The game island: owns one GameSession and shows its current screen. Rendered client-only, since every
 * screen after the first needs TensorFlow.js and the player's cookie.
 */
import "./game.css";
import { useEffect, useMemo, useState } from "preact/hooks";
import { GameSession, type GameView } from "../../client/game/session.ts";
import { ErrorScreen } from "./ErrorScreen.tsx";
import { LoadingScreen } from "./LoadingScreen.tsx";
import { RoundScreen } from "./RoundScreen.tsx";
import { StartScreen } from "./StartScreen.tsx";
import { SummaryScreen } from "./SummaryScreen.tsx";

export default function Game() {
  const session = useMemo(() => new GameSession(), []);
  const [view, setView] = useState<GameView>(session.current);
  useEffect(() => session.subscribe(setView), [session]);
  // Warm the generator up while the player reads the start screen, once the page itself has settled.
  useEffect(() => {
    const idle = window.requestIdleCallback ?? ((run: () => void) => window.setTimeout(run, 200));
    idle(() => session.preload());
  }, [session]);

  switch (view.screen) {
    case "start":
      return <StartScreen onStart={(mode) => void session.start(mode)} />;
    case "loading":
      return <LoadingScreen step={view.step} progress={view.progress} />;
    case "round":
    case "reveal":
      return <RoundScreen view={view} session={session} />;
    case "summary":
      return (
        <SummaryScreen
          mode={view.mode}
          outcomes={view.outcomes}
          onPlayAgain={() => void session.start(view.mode)}
          onChangeMode={() => session.restart()}
        />
      );
    case "error":
      return (
        <ErrorScreen
          message={view.message}
          onRetry={() => void session.start(view.mode)}
          onBack={() => session.restart()}
        />
      );
  }
}
