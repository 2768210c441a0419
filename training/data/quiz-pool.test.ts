import { describe, expect, it } from "vitest";
import { listFaces } from "./celeba.ts";
import { choosePoolFaces, POOL_CAP } from "./quiz-pool.ts";
import { isPoolIdentity, splitByIdentity } from "./split.ts";
import { celebaForTests } from "./testing/celeba-for-tests.ts";

describe("choosing the quiz pool", () => {
  const heldOut = splitByIdentity(listFaces(celebaForTests())).pool;

  it("keeps every held-out person, within the cap, and no one else", () => {
    const pool = choosePoolFaces(heldOut);
    expect(pool).toHaveLength(Math.min(POOL_CAP, heldOut.length));
    expect(new Set(pool.map((f) => f.identity))).toEqual(new Set(heldOut.map((f) => f.identity)));
    expect(pool.every((f) => isPoolIdentity(f.identity))).toBe(true);
  });

  it("takes the same faces on every run", () => {
    const sources = choosePoolFaces(heldOut, 500).map((f) => f.source);
    expect(choosePoolFaces([...heldOut].reverse(), 500).map((f) => f.source)).toEqual([...sources].reverse());
  });
});
