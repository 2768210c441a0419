/**
 * A set of square RGB faces packed as one N×S×S×3 uint8 array (NHWC), the layout of the prepared
 * training data. Real and generated faces both travel in it, so they reach face-api by one route.
 */
export interface FaceImages {
  size: number;
  count: number;
  pixels: Uint8Array;
}

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
