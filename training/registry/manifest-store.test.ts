/**
 * The manifest on disk under stress: writers killed mid-write, and two operators deploying at once.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, readdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { rotation } from "../../src/core/in-rotation.ts";
import { manifestFile, readManifest } from "../../src/model-manifest-file.ts";
import { updateManifest } from "./manifest-store.ts";
import { writeVersion } from "./testing/versions.ts";

const CHILD = fileURLToPath(new URL("./testing/registry-child.ts", import.meta.url));

function child(...args: string[]): ChildProcess {
  return spawn(process.execPath, ["--import", "tsx", CHILD, ...args], { stdio: ["ignore", "pipe", "inherit"] });
}

const exited = (process: ChildProcess) =>
  new Promise<number | null>((resolve) => process.once("exit", (code) => resolve(code)));

const started = (process: ChildProcess) =>
  new Promise<void>((resolve) => process.stdout?.once("data", () => resolve()));

const tempFiles = (dir: string) => readdirSync(dir).filter((name) => name.endsWith(".tmp"));

describe("manifest store", () => {
  it("never shows a reader, or leaves after a crash, a broken manifest", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "stf-crash-"));
    let reads = 0;
    for (let kill = 0; kill < 4; kill++) {
      const writer = child("churn", dir);
      try {
        await started(writer);
        const until = Date.now() + 300 + kill * 170;
        while (Date.now() < until) {
          try {
            readManifest(dir);
            reads++;
          } catch (error) {
            // Only "not there yet" is acceptable before the first rename.
            if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
          }
          await new Promise((resolve) => setTimeout(resolve, 2));
        }
      } finally {
        writer.kill("SIGKILL");
        await exited(writer);
      }
      expect(readManifest(dir).versions).toHaveLength(400);
    }
    expect(reads).toBeGreaterThan(20);
    // The next locked update clears temporary files that killed writers left.
    writeFileSync(path.join(dir, ".manifest.json.999999.dead.tmp"), "{");
    await updateManifest(dir, (manifest) => manifest);
    expect(tempFiles(dir)).toEqual([]);
  });

  it("refuses a broken manifest instead of treating it as empty", () => {
    const dir = mkdtempSync(path.join(tmpdir(), "stf-broken-"));
    writeFileSync(manifestFile(dir), '{"versions": [');
    expect(() => readManifest(dir)).toThrow();
  });

  it("loses no update when two operators deploy at the same time", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "stf-lock-"));
    const first = Array.from({ length: 15 }, (_, i) => `a${i}`);
    const second = Array.from({ length: 15 }, (_, i) => `b${i}`);
    for (const version of [...first, ...second]) await writeVersion(dir, version);
    const startAt = String(Date.now() + 3000);
    const codes = await Promise.all([
      exited(child("deploy", dir, startAt, ...first)),
      exited(child("deploy", dir, startAt, ...second)),
    ]);
    expect(codes).toEqual([0, 0]);
    const manifest = readManifest(dir);
    expect(
      rotation(manifest)
        .map((e) => e.version)
        .sort(),
    ).toEqual([...first, ...second].sort());
    expect(manifest.history).toHaveLength(30);
  });
});
