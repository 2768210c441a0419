/**
 * The share card: a 1200×630 image (the size link previews use) with the player's result. Drawn on a canvas
 * in the browser, so nothing about the game leaves the device unless the player shares it.
 */
import type { RoundMode } from "../../core/round-modes.ts";
import type { GameScore } from "./score.ts";

export const CARD_WIDTH = 1200;
export const CARD_HEIGHT = 630;

const MODE_NAME: Record<RoundMode, string> = {
  pair: "Which face is real?",
  single: "Real or fake?",
  timed: "Timed flash",
};

export function shareText(mode: RoundMode, score: GameScore, url: string): string {
  const fooled =
    score.foolRate === null ? "" : ` A neural network fooled me ${Math.round(score.foolRate * 100)}% of the time.`;
  return `Spot the Fake (${MODE_NAME[mode]}): ${score.correct}/${score.rounds}, best streak ${score.bestStreak}.${fooled} ${url}`;
}

export function drawShareCard(canvas: HTMLCanvasElement, mode: RoundMode, score: GameScore): void {
  canvas.width = CARD_WIDTH;
  canvas.height = CARD_HEIGHT;
  const ctx = canvas.getContext("2d");
  if (!ctx) return;
  const background = ctx.createLinearGradient(0, 0, CARD_WIDTH, CARD_HEIGHT);
  background.addColorStop(0, "#0b1020");
  background.addColorStop(1, "#1e2742");
  ctx.fillStyle = background;
  ctx.fillRect(0, 0, CARD_WIDTH, CARD_HEIGHT);
  drawHalves(ctx);

  const font = (weight: number, size: number) =>
    `${weight} ${size}px system-ui, -apple-system, "Segoe UI", Roboto, sans-serif`;
  ctx.fillStyle = "#fbbf24";
  ctx.font = font(800, 44);
  ctx.fillText("Spot the Fake", 80, 120);
  ctx.fillStyle = "#b3bdd6";
  ctx.font = font(500, 32);
  ctx.fillText(MODE_NAME[mode], 80, 170);

  ctx.fillStyle = "#eef2ff";
  ctx.font = font(900, 180);
  ctx.fillText(`${score.correct}/${score.rounds}`, 72, 380);

  ctx.font = font(600, 36);
  ctx.fillStyle = "#2dd4bf";
  ctx.fillText(`Best streak ${score.bestStreak}`, 80, 460);
  if (score.foolRate !== null) {
    ctx.fillStyle = "#fb7185";
    ctx.fillText(`Fooled by ${Math.round(score.foolRate * 100)}% of the fakes`, 80, 515);
  }
  ctx.fillStyle = "#b3bdd6";
  ctx.font = font(500, 28);
  ctx.fillText("Can you beat me?", 80, 575);
}

/** The logo's two halves, large, as decoration on the right. */
function drawHalves(ctx: CanvasRenderingContext2D): void {
  const x = 930;
  const y = 315;
  const r = 190;
  ctx.fillStyle = "#fbbf24";
  ctx.beginPath();
  ctx.arc(x, y, r, -Math.PI / 2, Math.PI / 2);
  ctx.fill();
  ctx.fillStyle = "#2dd4bf";
  ctx.beginPath();
  ctx.arc(x, y, r, Math.PI / 2, (3 * Math.PI) / 2);
  ctx.fill();
  ctx.fillStyle = "#0b1020";
  ctx.font = `900 120px system-ui, sans-serif`;
  ctx.textAlign = "center";
  ctx.fillText("?", x, y + 42);
  ctx.textAlign = "start";
}
