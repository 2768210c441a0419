/**
 * Face crops as a stream, in input order: a few crops in flight at once (sharp works on libuv's thread pool,
 * so that keeps both cores busy), each handed on as soon as it and every crop before it are done. Memory
 * holds only the crops in flight, whatever the size of the dataset.
 */
import path from "node:path";
import { UserError } from "../cli/user-error.ts";
import { type CelebaFace, cropFace, IMAGE_FOLDER } from "./celeba.ts";

/** Crops in flight: enough to keep sharp's threads busy while the consumer writes. */
const IN_FLIGHT = 8;

export interface CropResult<T extends CelebaFace> {
  face: T;
  /** size×size×3 uint8 RGB; null for an unreadable or odd-sized image when skipBad is set. */
  crop: Buffer | null;
}

export async function* cropInOrder<T extends CelebaFace>(
  faces: readonly T[],
  options: { celebaDir: string; imageSize: number; skipBad?: boolean },
): AsyncGenerator<CropResult<T>> {
  const crop = async (face: T): Promise<CropResult<T>> => {
    try {
      return { face, crop: await cropFace(path.join(options.celebaDir, IMAGE_FOLDER, face.source), options.imageSize) };
    } catch (error) {
      if (!(error instanceof UserError) || !options.skipBad) throw error;
      return { face, crop: null };
    }
  };
  const pending: Promise<CropResult<T>>[] = [];
  let next = 0;
  while (next < faces.length || pending.length > 0) {
    while (next < faces.length && pending.length < IN_FLIGHT) {
      const promise = crop(faces[next++] as T);
      // A crop may fail before its turn comes (or after the consumer stopped): its error is thrown when it is
      // awaited in order, and must not surface earlier as an unhandled rejection.
      promise.catch(() => {});
      pending.push(promise);
    }
    yield await (pending.shift() as Promise<CropResult<T>>);
  }
}
