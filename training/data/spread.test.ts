import { describe, expect, it } from "vitest";
import { listFaces } from "./celeba.ts";
import { spreadOverPeople } from "./spread.ts";
import { celebaForTests } from "./testing/celeba-for-tests.ts";

describe("a sample spread over people", () => {
  // The first 10,000 CelebA images: 5,429 people, 1 to 14 photos each.
  const faces = listFaces(celebaForTests()).slice(0, 10_000);
  const people = new Set(faces.map((face) => face.identity));
  const countByPerson = (sample: readonly { identity: number }[]) => {
    const counts = new Map<number, number>();
    for (const face of sample) counts.set(face.identity, (counts.get(face.identity) ?? 0) + 1);
    return counts;
  };

  it("takes everyone once before anyone twice, and evens out the rest", () => {
    const sample = spreadOverPeople(faces, 6000, "test");
    expect(sample).toHaveLength(6000);
    const counts = countByPerson(sample);
    expect(counts.size).toBe(people.size);
    const available = countByPerson(faces);
    // Round robin: a person has 1 or 2 photos in, or all they have when they have fewer.
    for (const [identity, count] of counts) {
      expect(count).toBeGreaterThanOrEqual(1);
      expect(count).toBeLessThanOrEqual(Math.min(2, available.get(identity) as number));
    }
    expect([...counts.values()].filter((count) => count === 2)).toHaveLength(6000 - people.size);
  });

  it("keeps the input order and takes only faces it was given", () => {
    const sample = spreadOverPeople(faces, 3000, "test");
    const position = new Map(faces.map((face, i) => [face.source, i]));
    const positions = sample.map((face) => position.get(face.source) as number);
    expect(positions.every((p, i) => i === 0 || p > (positions[i - 1] as number))).toBe(true);
  });

  it("is fixed by its salt, whatever the input order", () => {
    const sources = (sample: readonly { source: string }[]) => sample.map((face) => face.source).sort();
    const once = sources(spreadOverPeople(faces, 3000, "test"));
    expect(sources(spreadOverPeople([...faces].reverse(), 3000, "test"))).toEqual(once);
    const other = new Set(sources(spreadOverPeople(faces, 3000, "another salt")));
    expect(once.filter((source) => other.has(source)).length).toBeLessThan(2500);
  });

  it("returns everything when asked for at least as many as there are", () => {
    expect(spreadOverPeople(faces.slice(0, 50), 50, "test")).toEqual(faces.slice(0, 50));
    expect(spreadOverPeople(faces.slice(0, 50), 80, "test")).toHaveLength(50);
  });
});
