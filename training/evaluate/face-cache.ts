/**
 * An on-disk cache of face descriptors, keyed by the SHA-256 of a face's pixels, one file per descriptor
 * protocol. Real faces (quiz pool, training set) are the same from one evaluation to the next; describing
 * ~10,000 of them costs ~7 minutes, so only the generated faces are described on each run.
 *
 * The file is a sequence of fixed-size records (hash, descriptor), appended as batches finish. A crash can
 * leave only a partial last record, which opening drops; a re-prepared data set changes the hashes and so
 * simply misses.
 */
import { createHash } from "node:crypto";
import { appendFileSync, existsSync, mkdirSync, readFileSync, truncateSync } from "node:fs";
import path from "node:path";
import { DESCRIPTOR_PROTOCOL, describeAll } from "./face-analysis.ts";
import { type FaceImages, faceBytes, pickFaces } from "./face-images.ts";

const DESCRIPTOR_LENGTH = 128;
const HASH_BYTES = 32;
const RECORD_BYTES = HASH_BYTES + 4 * DESCRIPTOR_LENGTH;
/** Records written per append, so an interrupted run keeps most of its work. */
const FLUSH_EVERY = 256;

export function cacheFile(cacheDir: string): string {
  return path.join(cacheDir, `${DESCRIPTOR_PROTOCOL.replace(/[^a-zA-Z0-9.+@-]+/g, "_")}.bin`);
}

export class FaceCache {
  private readonly entries = new Map<string, Float32Array>();

  private constructor(private readonly file: string) {}

  static open(cacheDir: string): FaceCache {
    const cache = new FaceCache(cacheFile(cacheDir));
    mkdirSync(cacheDir, { recursive: true });
    if (existsSync(cache.file)) cache.load();
    return cache;
  }

  get size(): number {
    return this.entries.size;
  }

  /** Descriptors of every face, reading what the cache has and computing (and storing) the rest. */
  async describe(images: FaceImages, onProgress: (done: number) => void = () => {}): Promise<Float32Array[]> {
    const hashes = Array.from({ length: images.count }, (_, i) => pixelHash(faceBytes(images, i)));
    const missingSet = new Set(hashes.filter((hash) => !this.entries.has(hash)));
    const missing = [...missingSet];
    const firstIndex = new Map(hashes.map((hash, i) => [hash, i] as const).reverse());
    const cached = hashes.filter((hash) => !missingSet.has(hash)).length;
    onProgress(cached);
    for (let from = 0; from < missing.length; from += FLUSH_EVERY) {
      const chunk = missing.slice(from, from + FLUSH_EVERY);
      const faces = pickFaces(
        images,
        chunk.map((hash) => firstIndex.get(hash) as number),
      );
      this.store(chunk, await describeAll(faces, (done) => onProgress(cached + from + done)));
    }
    return hashes.map((hash) => this.entries.get(hash) as Float32Array);
  }

  private load(): void {
    const bytes = readFileSync(this.file);
    const whole = bytes.length - (bytes.length % RECORD_BYTES);
    // Later appends must start on a record boundary.
    if (whole !== bytes.length) truncateSync(this.file, whole);
    for (let offset = 0; offset < whole; offset += RECORD_BYTES) {
      const hash = bytes.subarray(offset, offset + HASH_BYTES).toString("hex");
      const descriptor = new Float32Array(DESCRIPTOR_LENGTH);
      for (let j = 0; j < DESCRIPTOR_LENGTH; j++) descriptor[j] = bytes.readFloatLE(offset + HASH_BYTES + 4 * j);
      this.entries.set(hash, descriptor);
    }
  }

  private store(hashes: readonly string[], descriptors: readonly Float32Array[]): void {
    const records = Buffer.alloc(hashes.length * RECORD_BYTES);
    for (const [i, hash] of hashes.entries()) {
      const descriptor = descriptors[i] as Float32Array;
      const offset = i * RECORD_BYTES;
      records.write(hash, offset, "hex");
      for (const [j, value] of descriptor.entries()) records.writeFloatLE(value, offset + HASH_BYTES + 4 * j);
      this.entries.set(hash, descriptor);
    }
    appendFileSync(this.file, records);
  }
}

export function pixelHash(bytes: Uint8Array): string {
  return createHash("sha256").update(bytes).digest("hex");
}
