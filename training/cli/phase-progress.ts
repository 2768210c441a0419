/**
 * Progress for work done in phases (detect, describe, generate…): one bar per phase on stderr
 * (cli-progress stays silent when stderr is not a terminal) and each phase's wall time once it ends, so a
 * slow run shows where its time went.
 */
import { SingleBar } from "cli-progress";

export type PhaseProgress = (name: string, total: number) => (done: number) => void;

export function phaseProgress(): { phase: PhaseProgress; stop: () => void } {
  let current: { bar: SingleBar; name: string; started: number } | null = null;
  const stop = () => {
    if (!current) return;
    current.bar.stop();
    console.error(`${current.name}: ${((performance.now() - current.started) / 1000).toFixed(1)} s`);
    current = null;
  };
  const phase = (name: string, total: number) => {
    stop();
    const bar = new SingleBar({
      format: `${name.padEnd(24)} {bar} {value}/{total} {duration_formatted}`,
      hideCursor: true,
    });
    bar.start(total, 0);
    current = { bar, name, started: performance.now() };
    return (done: number) => bar.update(done);
  };
  return { phase, stop };
}
