/**
 * Writes the training crops in the layout of prepared.ts, streaming: each crop is appended to images.u8 as
 * soon as it and the ones before it are made, so memory stays flat however many faces there are (the full
 * CelebA is ~2.3 GB of 64×64 crops). The folder is staged and renamed at the end (atomic-dir.ts).
 */
import { closeSync, fsyncSync, openSync, writeFileSync, writeSync } from "node:fs";
import path from "node:path";
import { buildDirAtomically } from "./atomic-dir.ts";
import type { CelebaFace } from "./celeba.ts";
import { cropInOrder } from "./crop-stream.ts";
import { type TrainManifest, trainDir } from "./prepared.ts";

/** Crops gathered per write: fewer system calls, still a bounded buffer (~3 MB at 64×64). */
const CROPS_PER_WRITE = 256;

export interface TrainingSetOptions {
  celebaDir: string;
  dataDir: string;
  imageSize: number;
  skipBad?: boolean;
  onFace?: () => void;
}

/** Returns what was written (faces that could be cropped, in input order) and the files skipped. */
export function writeTrainingSet(
  faces: readonly CelebaFace[],
  options: TrainingSetOptions,
): Promise<{ written: CelebaFace[]; skipped: string[] }> {
  const dir = trainDir(options.dataDir, options.imageSize);
  return buildDirAtomically(dir, async (staging) => {
    const written: CelebaFace[] = [];
    const skipped: string[] = [];
    const fd = openSync(path.join(staging, "images.u8"), "w");
    try {
      let batch: Buffer[] = [];
      const flush = () => {
        const bytes = Buffer.concat(batch);
        for (let offset = 0; offset < bytes.length; ) offset += writeSync(fd, bytes, offset, bytes.length - offset);
        batch = [];
      };
      for await (const { face, crop } of cropInOrder(faces, options)) {
        options.onFace?.();
        if (!crop) {
          skipped.push(face.source);
          continue;
        }
        batch.push(crop);
        written.push({ source: face.source, identity: face.identity });
        if (batch.length === CROPS_PER_WRITE) flush();
      }
      flush();
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    const manifest: TrainManifest = {
      imageSize: options.imageSize,
      count: written.length,
      identities: new Set(written.map((face) => face.identity)).size,
      celebaDir: options.celebaDir,
      createdAt: new Date().toISOString(),
      faces: written,
    };
    writeFileSync(path.join(staging, "manifest.json"), `${JSON.stringify(manifest)}\n`);
    return { written, skipped };
  });
}
