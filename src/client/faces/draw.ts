/**
 * The one way a face reaches the screen, real or generated: its pixels written 1:1 into a canvas of the
 * model's size. CSS scales every canvas the same way (`image-rendering: pixelated`), so size, sharpness and
 * colour handling can never tell the two apart.
 */
import type { FacePixels } from "./face-pixels.ts";

export function drawFace(canvas: HTMLCanvasElement, face: FacePixels): void {
  if (canvas.width !== face.size) canvas.width = face.size;
  if (canvas.height !== face.size) canvas.height = face.size;
  const context = canvas.getContext("2d");
  if (!context) throw new Error("2D canvas unavailable");
  // Every pixel buffer here is allocated on a plain ArrayBuffer (never shared), which ImageData requires.
  const pixels = face.rgba as Uint8ClampedArray<ArrayBuffer>;
  context.putImageData(new ImageData(pixels, face.size, face.size), 0, 0);
}

/** A blank, neutral tile: what every slot shows while a round is prepared, and the mask in timed mode. */
export function clearFace(canvas: HTMLCanvasElement): void {
  canvas.getContext("2d")?.clearRect(0, 0, canvas.width, canvas.height);
}
