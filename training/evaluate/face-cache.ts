/**
 * An on-disk cache of what face-api makes of real faces, keyed by the SHA-256 of a face's pixels: descriptors
 * in one file per descriptor protocol, detector scores in one file per full protocol. Real faces (quiz pool,
 * training set) are the same from one evaluation to the next; describing ~10,000 of them costs ~5 minutes and
 * detecting the pool ~10 s, so only the generated faces are analysed on each run.
 *
 * Each file is a sequence of fixed-size records (hash, float32 values), appended as batches finish. A crash
 * can leave only a partial last record, which opening drops; a re-prepared data set changes the hashes and
 * so simply misses.
 */
import { createHash } from "node:crypto";
import { appendFileSync, existsSync, mkdirSync, readFileSync, truncateSync } from "node:fs";
import path from "node:path";
import { type FaceImages, faceBytes, pickFaces } from "../data/face-images.ts";
import { DESCRIPTOR_PROTOCOL, describeAll, detectFaces, PROTOCOL } from "./face-analysis.ts";

const DESCRIPTOR_LENGTH = 128;
const HASH_BYTES = 32;
/** Records written per append, so an interrupted run keeps most of its work. */
const FLUSH_EVERY = 256;

type Progress = (done: number) => void;

const fileFor = (cacheDir: string, protocol: string, kind: string) =>
  path.join(cacheDir, `${kind}-${protocol.replace(/[^a-zA-Z0-9.+@-]+/g, "_")}.bin`);

export const cacheFile = (cacheDir: string) => fileFor(cacheDir, DESCRIPTOR_PROTOCOL, "descriptors");

export class FaceCache {
  private constructor(
    private readonly descriptors: RecordFile,
    private readonly scores: RecordFile,
  ) {}

  static open(cacheDir: string): FaceCache {
    mkdirSync(cacheDir, { recursive: true });
    return new FaceCache(
      new RecordFile(cacheFile(cacheDir), DESCRIPTOR_LENGTH),
      new RecordFile(fileFor(cacheDir, PROTOCOL, "scores"), 1),
    );
  }

  /** Faces with a cached descriptor. */
  get size(): number {
    return this.descriptors.size;
  }

  describe(images: FaceImages, onProgress: Progress = () => {}): Promise<Float32Array[]> {
    return this.descriptors.lookup(images, onProgress, describeAll);
  }

  async detect(images: FaceImages, onProgress: Progress = () => {}): Promise<number[]> {
    const compute = async (faces: FaceImages, progress: Progress) =>
      (await detectFaces(faces, progress)).map((score) => Float32Array.of(score));
    return (await this.scores.lookup(images, onProgress, compute)).map((value) => value[0] as number);
  }
}

/** One cache file: SHA-256 of the pixels → `width` float32 values. */
class RecordFile {
  private readonly entries = new Map<string, Float32Array>();
  private readonly recordBytes: number;

  constructor(
    private readonly file: string,
    private readonly width: number,
  ) {
    this.recordBytes = HASH_BYTES + 4 * width;
    if (existsSync(file)) this.load();
  }

  get size(): number {
    return this.entries.size;
  }

  /** Values for every face, reading what the file has and computing (and storing) the rest. */
  async lookup(
    images: FaceImages,
    onProgress: Progress,
    compute: (faces: FaceImages, progress: Progress) => Promise<Float32Array[]>,
  ): Promise<Float32Array[]> {
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
      this.store(chunk, await compute(faces, (done) => onProgress(cached + from + done)));
    }
    return hashes.map((hash) => this.entries.get(hash) as Float32Array);
  }

  private load(): void {
    const bytes = readFileSync(this.file);
    const whole = bytes.length - (bytes.length % this.recordBytes);
    // Later appends must start on a record boundary.
    if (whole !== bytes.length) truncateSync(this.file, whole);
    for (let offset = 0; offset < whole; offset += this.recordBytes) {
      const hash = bytes.subarray(offset, offset + HASH_BYTES).toString("hex");
      const values = new Float32Array(this.width);
      for (let j = 0; j < this.width; j++) values[j] = bytes.readFloatLE(offset + HASH_BYTES + 4 * j);
      this.entries.set(hash, values);
    }
  }

  private store(hashes: readonly string[], values: readonly Float32Array[]): void {
    const records = Buffer.alloc(hashes.length * this.recordBytes);
    for (const [i, hash] of hashes.entries()) {
      const record = values[i] as Float32Array;
      const offset = i * this.recordBytes;
      records.write(hash, offset, "hex");
      for (const [j, value] of record.entries()) records.writeFloatLE(value, offset + HASH_BYTES + 4 * j);
      this.entries.set(hash, record);
    }
    appendFileSync(this.file, records);
  }
}

export function pixelHash(bytes: Uint8Array): string {
  return createHash("sha256").update(bytes).digest("hex");
}
