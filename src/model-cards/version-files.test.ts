import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { versionFile } from "./version-files.ts";

describe("version files", () => {
  it("serves a version's plain files with their types, and nothing else", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "stf-files-"));
    mkdirSync(path.join(dir, "v1"));
    writeFileSync(path.join(dir, "v1", "model.json"), JSON.stringify({ weightsManifest: [] }));
    writeFileSync(path.join(dir, "v1", ".metadata.json.1.tmp"), "{}");
    writeFileSync(path.join(dir, "manifest.json"), "{}");
    const model = await versionFile(dir, "v1", "model.json");
    expect(model.headers.get("content-type")).toBe("application/json");
    expect(JSON.parse(await model.text())).toHaveProperty("weightsManifest");
    for (const [version, file] of [
      ["v1", "../manifest.json"],
      ["v1", ".metadata.json.1.tmp"],
      ["v1", "model"],
      ["..", "model.json"],
      ["v2", "model.json"],
    ] as const) {
      expect((await versionFile(dir, version, file)).status).toBe(404);
    }
  });
});
