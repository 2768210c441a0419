/**
 * A real face from the quiz pool → the same RGBA pixels a generated face becomes, so both reach the screen
 * through one drawing path (see draw.ts). The PNG is decoded off-screen and never shown as an <img>.
 */
import type { FacePixels } from "./face-pixels.ts";

/** `size` is the generator's: a pool crop of another size is resampled once, here, before anyone sees it. */
export async function decodeRealFace(url: string, size: number, signal?: AbortSignal): Promise<FacePixels> {
  const response = await fetch(url, { signal, credentials: "same-origin" });
  if (!response.ok) throw new Error(`real face: HTTP ${response.status}`);
  // No colour-space conversion: the generator's bytes are drawn as-is, so the PNG's bytes must be too.
  const bitmap = await createImageBitmap(await response.blob(), {
    colorSpaceConversion: "none",
    premultiplyAlpha: "none",
  });
  try {
    const canvas = new OffscreenCanvas(size, size);
    const context = canvas.getContext("2d", { willReadFrequently: true });
    if (!context) throw new Error("2D canvas unavailable");
    context.imageSmoothingQuality = "high";
    context.drawImage(bitmap, 0, 0, size, size);
    return { size, rgba: context.getImageData(0, 0, size, size).data };
  } finally {
    bitmap.close();
  }
}
