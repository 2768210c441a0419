import { describe, expect, it } from "vitest";
import { combine } from "./everyone.ts";

const row = (model: string, estimate: number | null, judgments: number, players: number) => ({
  model,
  mode: "pair" as const,
  foolRate: { estimate, judgments, players },
});

describe("combine", () => {
  it("weights each model's fool rate by its judgments", () => {
    const everyone = combine([row("a", 0.2, 300, 30), row("b", 0.5, 100, 12)]);
    expect(everyone?.foolRate).toBeCloseTo((0.2 * 300 + 0.5 * 100) / 400);
    expect(everyone?.judgments).toBe(400);
  });

  it("has nothing to say before the server publishes an estimate", () => {
    expect(combine([row("a", null, 40, 3)])).toBeNull();
    expect(combine([])).toBeNull();
  });
});
