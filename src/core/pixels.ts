/**
 * Conversions between the generator's tanh range [-1, 1] and 8-bit pixels. One definition for the
 * browser (canvas ImageData), training (sample grids, dataset batches) and evaluation, so a face
 * looks byte-for-byte the same wherever it is drawn.
 */

/**
 * A set of square RGB faces packed as one N×S×S×3 uint8 array (NHWC), the layout of the prepared training
 * data. Real and generated faces both travel in it, so they reach every comparison by one route.
 */
export interface FaceImages {
  size: number;
  count: number;
  pixels: Uint8Array;
}

export function tanhToByte(value: number): number {
  const byte = Math.round((value + 1) * 127.5);
  return byte < 0 ? 0 : Math.min(byte, 255);
}

export function byteToTanh(byte: number): number {
  return byte / 127.5 - 1;
}

/** RGB floats in [-1, 1] → RGB bytes (for PNG encoding with sharp in Node). */
export function tanhRgbToBytes(rgb: ArrayLike<number>): Uint8Array {
  const bytes = new Uint8Array(rgb.length);
  for (let i = 0; i < rgb.length; i++) bytes[i] = tanhToByte(rgb[i] as number);
  return bytes;
}

/** RGB bytes → RGBA bytes, opaque: real faces take this route to the same canvas as generated ones. */
export function rgbToRgba(rgb: ArrayLike<number>, pixelCount: number): Uint8ClampedArray {
  const rgba = new Uint8ClampedArray(pixelCount * 4);
  for (let p = 0; p < pixelCount; p++) {
    rgba[p * 4] = rgb[p * 3] as number;
    rgba[p * 4 + 1] = rgb[p * 3 + 1] as number;
    rgba[p * 4 + 2] = rgb[p * 3 + 2] as number;
    rgba[p * 4 + 3] = 255;
  }
  return rgba;
}
