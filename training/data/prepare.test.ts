import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import sharp from "sharp";
import { describe, expect, it } from "vitest";
import { UserError } from "../cli/user-error.ts";
import { cropFace, IDENTITY_FILE, IMAGE_FOLDER } from "./celeba.ts";
import { prepareData, prepareQuizPool } from "./prepare.ts";
import { loadTrainingImages, readPoolManifest } from "./prepared.ts";
import { celebaForTests } from "./testing/celeba-for-tests.ts";

const temp = () => mkdtempSync(path.join(tmpdir(), "stf-prepare-"));

function prepareInto(
  dir: string,
  options: { celebaDir?: string; limit?: number; skipBad?: boolean; imageSize?: number } = {},
) {
  return prepareData({
    celebaDir: options.celebaDir ?? celebaForTests(),
    dataDir: path.join(dir, "data"),
    poolDir: path.join(dir, "pool"),
    imageSize: options.imageSize ?? 64,
    limit: options.limit ?? 60,
    skipBad: options.skipBad,
  });
}

/** A small CelebA-shaped folder: a few real images plus whatever a test adds. */
function miniCeleba(count: number): string {
  const celeba = celebaForTests();
  const dir = temp();
  mkdirSync(path.join(dir, IMAGE_FOLDER));
  for (let i = 1; i <= count; i++) {
    const name = `${String(i).padStart(6, "0")}.jpg`;
    copyFileSync(path.join(celeba, IMAGE_FOLDER, name), path.join(dir, IMAGE_FOLDER, name));
  }
  copyFileSync(path.join(celeba, IDENTITY_FILE), path.join(dir, IDENTITY_FILE));
  return dir;
}

describe("data preparation", () => {
  it("writes 64×64 RGB crops with a real range, and an identity-disjoint pool of PNGs", async () => {
    const dir = temp();
    const summary = await prepareInto(dir);
    expect(summary.train + summary.pool).toBe(60);
    const { manifest, pixels } = loadTrainingImages(path.join(dir, "data"), 64);
    expect(manifest.count).toBe(summary.train);
    expect(pixels.length).toBe(summary.train * 64 * 64 * 3);
    // Real photos use most of the 8-bit range; a blank or mis-scaled crop would not.
    expect(Math.min(...pixels.subarray(0, 64 * 64 * 3))).toBeLessThan(40);
    expect(Math.max(...pixels.subarray(0, 64 * 64 * 3))).toBeGreaterThan(200);

    const pool = readPoolManifest(path.join(dir, "pool"));
    expect(pool?.faces.length).toBe(summary.pool);
    const trainPeople = new Set(manifest.faces.map((f) => f.identity));
    expect(pool?.faces.some((f) => trainPeople.has(f.identity))).toBe(false);
    const first = pool?.faces[0];
    if (!first) throw new Error("empty pool");
    expect(first.id).toMatch(/^[0-9a-f]{20}$/);
    expect(first.file).not.toContain(first.source.replace(".jpg", ""));
    const meta = await sharp(path.join(dir, "pool", first.file)).metadata();
    expect([meta.width, meta.height, meta.channels]).toEqual([64, 64, 3]);
  });

  it("is deterministic: preparing twice gives the same bytes", async () => {
    const [a, b] = [temp(), temp()];
    await prepareInto(a, { limit: 20 });
    await prepareInto(b, { limit: 20 });
    const bytes = (dir: string) => readFileSync(path.join(dir, "data", "train-64", "images.u8"));
    expect(bytes(a).equals(bytes(b))).toBe(true);
  });

  it("supports 128×128 crops", async () => {
    const dir = temp();
    const summary = await prepareInto(dir, { limit: 10, imageSize: 128 });
    expect(loadTrainingImages(path.join(dir, "data"), 128).pixels.length).toBe(summary.train * 128 * 128 * 3);
  });

  it("explains a missing folder instead of crashing", async () => {
    await expect(prepareInto(temp(), { celebaDir: "/nonexistent/celeba" })).rejects.toThrow(UserError);
    await expect(prepareInto(temp(), { celebaDir: "/nonexistent/celeba" })).rejects.toThrow(
      /No CelebA images at .*--celeba/,
    );
  });

  it("names an odd-sized image and what to do; --skip-bad leaves it out", async () => {
    const celeba = miniCeleba(12);
    await sharp({ create: { width: 100, height: 100, channels: 3, background: "#888" } })
      .jpeg()
      .toFile(path.join(celeba, IMAGE_FOLDER, "000013.jpg"));
    await expect(prepareInto(temp(), { celebaDir: celeba })).rejects.toThrow(
      /000013\.jpg is 100×100.*remove this file/,
    );
    const summary = await prepareInto(temp(), { celebaDir: celeba, skipBad: true });
    expect(summary.skipped).toEqual(["000013.jpg"]);
    expect(summary.train + summary.pool).toBe(12);
  });

  it("names an unreadable image", async () => {
    const celeba = miniCeleba(3);
    writeFileSync(path.join(celeba, IMAGE_FOLDER, "000004.jpg"), "not a jpeg");
    await expect(prepareInto(temp(), { celebaDir: celeba })).rejects.toThrow(/000004\.jpg is not a readable image/);
  });

  it("leaves no half-written output behind when it fails", async () => {
    const celeba = miniCeleba(3);
    writeFileSync(path.join(celeba, IMAGE_FOLDER, "000004.jpg"), "not a jpeg");
    const dir = temp();
    await expect(prepareInto(dir, { celebaDir: celeba })).rejects.toThrow();
    expect(existsSync(path.join(dir, "data", "train-64"))).toBe(false);
    expect(existsSync(path.join(dir, "pool"))).toBe(false);
  });

  it("appends each crop in manifest order; a skipped image shifts nothing", async () => {
    const celeba = miniCeleba(12);
    writeFileSync(path.join(celeba, IMAGE_FOLDER, "000006.jpg"), "not a jpeg");
    const dir = temp();
    const summary = await prepareInto(dir, { celebaDir: celeba, skipBad: true });
    expect(summary.skipped).toEqual(["000006.jpg"]);
    const { manifest, pixels } = loadTrainingImages(path.join(dir, "data"), 64);
    expect(manifest.faces.map((f) => f.source)).not.toContain("000006.jpg");
    const stride = 64 * 64 * 3;
    for (const [k, face] of manifest.faces.entries()) {
      const crop = await cropFace(path.join(celeba, IMAGE_FOLDER, face.source), 64);
      expect(Buffer.from(pixels.subarray(k * stride, (k + 1) * stride)).equals(crop), face.source).toBe(true);
    }
  });

  it("keeps the previous dataset whole when a later run fails, and leaves no staging folder", async () => {
    const celeba = miniCeleba(8);
    const dir = temp();
    await prepareInto(dir, { celebaDir: celeba });
    const images = path.join(dir, "data", "train-64", "images.u8");
    const before = readFileSync(images);
    const poolBefore = readFileSync(path.join(dir, "pool", "manifest.json"), "utf8");
    copyFileSync(
      path.join(celebaForTests(), IMAGE_FOLDER, "000009.jpg"),
      path.join(celeba, IMAGE_FOLDER, "000009.jpg"),
    );
    writeFileSync(path.join(celeba, IMAGE_FOLDER, "000010.jpg"), "not a jpeg");
    await expect(prepareInto(dir, { celebaDir: celeba })).rejects.toThrow(/000010\.jpg/);
    expect(readFileSync(images).equals(before)).toBe(true);
    expect(readFileSync(path.join(dir, "pool", "manifest.json"), "utf8")).toBe(poolBefore);
    expect(readdirSync(path.join(dir, "data"))).toEqual(["train-64"]);
    expect(readdirSync(dir).sort()).toEqual(["data", "pool"]);
  });
});

describe("the quiz pool alone (npm start)", () => {
  it("writes the same pool as data:prepare, and no training crops", async () => {
    const [full, alone] = [temp(), temp()];
    const prepared = await prepareInto(full, { limit: 300 });
    const summary = await prepareQuizPool({
      celebaDir: celebaForTests(),
      poolDir: path.join(alone, "pool"),
      imageSize: 64,
      limit: 300,
    });
    expect(readdirSync(alone)).toEqual(["pool"]);
    expect(summary.pool).toBe(prepared.pool);
    expect(summary.pool).toBeGreaterThan(10);
    const manifest = readPoolManifest(path.join(alone, "pool"));
    expect(manifest).toEqual(readPoolManifest(path.join(full, "pool")));
    for (const face of manifest?.faces ?? []) {
      const bytes = (dir: string) => readFileSync(path.join(dir, "pool", face.file));
      expect(bytes(alone).equals(bytes(full))).toBe(true);
    }
  });

  it("keeps at most the cap, one face per person before a second", async () => {
    const dir = temp();
    const summary = await prepareQuizPool({
      celebaDir: celebaForTests(),
      poolDir: path.join(dir, "pool"),
      imageSize: 64,
      limit: 2000,
      poolCap: 20,
    });
    // The first 2,000 images hold 191 faces of 167 held-out people.
    expect(summary).toMatchObject({ pool: 20, poolIdentities: 20, heldOut: 191, heldOutIdentities: 167 });
    const manifest = readPoolManifest(path.join(dir, "pool"));
    expect(new Set(manifest?.faces.map((f) => f.identity)).size).toBe(20);
    expect(readdirSync(path.join(dir, "pool"))).toHaveLength(21);
  });
});
