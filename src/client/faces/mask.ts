/**
 * HYPE-time's mask: after a timed exposure the face is overwritten by noise, so it cannot linger as an
 * after-image on the screen (or in the player's eye).
 */
import type { FacePixels } from "./face-pixels.ts";

export function noiseMask(size: number): FacePixels {
  const rgba = new Uint8ClampedArray(size * size * 4);
  for (let i = 0; i < rgba.length; i += 4) {
    const grey = Math.random() * 256;
    rgba[i] = grey + (Math.random() - 0.5) * 60;
    rgba[i + 1] = grey + (Math.random() - 0.5) * 60;
    rgba[i + 2] = grey + (Math.random() - 0.5) * 60;
    rgba[i + 3] = 255;
  }
  return { size, rgba };
}
