/** One face as the screen gets it, real or generated: opaque sRGB RGBA bytes, row-major, size × size. */
export interface FacePixels {
  size: number;
  rgba: Uint8ClampedArray;
}
