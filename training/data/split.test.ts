import { describe, expect, it } from "vitest";
import { listFaces } from "./celeba.ts";
import { identityHash, isPoolIdentity, splitByIdentity } from "./split.ts";
import { celebaForTests } from "./testing/celeba-for-tests.ts";

describe("identity split", () => {
  const faces = listFaces(celebaForTests());

  it("never puts one person in both the training set and the quiz pool", () => {
    const { train, pool } = splitByIdentity(faces);
    const poolPeople = new Set(pool.map((f) => f.identity));
    expect(train.some((f) => poolPeople.has(f.identity))).toBe(false);
    expect(train.length + pool.length).toBe(faces.length);
  });

  it("holds out about 10 % of the people", () => {
    const people = [...new Set(faces.map((f) => f.identity))];
    const share = people.filter(isPoolIdentity).length / people.length;
    expect(share).toBeGreaterThan(0.08);
    expect(share).toBeLessThan(0.12);
  });

  it("is deterministic: same input, same split, and a pinned hash", () => {
    const first = splitByIdentity(faces).pool.map((f) => f.source);
    const second = splitByIdentity([...faces].reverse())
      .pool.map((f) => f.source)
      .reverse();
    expect(second).toEqual(first);
    // FNV-1a of "2880": a changed hash would silently move people between the sets.
    expect(identityHash(2880).toString(16)).toMatchInlineSnapshot(`"3a1643b7"`);
  });
});
