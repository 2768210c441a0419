/**
 * The quiz pool: the real faces the game shows and model:evaluate compares fakes with, all of people held out
 * of training (split.ts). `npm start` makes it alone, without the training crops; `data:prepare` makes it
 * beside them. Both write the same pool from the same folder.
 *
 * It is capped: a game needs variety, not every held-out photo (the full CelebA holds out 20,701), and the
 * cap keeps a first start quick whatever the folder's size. The faces kept are spread over the held-out
 * people (spread.ts), so every held-out person is in while there are fewer than POOL_CAP of them.
 */
import { createHash } from "node:crypto";
import { writeFileSync } from "node:fs";
import path from "node:path";
import sharp from "sharp";
import type { PoolManifest } from "../../src/core/quiz-pool-manifest.ts";
import { buildDirAtomically } from "./atomic-dir.ts";
import type { CelebaFace } from "./celeba.ts";
import { cropInOrder } from "./crop-stream.ts";
import { spreadOverPeople } from "./spread.ts";

/** Faces in the pool at most: ~5 per held-out person on the full CelebA (1,040 of them). */
export const POOL_CAP = 5000;
const POOL_SALT = "spot-the-fake quiz pool";

/** The held-out faces that make the pool, in name order. */
export function choosePoolFaces<T extends CelebaFace>(heldOut: readonly T[], cap = POOL_CAP): T[] {
  return spreadOverPeople(heldOut, cap, POOL_SALT);
}

/** Opaque ids: nothing in a URL may hint at a CelebA file name or at the face being real. */
export function poolFaceId(source: string): string {
  return createHash("sha256").update(`spot-the-fake pool ${source}`).digest("hex").slice(0, 20);
}

export interface PoolOptions {
  celebaDir: string;
  poolDir: string;
  imageSize: number;
  skipBad?: boolean;
  /** Called after each face, written or skipped. */
  onFace?: () => void;
}

/**
 * Crops `faces` and writes them as PNGs under opaque ids, each as it is made, into a staging folder renamed
 * over `poolDir` at the end: an interrupted run leaves the old pool (or none), never half of one.
 * Returns the files it could not use (skipBad).
 */
export function writeQuizPool(faces: readonly CelebaFace[], options: PoolOptions): Promise<string[]> {
  return buildDirAtomically(options.poolDir, async (staging) => {
    const size = options.imageSize;
    const manifest: PoolManifest = { imageSize: size, faces: [] };
    const skipped: string[] = [];
    for await (const { face, crop } of cropInOrder(faces, options)) {
      options.onFace?.();
      if (!crop) {
        skipped.push(face.source);
        continue;
      }
      const id = poolFaceId(face.source);
      const file = `${id}.png`;
      await sharp(crop, { raw: { width: size, height: size, channels: 3 } })
        .png()
        .toFile(path.join(staging, file));
      manifest.faces.push({ id, file, identity: face.identity, source: face.source });
    }
    writeFileSync(path.join(staging, "manifest.json"), `${JSON.stringify(manifest, null, 1)}\n`);
    return skipped;
  });
}
