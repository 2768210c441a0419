/**
 * face-api (@vladmandic/face-api 1.7.15) loaded for Node without any download.
 *
 * Its Node wasm build `require`s "@tensorflow/tfjs" and "@tensorflow/tfjs-backend-wasm" rather than
 * bundling them, and those packages have no "exports" map, so our ESM `import "@tensorflow/tfjs"` resolves
 * to the same CommonJS file: face-api and our generator share one tf instance and one backend. (The other
 * Node builds need tfjs-node, which cannot install here; the ESM builds bundle a second tfjs.)
 */
import { createRequire } from "node:module";
import path from "node:path";
import type * as tf from "@tensorflow/tfjs";
import * as faceapi from "@vladmandic/face-api/dist/face-api.node-wasm.js";

export { faceapi };

/** A 3-D tensor as face-api's declarations name it: they carry their own copy of tfjs's types. */
export type FaceTensor = Awaited<ReturnType<typeof faceapi.extractFaceTensors>>[number];

/** Our tensor, typed for face-api; at run time both are the same tfjs class. */
export function asFaceTensor(tensor: tf.Tensor3D): FaceTensor {
  return tensor as unknown as FaceTensor;
}

const require = createRequire(import.meta.url);

/** The weights that ship inside the npm package. */
export const FACE_MODEL_DIR = path.join(path.dirname(require.resolve("@vladmandic/face-api/package.json")), "model");

let loading: Promise<void> | null = null;

/** Loads the three nets the evaluation uses, once per process. */
export function loadFaceNets(): Promise<void> {
  loading ??= Promise.all([
    faceapi.nets.tinyFaceDetector.loadFromDisk(FACE_MODEL_DIR),
    faceapi.nets.faceLandmark68Net.loadFromDisk(FACE_MODEL_DIR),
    faceapi.nets.faceRecognitionNet.loadFromDisk(FACE_MODEL_DIR),
  ]).then(() => undefined);
  return loading;
}
