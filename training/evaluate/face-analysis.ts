/**
 * What face-api makes of each face: the detector's best score and a 128-d descriptor.
 */

import { describeFaces, FACE_BOX } from "./descriptors.ts";
import { bestDetectionScore, DETECTION } from "./detector.ts";
import { loadFaceNets } from "./face-api.ts";
import type { FaceImages } from "./face-images.ts";
import { FRAMING, frameFaces } from "./framing.ts";

export interface FaceAnalysis {
  score: number;
  descriptor: Float32Array;
}

/**
 * Names every setting that changes the numbers. Metrics are comparable, and cached analyses reusable,
 * only under the same protocol: change it whenever framing, detector or descriptor settings change.
 */
export const PROTOCOL = [
  "faceapi-1.7.15",
  `frame${FRAMING.faceSide}+${FRAMING.border}`,
  `tiny${DETECTION.inputSize}@${DETECTION.floor}`,
  `box${FACE_BOX.x},${FACE_BOX.y},${FACE_BOX.width},${FACE_BOX.height}`,
  "lm68-dlib-rec128",
].join("/");

/** Large enough to keep the nets' batched convolutions efficient, small enough to bound memory. */
const BATCH = 32;

export async function analyseFaces(
  images: FaceImages,
  onProgress: (done: number) => void = () => {},
): Promise<FaceAnalysis[]> {
  await loadFaceNets();
  const results: FaceAnalysis[] = [];
  for (let from = 0; from < images.count; from += BATCH) {
    const to = Math.min(from + BATCH, images.count);
    const canvases = frameFaces(images, from, to);
    try {
      const scores: number[] = [];
      for (const canvas of canvases) scores.push(await bestDetectionScore(canvas));
      const descriptors = await describeFaces(canvases);
      for (const [i, score] of scores.entries()) results.push({ score, descriptor: descriptors[i] as Float32Array });
    } finally {
      for (const canvas of canvases) canvas.dispose();
    }
    onProgress(to);
  }
  return results;
}

export function isDetected(analysis: FaceAnalysis): boolean {
  return analysis.score >= DETECTION.threshold;
}
