import { appendFileSync, mkdtempSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import * as tf from "@tensorflow/tfjs";
import "@tensorflow/tfjs-backend-wasm";
import { beforeAll, describe, expect, it } from "vitest";
import { pickFaces } from "../data/face-images.ts";
import { cacheFile, FaceCache } from "./face-cache.ts";
import { type RealCrops, realCrops } from "./testing/real-crops.ts";

let crops: RealCrops;
const dir = mkdtempSync(path.join(tmpdir(), "stf-face-cache-"));

beforeAll(async () => {
  await tf.setBackend("wasm");
  crops = await realCrops(2, 2);
});

describe("face analysis cache", () => {
  it("analyses only what it has not seen, and gives back the same numbers after reopening", async () => {
    const first = FaceCache.open(dir);
    const progress: number[] = [];
    const fresh = await first.describe(pickFaces(crops.images, [0, 1, 2]), (done) => progress.push(done));
    expect(progress[0]).toBe(0);

    const reopened = FaceCache.open(dir);
    expect(reopened.size).toBe(3);
    const calls: number[] = [];
    const mixed = await reopened.describe(crops.images, (done) => calls.push(done));
    // Three came from disk (reported at once), one was analysed.
    expect(calls[0]).toBe(3);
    expect(reopened.size).toBe(4);
    for (const i of [0, 1, 2]) expect(Array.from(mixed[i] ?? [])).toEqual(Array.from(fresh[i] ?? []));
  });

  it("drops a record left half-written by a crash, and keeps appending on record boundaries", async () => {
    const file = cacheFile(dir);
    const whole = statSync(file).size;
    appendFileSync(file, Buffer.alloc(100, 7));
    const cache = FaceCache.open(dir);
    expect(cache.size).toBe(4);
    expect(statSync(file).size).toBe(whole);
  });

  it("keys by pixels: the same face under another index is a hit", async () => {
    const cache = FaceCache.open(dir);
    const calls: number[] = [];
    await cache.describe(pickFaces(crops.images, [3, 3, 0]), (done) => calls.push(done));
    expect(calls).toEqual([3]);
  });

  it("caches detector scores too, as float32", async () => {
    const first = FaceCache.open(dir);
    const scores = await first.detect(crops.images);
    expect(scores.every((score) => score === Math.fround(score))).toBe(true);
    const calls: number[] = [];
    const again = await FaceCache.open(dir).detect(crops.images, (done) => calls.push(done));
    expect(calls).toEqual([4]);
    expect(again).toEqual(scores);
  });
});
