/**
 * What face-api makes of each face: the detector's best score and a 128-d descriptor.
 */

import type { FaceImages } from "../data/face-images.ts";
import { describeFaces, FACE_BOX } from "./descriptors.ts";
import { bestDetectionScore, DETECTION } from "./detector.ts";
import { loadFaceNets } from "./face-api.ts";
import { FRAMING, frameFaces } from "./framing.ts";

export interface FaceAnalysis {
  score: number;
  descriptor: Float32Array;
}

/** Every setting that changes a descriptor: cached descriptors are reused only under the same one. */
export const DESCRIPTOR_PROTOCOL = [
  "faceapi-1.7.15",
  `frame${FRAMING.faceSide}+${FRAMING.border}`,
  `box${FACE_BOX.x},${FACE_BOX.y},${FACE_BOX.width},${FACE_BOX.height}`,
  "lm68-dlib-rec128",
].join("/");

/**
 * Every setting that changes the numbers: metrics are comparable only under the same protocol. Change it
 * whenever framing, detector or descriptor settings change.
 */
export const PROTOCOL = `${DESCRIPTOR_PROTOCOL}/tiny${DETECTION.inputSize}@${DETECTION.floor}`;

/** Large enough to keep the nets' batched convolutions efficient, small enough to bound memory. */
const BATCH = 32;

type Progress = (done: number) => void;

export async function analyseFaces(images: FaceImages, onProgress: Progress = () => {}): Promise<FaceAnalysis[]> {
  return inBatches(images, onProgress, async (canvases) => {
    const descriptors = await describeFaces(canvases);
    const analyses: FaceAnalysis[] = [];
    for (const [i, canvas] of canvases.entries()) {
      analyses.push({ score: await bestDetectionScore(canvas), descriptor: descriptors[i] as Float32Array });
    }
    return analyses;
  });
}

/** The detector alone: cheap (~10 ms a face), so real faces' scores are not cached. */
export function detectFaces(images: FaceImages, onProgress: Progress = () => {}): Promise<number[]> {
  return inBatches(images, onProgress, async (canvases) => {
    const scores: number[] = [];
    for (const canvas of canvases) scores.push(await bestDetectionScore(canvas));
    return scores;
  });
}

/** The descriptor chain alone. */
export function describeAll(images: FaceImages, onProgress: Progress = () => {}): Promise<Float32Array[]> {
  return inBatches(images, onProgress, describeFaces);
}

async function inBatches<T>(
  images: FaceImages,
  onProgress: Progress,
  work: (canvases: ReturnType<typeof frameFaces>) => Promise<T[]>,
): Promise<T[]> {
  await loadFaceNets();
  const results: T[] = [];
  for (let from = 0; from < images.count; from += BATCH) {
    const to = Math.min(from + BATCH, images.count);
    const canvases = frameFaces(images, from, to);
    try {
      results.push(...(await work(canvases)));
    } finally {
      for (const canvas of canvases) canvas.dispose();
    }
    onProgress(to);
  }
  return results;
}

export function isDetected(analysis: { score: number }): boolean {
  return analysis.score >= DETECTION.threshold;
}
