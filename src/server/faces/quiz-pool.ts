/**
 * The real faces the game shows: `<QUIZ_POOL_DIR>/manifest.json` and the PNGs beside it, made by data
 * preparation. Re-read when the manifest changes (like the model rotation); the PNGs are small (64×64)
 * and kept in memory once served, so a face costs one disk read per process.
 */
import { readFileSync, statSync } from "node:fs";
import { readFile } from "node:fs/promises";
import path from "node:path";
import { z } from "zod";

const PoolManifestSchema = z.object({
  imageSize: z.number().int().positive(),
  faces: z.array(
    z.object({
      // Opaque hex ids: they name nothing about the person or the source image.
      id: z.string().regex(/^[0-9a-f]{6,64}$/),
      file: z.string().regex(/^[\w.-]+\.png$/),
      identity: z.number().int(),
      source: z.string(),
    }),
  ),
});
export type PoolFace = z.infer<typeof PoolManifestSchema>["faces"][number];

const RECHECK_MS = 1_000;
/** The whole pool of 64×64 PNGs is a few MB; the bound only protects against a misconfigured pool. */
const MAX_CACHED_IMAGES = 20_000;

export class QuizPool {
  #faces: readonly PoolFace[] = [];
  #byId = new Map<string, PoolFace>();
  #signature = "";
  #checkedAt = Number.NEGATIVE_INFINITY;
  readonly #images = new Map<string, Buffer>();

  constructor(readonly dir: string) {}

  faces(now = Date.now()): readonly PoolFace[] {
    if (now - this.#checkedAt >= RECHECK_MS) {
      this.#checkedAt = now;
      this.#reloadIfChanged();
    }
    return this.#faces;
  }

  /** A uniformly chosen face, or null when the pool is missing or empty. */
  pick(below: (n: number) => number, now = Date.now()): PoolFace | null {
    const faces = this.faces(now);
    return faces.length === 0 ? null : (faces[below(faces.length)] ?? null);
  }

  byId(id: string): PoolFace | undefined {
    this.faces();
    return this.#byId.get(id);
  }

  /** The face's PNG bytes, or null if it is not (or no longer) in the pool. */
  async png(id: string): Promise<Buffer | null> {
    const cached = this.#images.get(id);
    if (cached) return cached;
    const face = this.byId(id);
    if (!face) return null;
    const bytes = await readFile(path.join(this.dir, face.file));
    if (this.#images.size < MAX_CACHED_IMAGES) this.#images.set(id, bytes);
    return bytes;
  }

  #reloadIfChanged(): void {
    const file = path.join(this.dir, "manifest.json");
    let signature: string;
    try {
      const stat = statSync(file);
      signature = `${stat.ino}:${stat.size}:${stat.mtimeMs}`;
    } catch {
      this.#replace([], "");
      return;
    }
    if (signature === this.#signature) return;
    try {
      this.#replace(PoolManifestSchema.parse(JSON.parse(readFileSync(file, "utf8"))).faces, signature);
    } catch (error) {
      console.warn(`ignoring unreadable ${file}, keeping the previous pool:`, (error as Error).message);
    }
  }

  #replace(faces: readonly PoolFace[], signature: string): void {
    this.#faces = faces;
    this.#byId = new Map(faces.map((face) => [face.id, face]));
    this.#signature = signature;
    this.#images.clear();
  }
}
