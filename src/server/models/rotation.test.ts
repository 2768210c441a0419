/**
 * Reading the model rotation: weighted choice among active versions, truncation from metadata.json, and
 * following a manifest replaced on disk (as the deploy tools do) without a restart.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { seededUniform } from "../../core/noise.ts";
import { writeModels } from "../testing/fixtures.ts";
import { ModelRotation } from "./rotation.ts";

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
    expect(rotation.pick(() => 0, 0)).toEqual({ version: "a", truncation: 0.7 });
    expect(rotation.pick(() => 0.99, 0)).toEqual({ version: "b", truncation: null });
  });

  it("falls back to null truncation without metadata, and to nothing without a manifest", () => {
    const rotation = new ModelRotation(dir);
    expect(rotation.pick(() => 0.5, 0)).toBeNull();
    writeModels(dir, [{ version: "bare" }]);
    expect(rotation.pick(() => 0.5, 2_000)).toEqual({ version: "bare", truncation: null });
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
    expect(rotation.pick(() => 0.5, 1_000)).toEqual({ version: "new", truncation: 0.9 });
    writeFileSync(path.join(dir, "manifest.json"), '{"versions": [');
    const original = console.warn;
    console.warn = () => {};
    try {
      expect(rotation.pick(() => 0.5, 2_000)?.version).toBe("new");
    } finally {
      console.warn = original;
    }
  });
});
