/**
 * Real batches for training: epochs over a seeded permutation of the prepared faces, so every face is
 * seen once per epoch and a resumed run continues with exactly the same batches.
 */
import * as tf from "@tensorflow/tfjs";
import { seededUniform } from "../../src/core/noise.ts";
import { byteToTanh } from "../../src/core/pixels.ts";

export class BatchSource {
  private epoch = -1;
  private order: Uint32Array = new Uint32Array(0);
  private readonly faceBytes: number;

  constructor(
    private readonly pixels: Uint8Array,
    private readonly count: number,
    private readonly imageSize: number,
    private readonly seed: number,
  ) {
    this.faceBytes = imageSize * imageSize * 3;
  }

  /** The batch a given step trains on, as floats in [-1, 1], NHWC. */
  batch(step: number, batchSize: number): tf.Tensor4D {
    const values = new Float32Array(batchSize * this.faceBytes);
    for (let j = 0; j < batchSize; j++) {
      const face = this.faceAt(step * batchSize + j);
      const bytes = this.pixels.subarray(face * this.faceBytes, (face + 1) * this.faceBytes);
      for (let k = 0; k < bytes.length; k++) values[j * this.faceBytes + k] = byteToTanh(bytes[k] as number);
    }
    return tf.tensor4d(values, [batchSize, this.imageSize, this.imageSize, 3]);
  }

  private faceAt(sampleIndex: number): number {
    const epoch = Math.floor(sampleIndex / this.count);
    if (epoch !== this.epoch) this.shuffle(epoch);
    return this.order[sampleIndex % this.count] as number;
  }

  /** Fisher–Yates with a generator seeded by (run seed, epoch). */
  private shuffle(epoch: number): void {
    const uniform = seededUniform((this.seed ^ Math.imul(epoch + 1, 0x9e3779b1)) >>> 0);
    this.order = Uint32Array.from({ length: this.count }, (_, i) => i);
    for (let i = this.count - 1; i > 0; i--) {
      const j = Math.floor(uniform() * (i + 1));
      [this.order[i], this.order[j]] = [this.order[j] as number, this.order[i] as number];
    }
    this.epoch = epoch;
  }
}
