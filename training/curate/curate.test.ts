/**
 * Curation on tiny real data: a few CelebA crops as training set and quiz pool, untrained generators as
 * versions. The judges must rank by what they measure, and `model:curate` must write a bank the server reads.
 */
import { existsSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { SeedBankSchema } from "../../src/core/seed-bank.ts";
import { SeedBanks } from "../../src/server/models/seed-banks.ts";
import { selectBackend } from "../backends/select.ts";
import { openGenerator } from "../evaluate/generator-source.ts";
import { realCrops, writePreparedData } from "../evaluate/testing/real-crops.ts";
import { writeVersion } from "../registry/testing/versions.ts";
import { type CurateOptions, curate } from "./curate.ts";
import { CANDIDATE_SEED_START, chooseBank, drawFaces, ranking } from "./curation.ts";
import { networkScores, realismScores, trainClassifier } from "./judges.ts";

const root = mkdtempSync(path.join(tmpdir(), "stf-curate-"));
const dirs = {
  data: path.join(root, "data"),
  pool: path.join(root, "pool"),
  cache: path.join(root, "cache"),
  models: path.join(root, "models"),
};

beforeAll(async () => {
  // Training the classifier needs the weight gradients our wasm kernels add.
  await selectBackend("wasm", { threads: 1, log: () => {} });
  await writePreparedData(dirs.data, dirs.pool, await realCrops(6, 2), await realCrops(8, 2, 6));
  await writeVersion(dirs.models, "tiny-v1");
});

const descriptor = (...values: number[]) => Float32Array.from({ length: 128 }, (_, i) => values[i] ?? 0);

describe("realism judges", () => {
  it("the classifier learns real faces from an untrained generator's and scores them apart", async () => {
    const reals = (await realCrops(8, 2, 6)).images;
    const source = await openGenerator("tiny-v1", { modelsDir: dirs.models });
    const fakes = await drawFaces(
      source.model,
      Array.from({ length: reals.count }, (_, i) => i),
      null,
      64,
    );
    const { model, heldOutAuc } = await trainClassifier(reals, fakes, {
      epochs: 6,
      ndf: 4,
      seed: 1,
      learningRate: 1e-3,
    });
    expect(heldOutAuc).toBe(1);
    const [realScores, fakeScores] = [await networkScores(model, reals), await networkScores(model, fakes)];
    // Every real face ranks above every fake one, training and held-out faces alike.
    expect(Math.min(...realScores)).toBeGreaterThan(Math.max(...fakeScores));
    model.dispose();
  });

  it("realism: deeper inside a real face's neighbourhood scores higher; an undetected face scores 0", () => {
    const reals = [descriptor(0), descriptor(0.1), descriptor(0.2), descriptor(0.3), descriptor(5)];
    const [near, far, hidden] = realismScores(
      [
        { score: 0.9, descriptor: descriptor(0.12) },
        { score: 0.9, descriptor: descriptor(3) },
        { score: 0, descriptor: descriptor(0.1) },
      ],
      reals,
    );
    expect(near).toBeGreaterThan(1);
    expect(far).toBeLessThan(near as number);
    expect(hidden).toBe(0);
  });

  it("the bank takes the best scores, passing over near copies and near duplicates", () => {
    const training = [descriptor(10)];
    const candidate = (seed: number, score: number, at: number) => ({
      seed,
      score,
      analysis: { score: 1, descriptor: descriptor(at) },
    });
    const choice = chooseBank(
      [
        candidate(1, 0.5, 0),
        candidate(2, 0.9, 10.1),
        candidate(3, 0.8, 2),
        candidate(4, 0.7, 2.05),
        candidate(5, 0.1, 4),
      ],
      training,
      { copy: 0.3, duplicate: 0.3 },
      2,
      null,
    );
    expect(choice.seeds.map((s) => s.seed)).toEqual([3, 1]);
    expect(choice).toMatchObject({ nearCopies: 1, nearDuplicates: 1 });
    expect(ranking([0.2, 0.9, 0.9, -1])).toEqual([1, 2, 0, 3]);
  });
});

describe("model:curate", () => {
  /** The tiny version's curation in the test folders; each test says what it changes. */
  const options = (overrides: Partial<CurateOptions>): CurateOptions => ({
    candidates: 40,
    keep: 0.25,
    referenceSamples: 8,
    shortlist: 1.5,
    judge: "realism",
    models: dirs.models,
    pool: dirs.pool,
    data: dirs.data,
    cache: dirs.cache,
    backend: "wasm",
    grids: false,
    ...overrides,
  });

  it.each(["realism", "classifier"] as const)(
    "with the %s judge: writes a bank the server reads, and the two grids",
    async (judge) => {
      const result = await curate("tiny-v1", options({ judge, grids: true }));
      const { bank } = result;
      expect(SeedBankSchema.parse(bank)).toEqual(bank);
      expect(bank).toMatchObject({ version: "tiny-v1", candidates: 40 });
      expect(bank.judge.startsWith(judge)).toBe(true);
      expect(bank.seeds.length).toBeGreaterThan(0);
      expect(bank.seeds.length + result.nearCopies + result.nearDuplicates).toBeLessThanOrEqual(15);
      const seeds = bank.seeds.map((s) => s.seed);
      expect(new Set(seeds).size).toBe(seeds.length);
      for (const seed of seeds) expect(seed).toBeGreaterThanOrEqual(CANDIDATE_SEED_START);
      const scores = bank.seeds.map((s) => s.score);
      expect(scores).toEqual([...scores].sort((a, b) => b - a));
      expect(new SeedBanks(dirs.models).get("tiny-v1")).toEqual(bank);
      for (const grid of ["grid-random.png", "grid-curated.png"])
        expect(existsSync(path.join(dirs.models, "tiny-v1", grid))).toBe(true);
    },
  );

  it("with the matched judge: a bank of distinct faces matched to the judge reals, no near copies", async () => {
    const result = await curate("tiny-v1", options({ judge: "matched" }));
    const { bank } = result;
    expect(SeedBankSchema.parse(bank)).toEqual(bank);
    expect(bank.judge).toMatch(/^matched to \d+ judge reals/);
    // Every candidate is either kept, a near copy, a near duplicate of a kept face, or not needed.
    expect(bank.seeds.length).toBe(Math.min(10, 40 - result.nearCopies - result.nearDuplicates));
    const seeds = bank.seeds.map((s) => s.seed);
    expect(new Set(seeds).size).toBe(seeds.length);
    expect(new SeedBanks(dirs.models).get("tiny-v1")).toEqual(bank);
  });

  it("says what to do when the version has no discriminator to judge with", async () => {
    const run = curate("tiny-v1", options({ candidates: 8, keep: 0.5, shortlist: 1, judge: "discriminator" }));
    await expect(run).rejects.toThrow(/has no exported discriminator; use --judge classifier/);
  });
});
