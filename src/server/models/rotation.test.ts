/**
 * Reading the model rotation: weighted choice among active versions, truncation from metadata.json, and
 * following a manifest replaced on disk (as the deploy tools do) without a restart.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { seededUniform } from "../../core/noise.ts";
import { fixtureBank, writeModels } from "../testing/fixtures.ts";
import { ModelRotation } from "./rotation.ts";
import { SeedBanks } from "./seed-banks.ts";

/** Runs `body` with console.warn silenced (the readers warn about the broken files these tests write). */
function quietly<T>(body: () => T): T {
  const original = console.warn;
  console.warn = () => {};
  try {
    return body();
  } finally {
    console.warn = original;
  }
}

describe("ModelRotation", () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), "stf-models-"));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it("picks active versions in proportion to their weights, never retired or candidates", () => {
    writeModels(dir, [
      { version: "a", weight: 3, truncation: 0.7 },
      { version: "b", weight: 1, truncation: null },
      { version: "c", status: "retired", weight: 5 },
      { version: "d", status: "candidate", weight: 5 },
      { version: "e", weight: 0 },
    ]);
    const rotation = new ModelRotation(dir);
    const unit = seededUniform(3);
    const counts = new Map<string, number>();
    for (let i = 0; i < 4000; i++) {
      const version = rotation.pick(unit, 0)?.version ?? "none";
      counts.set(version, (counts.get(version) ?? 0) + 1);
    }
    expect([...counts.keys()].sort()).toEqual(["a", "b"]);
    expect((counts.get("a") ?? 0) / 4000).toBeCloseTo(0.75, 1);
    expect(rotation.pick(() => 0, 0)).toEqual({ version: "a", truncation: 0.7, policies: { random: 1 } });
    expect(rotation.pick(() => 0.99, 0)).toEqual({ version: "b", truncation: null, policies: { random: 1 } });
  });

  it("falls back to null truncation without metadata, and to nothing without a manifest", () => {
    const rotation = new ModelRotation(dir);
    expect(rotation.pick(() => 0.5, 0)).toBeNull();
    writeModels(dir, [{ version: "bare" }]);
    expect(rotation.pick(() => 0.5, 2_000)).toEqual({ version: "bare", truncation: null, policies: { random: 1 } });
  });

  it("follows a replaced manifest within a second and ignores a broken one", () => {
    writeModels(dir, [{ version: "old", truncation: 0.5 }]);
    const rotation = new ModelRotation(dir);
    expect(rotation.pick(() => 0.5, 0)?.version).toBe("old");
    writeModels(dir, [
      { version: "old", status: "retired" },
      { version: "new", truncation: 0.9 },
    ]);
    expect(rotation.pick(() => 0.5, 500)?.version).toBe("old");
    expect(rotation.pick(() => 0.5, 1_000)).toEqual({ version: "new", truncation: 0.9, policies: { random: 1 } });
    writeFileSync(path.join(dir, "manifest.json"), '{"versions": [');
    const original = console.warn;
    console.warn = () => {};
    try {
      expect(rotation.pick(() => 0.5, 2_000)?.version).toBe("new");
    } finally {
      console.warn = original;
    }
  });

  it("carries each version's policy mix, random only by default, and refuses a mix without a positive weight", () => {
    writeModels(dir, [
      { version: "a", weight: 1, policies: { curated: 3, random: 1 } },
      { version: "b", weight: 1 },
    ]);
    const rotation = new ModelRotation(dir);
    expect(rotation.pick(() => 0.2, 0)?.policies).toEqual({ curated: 3, random: 1 });
    expect(rotation.pick(() => 0.7, 0)?.policies).toEqual({ random: 1 });
    writeModels(dir, [{ version: "a", policies: { curated: 0 } }]);
    // Not a valid rotation: the last good one stays.
    expect(quietly(() => rotation.pick(() => 0.2, 1_000))?.policies).toEqual({ curated: 3, random: 1 });
  });
});

describe("SeedBanks", () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), "stf-banks-"));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it("reads a version's bank.json, follows a new one, keeps the last good one and has none without a file", () => {
    const banks = new SeedBanks(dir);
    expect(banks.get("v1", 0)).toBeNull();
    writeModels(dir, [{ version: "v1", bank: fixtureBank(3, 0.6) }]);
    expect(banks.get("v1", 500)).toBeNull();
    expect(banks.get("v1", 1_000)?.seeds.map((s) => s.seed)).toEqual([10_000, 10_001, 10_002]);
    const file = path.join(dir, "v1", "bank.json");
    writeFileSync(file, '{"version": "v1", "seeds": [');
    expect(quietly(() => banks.get("v1", 2_000))?.seeds).toHaveLength(3);
    const valid = { judge: "j", candidates: 10, seeds: [{ seed: 7, truncation: null, score: 1 }] };
    writeFileSync(file, JSON.stringify({ ...valid, version: "v2" }));
    expect(quietly(() => banks.get("v1", 3_000))?.seeds).toHaveLength(3);
    writeFileSync(file, JSON.stringify({ ...valid, version: "v1", seeds: [{ seed: -1, truncation: 0.5, score: 1 }] }));
    expect(quietly(() => banks.get("v1", 4_000))?.seeds).toHaveLength(3);
    writeFileSync(file, JSON.stringify({ ...valid, version: "v1" }));
    expect(banks.get("v1", 5_000)?.seeds).toEqual([{ seed: 7, truncation: null, score: 1 }]);
    rmSync(file);
    expect(banks.get("v1", 6_000)).toBeNull();
  });
});
