import * as tf from "@tensorflow/tfjs";
import "@tensorflow/tfjs-backend-wasm";
import { beforeAll, describe, expect, it } from "vitest";
import { descriptorDistance, SAME_PERSON_THRESHOLD } from "./distance.ts";
import { analyseFaces, type FaceAnalysis, isDetected } from "./face-analysis.ts";
import { type RealCrops, realCrops } from "./testing/real-crops.ts";

let crops: RealCrops;
let analyses: FaceAnalysis[];

beforeAll(async () => {
  await tf.setBackend("wasm");
  crops = await realCrops(4, 3);
  analyses = await analyseFaces(crops.images);
});

const mean = (values: number[]) => values.reduce((a, b) => a + b, 0) / values.length;

describe("face analysis of 64 px crops", () => {
  it("detects real faces", () => {
    expect(analyses.filter(isDetected).length).toBeGreaterThanOrEqual(11);
  });

  it("detects no face in flat grey or in noise", async () => {
    const noise = Uint8Array.from({ length: 64 * 64 * 3 }, (_, i) => (i * 7919) % 251);
    const pixels = new Uint8Array(2 * 64 * 64 * 3);
    pixels.fill(128, 0, 64 * 64 * 3);
    pixels.set(noise, 64 * 64 * 3);
    const [grey, random] = await analyseFaces({ size: 64, count: 2, pixels });
    expect(grey && isDetected(grey)).toBe(false);
    expect(random && isDetected(random)).toBe(false);
  });

  it("puts the same person closer than different people", () => {
    const same: number[] = [];
    const different: number[] = [];
    analyses.forEach((a, i) => {
      for (let j = i + 1; j < analyses.length; j++) {
        const distance = descriptorDistance(a.descriptor, (analyses[j] as FaceAnalysis).descriptor);
        (crops.identities[i] === crops.identities[j] ? same : different).push(distance);
      }
    });
    expect(mean(same)).toBeLessThan(SAME_PERSON_THRESHOLD);
    expect(mean(different)).toBeGreaterThan(SAME_PERSON_THRESHOLD);
  });

  it("gives the same numbers for the same pixels, whatever the batch", async () => {
    const again = await analyseFaces({ ...crops.images, count: 2 });
    expect(again[0]?.score).toBeCloseTo(analyses[0]?.score ?? Number.NaN, 5);
    expect(
      descriptorDistance(again[1]?.descriptor as Float32Array, analyses[1]?.descriptor as Float32Array),
    ).toBeLessThan(1e-4);
  });
});
