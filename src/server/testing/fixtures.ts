/**
 * Small on-disk fixtures for server tests: a quiz pool of generated PNGs (never CelebA) and a models folder
 * with a manifest, per-version metadata and seed banks.
 */
import { mkdirSync, renameSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import sharp from "sharp";
import type { Manifest } from "../../core/model-manifest.ts";
import type { PolicyMix } from "../../core/sampling-policy.ts";
import { SEED_BANK_FILE, type SeedBank } from "../../core/seed-bank.ts";
import { manifestFile } from "../../model-manifest-file.ts";

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
  /** The rotation's policy mix for this version (absent: random only). */
  readonly policies?: PolicyMix;
  /** Written as bank.json; undefined removes any bank the version had. */
  readonly bank?: SeedBank["seeds"];
}

export function writeModels(dir: string, versions: readonly FixtureVersion[]): void {
  mkdirSync(dir, { recursive: true });
  const manifest: Manifest = {
    versions: versions.map((v) => ({
      version: v.version,
      status: v.status ?? "active",
      weight: v.weight ?? 1,
      addedAt: "2026-01-01T00:00:00.000Z",
      ...(v.policies ? { policies: v.policies } : {}),
    })),
    history: [],
  };
  for (const v of versions) {
    const bankFile = path.join(dir, v.version, SEED_BANK_FILE);
    if (v.bank) {
      mkdirSync(path.join(dir, v.version), { recursive: true });
      const bank: SeedBank = { version: v.version, judge: "fixture", candidates: v.bank.length * 10, seeds: v.bank };
      writeFileSync(bankFile, JSON.stringify(bank));
    } else rmSync(bankFile, { force: true });
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
  renameSync(temp, manifestFile(dir));
}

/** A bank of `count` seeds (10_000, 10_001, …) at one truncation, best score first, as a curation tool writes. */
export function fixtureBank(count: number, truncation: number | null = 0.6): SeedBank["seeds"] {
  return Array.from({ length: count }, (_, i) => ({ seed: 10_000 + i, truncation, score: 1 - i / count }));
}
