/**
 * Real CelebA face crops for tests, made at test time from the CelebA folder: the images (and crops of
 * them) are never committed. The same crop as `data:prepare`.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import sharp from "sharp";
import { CELEBA_DIR } from "../../../config/settings.ts";
import type { PoolManifest } from "../../../src/core/quiz-pool-manifest.ts";
import { cropFace, IMAGE_FOLDER, listFaces } from "../../data/celeba.ts";
import type { FaceImages } from "../../data/face-images.ts";
import type { TrainManifest } from "../../data/prepared.ts";
import { celebaForTests } from "../../data/testing/celeba-for-tests.ts";

export interface RealCrops {
  images: FaceImages;
  identities: number[];
  sources: string[];
}

/** `perPerson` crops of each of `people` people, person after person, from the first people who have enough. */
export async function realCrops(people: number, perPerson: number, skipPeople = 0): Promise<RealCrops> {
  const celeba = celebaForTests();
  const byPerson = new Map<number, string[]>();
  for (const face of listFaces(celeba))
    byPerson.set(face.identity, [...(byPerson.get(face.identity) ?? []), face.source]);
  const chosen = [...byPerson.entries()]
    .filter(([, files]) => files.length >= perPerson)
    .slice(skipPeople, skipPeople + people);
  const sources = chosen.flatMap(([, files]) => files.slice(0, perPerson));
  const identities = chosen.flatMap(([identity]) => Array<number>(perPerson).fill(identity));
  const crops = await Promise.all(sources.map((source) => cropFace(path.join(celeba, IMAGE_FOLDER, source), 64)));
  const pixels = new Uint8Array(Buffer.concat(crops));
  return { images: { size: 64, count: sources.length, pixels }, identities, sources };
}

/** Writes crops in the prepared layouts: a training set and a quiz pool (see training/data/prepared.ts). */
export async function writePreparedData(
  dataDir: string,
  poolDir: string,
  training: RealCrops,
  pool: RealCrops,
): Promise<void> {
  const trainDir = path.join(dataDir, "train-64");
  mkdirSync(trainDir, { recursive: true });
  writeFileSync(path.join(trainDir, "images.u8"), training.images.pixels);
  const trainManifest: TrainManifest = {
    imageSize: 64,
    count: training.images.count,
    identities: new Set(training.identities).size,
    celebaDir: CELEBA_DIR,
    createdAt: new Date().toISOString(),
    faces: training.sources.map((source, i) => ({ source, identity: training.identities[i] as number })),
  };
  writeFileSync(path.join(trainDir, "manifest.json"), JSON.stringify(trainManifest));
  mkdirSync(poolDir, { recursive: true });
  const poolManifest: PoolManifest = { imageSize: 64, faces: [] };
  const stride = 64 * 64 * 3;
  for (const [i, source] of pool.sources.entries()) {
    // Hex, as the pool schema wants: the game never sees these faces, but the pool is read as the game reads it.
    const id = i.toString(16).padStart(8, "0");
    const bytes = pool.images.pixels.subarray(i * stride, (i + 1) * stride);
    await sharp(bytes, { raw: { width: 64, height: 64, channels: 3 } })
      .png()
      .toFile(path.join(poolDir, `${id}.png`));
    poolManifest.faces.push({ id, file: `${id}.png`, identity: pool.identities[i] as number, source });
  }
  writeFileSync(path.join(poolDir, "manifest.json"), JSON.stringify(poolManifest));
}
