import { describe, expect, it } from "vitest";
import { keyAction } from "./keys.ts";

describe("keyAction", () => {
  it("maps arrows to the two faces of a pair", () => {
    expect(keyAction("ArrowLeft", "pair", "round")).toEqual({ kind: "choose", position: 0 });
    expect(keyAction("2", "pair", "round")).toEqual({ kind: "choose", position: 1 });
    expect(keyAction("r", "pair", "round")).toBeNull();
  });

  it("maps R and F to verdicts on single faces", () => {
    expect(keyAction("R", "single", "round")).toEqual({ kind: "verdict", verdict: "real" });
    expect(keyAction("f", "timed", "round")).toEqual({ kind: "verdict", verdict: "fake" });
    expect(keyAction("ArrowLeft", "timed", "round")).toBeNull();
  });

  it("moves on after a reveal", () => {
    expect(keyAction("Enter", "pair", "reveal")).toEqual({ kind: "next" });
    expect(keyAction("r", "single", "reveal")).toBeNull();
  });
});
