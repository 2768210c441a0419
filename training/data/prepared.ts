/**
 * The prepared dataset on disk: what `data:prepare` writes and what training, evaluation and the site read.
 *
 *   <data>/train-<S>/images.u8      N×S×S×3 uint8 RGB, NHWC: the training faces
 *   <data>/train-<S>/manifest.json  { imageSize, count, identities, celebaDir, faces: [{ source, identity }] }
 *   <quiz pool>/manifest.json       { imageSize, faces: [{ id, file, identity, source }] } + one PNG per face
 */
import { closeSync, existsSync, fstatSync, openSync, readFileSync, readSync } from "node:fs";
import path from "node:path";
import { z } from "zod";
import { type PoolManifest, PoolManifestSchema } from "../../src/core/quiz-pool-manifest.ts";
import { UserError } from "../cli/user-error.ts";

export const TrainManifestSchema = z.object({
  imageSize: z.number().int(),
  count: z.number().int(),
  identities: z.number().int(),
  celebaDir: z.string(),
  createdAt: z.string(),
  faces: z.array(z.object({ source: z.string(), identity: z.number().int() })),
});
export type TrainManifest = z.infer<typeof TrainManifestSchema>;

export const trainDir = (dataDir: string, imageSize: number) => path.join(dataDir, `train-${imageSize}`);

export interface TrainingImages {
  manifest: TrainManifest;
  /** N×S×S×3 uint8. */
  pixels: Uint8Array;
}

export function loadTrainingImages(dataDir: string, imageSize: number): TrainingImages {
  const manifest = readTrainManifest(dataDir, imageSize);
  const pixels = withImageFile(dataDir, manifest, (fd, bytes) => {
    // One array filled piece by piece: readFileSync stops at 2 GiB, below the full CelebA's 2.2 GB.
    const all = new Uint8Array(bytes);
    readAt(fd, all, 0);
    return all;
  });
  return { manifest, pixels };
}

/**
 * Only the faces at `indices`, read where they lie in images.u8: a sample of a training set too large to
 * hold costs only its own bytes.
 */
export function loadTrainingSubset(dataDir: string, manifest: TrainManifest, indices: readonly number[]): Uint8Array {
  const stride = manifest.imageSize * manifest.imageSize * 3;
  return withImageFile(dataDir, manifest, (fd) => {
    const chosen = new Uint8Array(indices.length * stride);
    for (const [slot, index] of indices.entries()) {
      if (!(Number.isInteger(index) && index >= 0 && index < manifest.count)) {
        throw new RangeError(`no training face ${index} (of ${manifest.count})`);
      }
      readAt(fd, chosen.subarray(slot * stride, (slot + 1) * stride), index * stride);
    }
    return chosen;
  });
}

export function readTrainManifest(dataDir: string, imageSize: number): TrainManifest {
  const dir = trainDir(dataDir, imageSize);
  const manifestFile = path.join(dir, "manifest.json");
  if (!existsSync(manifestFile)) {
    throw new UserError(
      `No prepared ${imageSize}×${imageSize} training data in ${dir}. Run: npm run data:prepare -- --size ${imageSize}`,
    );
  }
  return TrainManifestSchema.parse(JSON.parse(readFileSync(manifestFile, "utf8")));
}

/** Opens images.u8 after checking its size against the manifest. */
function withImageFile<R>(dataDir: string, manifest: TrainManifest, read: (fd: number, bytes: number) => R): R {
  const file = path.join(trainDir(dataDir, manifest.imageSize), "images.u8");
  const fd = openSync(file, "r");
  try {
    const bytes = fstatSync(fd).size;
    const expected = manifest.count * manifest.imageSize * manifest.imageSize * 3;
    if (bytes !== expected) {
      throw new UserError(`${file} holds ${bytes} bytes, expected ${expected}: prepare the data again.`);
    }
    return read(fd, bytes);
  } finally {
    closeSync(fd);
  }
}

/** Fills `target` from the file at `position` (a read may return less than asked). */
function readAt(fd: number, target: Uint8Array, position: number): void {
  for (let done = 0; done < target.length; ) {
    const got = readSync(fd, target, done, Math.min(target.length - done, 1 << 30), position + done);
    if (got === 0) throw new UserError("images.u8 ended early: prepare the data again.");
    done += got;
  }
}

export function readPoolManifest(poolDir: string): PoolManifest | null {
  const file = path.join(poolDir, "manifest.json");
  if (!existsSync(file)) return null;
  return PoolManifestSchema.parse(JSON.parse(readFileSync(file, "utf8")));
}
