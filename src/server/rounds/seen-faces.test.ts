/**
 * The pieces of "no face twice": a player's ring of recent faces and the fresh pick over a finite set.
 */
import { describe, expect, it } from "vitest";
import { pickFresh } from "./pick-fresh.ts";
import { seededRandomness } from "./randomness.ts";
import { fakeKey, RecentItems } from "./seen-faces.ts";

describe("RecentItems", () => {
  it("says how long ago an item was last added, forgetting what fell out of the ring", () => {
    const recent = new RecentItems<string>(3);
    expect(recent.age("a")).toBe(Number.POSITIVE_INFINITY);
    for (const item of ["a", "b", "c", "b", "d"]) recent.add(item);
    // The ring now holds c, b, d (oldest first): a fell out.
    expect(["d", "b", "c", "a"].map((item) => recent.age(item))).toEqual([0, 1, 2, Number.POSITIVE_INFINITY]);
  });

  it("tells fakes apart by version and truncation as well as seed", () => {
    const keys = [fakeKey("v1", 7, 0.7), fakeKey("v2", 7, 0.7), fakeKey("v1", 7, null), fakeKey("v1", 8, 0.7)];
    expect(new Set(keys).size).toBe(4);
    expect(fakeKey("v1", 7, 0.7)).toBe(keys[0]);
    expect(Number.isSafeInteger(fakeKey("v1", 0xffffffff, 0.5))).toBe(true);
  });
});

describe("pickFresh", () => {
  const random = seededRandomness(3);

  it("picks only unseen items while there are any, then the one seen longest ago", () => {
    const items = Array.from({ length: 12 }, (_, i) => `face${i}`);
    const recent = new RecentItems<string>(100);
    const picks: string[] = [];
    for (let round = 0; round < 30; round++) {
      const pick = pickFresh(items, (item) => recent.age(item), random.below) as string;
      picks.push(pick);
      recent.add(pick);
    }
    // Every face once before any comes back, and then in the order they were first shown.
    expect(new Set(picks.slice(0, 12)).size).toBe(12);
    expect(picks.slice(12, 24)).toEqual(picks.slice(0, 12));
  });

  it("has nothing to pick from an empty set", () => {
    expect(pickFresh([], () => 0, random.below)).toBeNull();
  });
});
