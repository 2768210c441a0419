/** Picking faces out of a packed set (the layout is src/core/pixels.ts's FaceImages). */
import type { FaceImages } from "../../src/core/pixels.ts";

export type { FaceImages };

export function faceBytes(images: FaceImages, index: number): Uint8Array {
  const stride = images.size * images.size * 3;
  return images.pixels.subarray(index * stride, (index + 1) * stride);
}

export function pickFaces(images: FaceImages, indices: readonly number[]): FaceImages {
  const stride = images.size * images.size * 3;
  const pixels = new Uint8Array(indices.length * stride);
  for (const [to, from] of indices.entries()) pixels.set(faceBytes(images, from), to * stride);
  return { size: images.size, count: indices.length, pixels };
}
