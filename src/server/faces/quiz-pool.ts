/**
 * The real faces the game shows: `<QUIZ_POOL_DIR>/manifest.json` and the PNGs beside it, made by data
 * preparation. Followed while the server runs (watched-file.ts); the PNGs are small (64×64)
 * and kept in memory once served, so a face costs one disk read per process.
 */
import { readFile } from "node:fs/promises";
import path from "node:path";
import { type PoolFace, PoolManifestSchema } from "../../core/quiz-pool-manifest.ts";
import { WatchedFile } from "../watched-file.ts";

/** The whole pool of 64×64 PNGs is a few MB; the bound only protects against a misconfigured pool. */
const MAX_CACHED_IMAGES = 20_000;

/** One version of the pool's manifest, with what is derived from it (dropped together when it changes). */
interface Pool {
  readonly faces: readonly PoolFace[];
  readonly byId: ReadonlyMap<string, PoolFace>;
  readonly images: Map<string, Buffer>;
}

function poolOf(faces: readonly PoolFace[]): Pool {
  return { faces, byId: new Map(faces.map((face) => [face.id, face])), images: new Map() };
}

export class QuizPool {
  readonly #manifest: WatchedFile<Pool>;

  constructor(readonly dir: string) {
    this.#manifest = new WatchedFile(
      path.join(dir, "manifest.json"),
      (json) => poolOf(PoolManifestSchema.parse(json).faces),
      () => poolOf([]),
    );
  }

  faces(now = Date.now()): readonly PoolFace[] {
    return this.#manifest.current(now).faces;
  }

  /** A uniformly chosen face, or null when the pool is missing or empty. */
  pick(below: (n: number) => number, now = Date.now()): PoolFace | null {
    const faces = this.faces(now);
    return faces.length === 0 ? null : (faces[below(faces.length)] ?? null);
  }

  byId(id: string): PoolFace | undefined {
    return this.#manifest.current().byId.get(id);
  }

  /** The face's PNG bytes, or null if it is not (or no longer) in the pool. */
  async png(id: string): Promise<Buffer | null> {
    const pool = this.#manifest.current();
    const cached = pool.images.get(id);
    if (cached) return cached;
    const face = pool.byId.get(id);
    if (!face) return null;
    const bytes = await readFile(path.join(this.dir, face.file));
    if (pool.images.size < MAX_CACHED_IMAGES) pool.images.set(id, bytes);
    return bytes;
  }
}
