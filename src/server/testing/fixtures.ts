/**
 * Small on-disk fixtures for server tests: a quiz pool of generated PNGs (never CelebA) and a models folder
 * with a manifest and per-version metadata.
 */
import { mkdirSync, renameSync, writeFileSync } from "node:fs";
import path from "node:path";
import sharp from "sharp";
import type { Manifest } from "../../core/model-manifest.ts";

export async function makeQuizPool(dir: string, count: number): Promise<string[]> {
  mkdirSync(dir, { recursive: true });
  const faces = [];
  for (let i = 0; i < count; i++) {
    const id = (0xa0000 + i).toString(16).padStart(20, "0");
    const png = await sharp({
      create: { width: 64, height: 64, channels: 3, background: { r: (i * 37) % 256, g: (i * 91) % 256, b: 128 } },
    })
      .png()
      .toBuffer();
    writeFileSync(path.join(dir, `${id}.png`), png);
    faces.push({ id, file: `${id}.png`, identity: 1000 + i, source: `${String(i + 1).padStart(6, "0")}.jpg` });
  }
  writeFileSync(path.join(dir, "manifest.json"), JSON.stringify({ imageSize: 64, faces }));
  return faces.map((face) => face.id);
}

export interface FixtureVersion {
  readonly version: string;
  readonly status?: "active" | "retired" | "candidate";
  readonly weight?: number;
  /** Written to metadata.json; undefined writes no metadata.json at all. */
  readonly truncation?: number | null;
}

export function writeModels(dir: string, versions: readonly FixtureVersion[]): void {
  mkdirSync(dir, { recursive: true });
  const manifest: Manifest = {
    versions: versions.map((v) => ({
      version: v.version,
      status: v.status ?? "active",
      weight: v.weight ?? 1,
      addedAt: "2026-01-01T00:00:00.000Z",
    })),
    history: [],
  };
  for (const v of versions) {
    if (v.truncation === undefined) continue;
    mkdirSync(path.join(dir, v.version), { recursive: true });
    writeFileSync(
      path.join(dir, v.version, "metadata.json"),
      JSON.stringify({ version: v.version, truncation: v.truncation }),
    );
  }
  // Replaced by rename, as the deploy tools do, so readers never see half a file.
  const temp = path.join(dir, `.manifest.${process.pid}.tmp`);
  writeFileSync(temp, JSON.stringify(manifest));
  renameSync(temp, path.join(dir, "manifest.json"));
}
