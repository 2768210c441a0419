/**
 * Face detection: does face-api's tiny face detector see a face, and how sure is it?
 */
import type * as tf from "@tensorflow/tfjs";
import { asFaceTensor, faceapi } from "./face-api.ts";

export const DETECTION = {
  /**
   * The detector's input side; the 192 px canvas is scaled to it. Measured on the 963 held-out real crops
   * (docs/model-evaluation.md): 96 detects 99.1 %, 128 97.9 %, 160 94.5 %, 224 90.4 %, 64 16 %.
   */
  inputSize: 96,
  /** A face counts as detected at or above this score. */
  threshold: 0.5,
  /** Weaker candidates are dropped; the best score below it reads as 0. */
  floor: 0.1,
} as const;

const options = new faceapi.TinyFaceDetectorOptions({
  inputSize: DETECTION.inputSize,
  scoreThreshold: DETECTION.floor,
});

/** The highest detection score on the canvas, 0 when nothing reaches the floor. */
export async function bestDetectionScore(canvas: tf.Tensor3D): Promise<number> {
  const detections = await faceapi.nets.tinyFaceDetector.locateFaces(asFaceTensor(canvas), options);
  return detections.reduce((best, detection) => Math.max(best, detection.score), 0);
}
