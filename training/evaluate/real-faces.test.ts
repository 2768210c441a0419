import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { prepareData } from "../data/prepare.ts";
import { loadTrainingImages } from "../data/prepared.ts";
import { celebaForTests } from "../data/testing/celeba-for-tests.ts";
import { loadTrainingFaces } from "./real-faces.ts";

const root = mkdtempSync(path.join(tmpdir(), "stf-real-faces-"));
const dataDir = path.join(root, "data");

beforeAll(async () => {
  await prepareData({
    celebaDir: celebaForTests(),
    dataDir,
    poolDir: path.join(root, "pool"),
    imageSize: 64,
    limit: 200,
  });
}, 60_000);

describe("the training faces an evaluation compares with", () => {
  it("are a fixed sample spread over people, read from where each face lies", () => {
    const all = loadTrainingImages(dataDir, 64);
    const sample = loadTrainingFaces(dataDir, 64, 50);
    expect(sample.total).toBe(all.manifest.count);
    expect(sample.images.count).toBe(50);
    const people = new Set(all.manifest.faces.map((f) => f.identity));
    expect(people.size).toBeGreaterThan(50);
    const identityOf = new Map(all.manifest.faces.map((f) => [f.source, f.identity]));
    expect(new Set(sample.sources.map((source) => identityOf.get(source))).size).toBe(50);
    const stride = 64 * 64 * 3;
    const indexOf = new Map(all.manifest.faces.map((f, i) => [f.source, i]));
    for (const [slot, source] of sample.sources.entries()) {
      const index = indexOf.get(source) as number;
      const expected = all.pixels.subarray(index * stride, (index + 1) * stride);
      expect(Buffer.from(sample.images.pixels.subarray(slot * stride, (slot + 1) * stride)).equals(expected)).toBe(
        true,
      );
    }
    expect(loadTrainingFaces(dataDir, 64, 50).sources).toEqual(sample.sources);
  });

  it("are all of them when the set is no larger than the sample", () => {
    const all = loadTrainingImages(dataDir, 64);
    const faces = loadTrainingFaces(dataDir, 64);
    expect(faces.images.count).toBe(all.manifest.count);
    expect(Buffer.from(faces.images.pixels).equals(Buffer.from(all.pixels))).toBe(true);
  });
});
