/**
 * Keyboard play: ← / → (or 1 / 2) pick the real face of a pair, R / F judge a single face, Enter or Space
 * moves on after the reveal. Pure mapping, so the keys can be listed and tested in one place.
 */
import type { RoundMode } from "../../core/round-modes.ts";
import type { Verdict } from "../../core/rounds-api.ts";

export type KeyAction = { kind: "choose"; position: number } | { kind: "verdict"; verdict: Verdict } | { kind: "next" };

export function keyAction(key: string, mode: RoundMode, screen: "round" | "reveal"): KeyAction | null {
  if (screen === "reveal")
    return key === "Enter" || key === " " || key === "n" || key === "N" ? { kind: "next" } : null;
  if (mode === "pair") {
    if (key === "ArrowLeft" || key === "1") return { kind: "choose", position: 0 };
    if (key === "ArrowRight" || key === "2") return { kind: "choose", position: 1 };
    return null;
  }
  if (key === "r" || key === "R") return { kind: "verdict", verdict: "real" };
  if (key === "f" || key === "F") return { kind: "verdict", verdict: "fake" };
  return null;
}
