/**
 * An exponential moving average of G's weights, kept in a second generator that is only ever sampled
 * from (Yazıcı et al. 2019). The warm-up decay min(decay, (1 + t) / (10 + t)) matters on short runs:
 * with a plain 0.999 the average is still mostly random init after 1,000 steps (platform notes).
 */
import * as tf from "@tensorflow/tfjs";

export function emaDecay(maxDecay: number, step: number): number {
  return Math.min(maxDecay, (1 + step) / (10 + step));
}

/** Blend `source` into `average`; batch-norm moving statistics are copied, not averaged. */
export function updateEma(average: tf.LayersModel, source: tf.LayersModel, decay: number): void {
  const trainable = new Set(source.trainableWeights.map((weight) => weight.originalName));
  tf.tidy(() => {
    source.weights.forEach((weight, i) => {
      const target = average.weights[i];
      if (!target) throw new Error("EMA generator does not match the generator's architecture");
      const value = weight.read();
      target.write(
        trainable.has(weight.originalName)
          ? target
              .read()
              .mul(decay)
              .add(value.mul(1 - decay))
          : value,
      );
    });
  });
}

export function copyWeights(target: tf.LayersModel, source: tf.LayersModel): void {
  target.setWeights(source.weights.map((weight) => weight.read()));
}
