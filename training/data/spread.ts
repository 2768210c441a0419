/**
 * A fixed-size sample of faces spread over people: the quiz pool's cap and the training faces that
 * model:evaluate compares fakes with are both "N faces, as many people as possible, as evenly as possible".
 *
 * People are taken in a hashed order, one face each per round (each person's faces in a hashed order too),
 * until N: with N at least the number of people, everyone is in. Ranks come from SHA-256 of a salt and the
 * identity or file name rather than from a seeded shuffle, so a face's rank does not depend on which other
 * files the folder holds: the same on every machine and for every subset of CelebA that contains it.
 */
import { createHash } from "node:crypto";

export interface PersonFace {
  identity: number;
  source: string;
}

/** Up to `count` of `faces` (a subset, in the input order), spread over people by the salted ranks. */
export function spreadOverPeople<T extends PersonFace>(faces: readonly T[], count: number, salt: string): T[] {
  if (count >= faces.length) return [...faces];
  const byPerson = new Map<number, number[]>();
  for (const [index, face] of faces.entries()) {
    const indices = byPerson.get(face.identity);
    if (indices) indices.push(index);
    else byPerson.set(face.identity, [index]);
  }
  const people = [...byPerson.entries()]
    .map(([identity, indices]) => ({
      rank: rankOf(salt, `person ${identity}`),
      faces: indices
        .map((index) => ({ index, rank: rankOf(salt, `face ${(faces[index] as T).source}`) }))
        .sort(byRank)
        .map((face) => face.index),
    }))
    .sort(byRank);
  const chosen: number[] = [];
  for (let round = 0; chosen.length < count; round++) {
    for (const person of people) {
      const index = person.faces[round];
      if (index === undefined) continue;
      chosen.push(index);
      if (chosen.length === count) break;
    }
  }
  return chosen.sort((a, b) => a - b).map((index) => faces[index] as T);
}

/** Ties (astronomically rare) fall back to the key itself, so the order is total. */
function rankOf(salt: string, key: string): string {
  return `${createHash("sha256").update(`${salt}\n${key}`).digest("hex")}${key}`;
}

function byRank(a: { rank: string }, b: { rank: string }): number {
  return a.rank < b.rank ? -1 : a.rank > b.rank ? 1 : 0;
}
