import { describe, expect, it } from "vitest";
import { frechetDistanceOf } from "../evaluate/frechet.ts";
import { matchReferences } from "./curation.ts";

/** A 4-d descriptor near `centre` (a unit axis), jittered deterministically by `i`. */
const near = (centre: number, i: number) =>
  Float32Array.from({ length: 4 }, (_, d) => (d === centre ? 1 : 0) + 0.05 * Math.sin(7 * i + 3 * d));

describe("matching the reference faces' distribution", () => {
  // Nine in ten candidates sit in one cluster; the references are split evenly between two.
  const candidates = Array.from({ length: 200 }, (_, i) => near(i % 10 === 0 ? 1 : 0, i));
  const references = Array.from({ length: 20 }, (_, i) => near(i % 2, 1000 + i));

  it("picks in the references' proportions, not the candidates'", () => {
    const { picked } = matchReferences(candidates, references, 20);
    expect(new Set(picked).size).toBe(20);
    const fromRare = picked.filter((i) => i % 10 === 0).length;
    expect(fromRare).toBe(10);
    const chosen = picked.map((i) => candidates[i] as Float32Array);
    const firstTwenty = candidates.slice(0, 20);
    expect(frechetDistanceOf(chosen, references)).toBeLessThan(frechetDistanceOf(firstTwenty, references) / 4);
  });

  it("cycles the references for more picks than references, never picking a face twice", () => {
    const { picked } = matchReferences(candidates, references, 60);
    expect(picked.length).toBe(60);
    expect(new Set(picked).size).toBe(60);
  });

  it("skips ineligible candidates and stops when none are left", () => {
    const { picked } = matchReferences(candidates, references, 500, { eligible: (i) => i % 10 !== 0 });
    expect(picked.length).toBe(180);
    expect(picked.some((i) => i % 10 === 0)).toBe(false);
  });

  it("leaves out faces closer than `duplicate` to one already picked", () => {
    // Pairs of identical candidates: only one of each pair may be picked.
    const twins = Array.from({ length: 40 }, (_, i) => near(Math.floor(i / 2) % 2, Math.floor(i / 2)));
    const { picked, nearDuplicates } = matchReferences(twins, references, 40, { duplicate: 1e-6 });
    expect(picked.length).toBe(20);
    expect(nearDuplicates).toBe(20);
    expect(new Set(picked.map((i) => Math.floor(i / 2))).size).toBe(20);
  });
});
