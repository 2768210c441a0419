/**
 * DiffAugment (Zhao et al. 2020, policy "color,translation,cutout"): the same differentiable
 * augmentation on reals and fakes, in D's and G's steps. It keeps D from memorising a small data set
 * (10k faces) while G still learns the un-augmented distribution.
 */
import * as tf from "@tensorflow/tfjs";

export function diffAugment(images: tf.Tensor4D, uniform: () => number): tf.Tensor4D {
  return tf.tidy(() => cutout(translate(color(images, uniform), uniform), uniform));
}

/** Per-image random scalars, shaped [B, 1, 1, 1] so they broadcast over pixels. */
function perImage(batch: number, uniform: () => number, transform: (u: number) => number): tf.Tensor4D {
  return tf.tensor4d(
    Array.from({ length: batch }, () => transform(uniform())),
    [batch, 1, 1, 1],
  );
}

function color(x: tf.Tensor4D, uniform: () => number): tf.Tensor4D {
  const batch = x.shape[0];
  const brightened = x.add(perImage(batch, uniform, (u) => u - 0.5));
  const channelMean = brightened.mean(3, true);
  const saturated = brightened
    .sub(channelMean)
    .mul(perImage(batch, uniform, (u) => u * 2))
    .add(channelMean);
  const imageMean = saturated.mean([1, 2, 3], true);
  return saturated
    .sub(imageMean)
    .mul(perImage(batch, uniform, (u) => u + 0.5))
    .add(imageMean) as tf.Tensor4D;
}

/** Shift each image by up to 1/8 of its side, filling with zeros (gradients flow through slice/pad). */
function translate(x: tf.Tensor4D, uniform: () => number): tf.Tensor4D {
  const [batch, height, width, channels] = x.shape;
  const margin = Math.round(height * 0.125);
  const padded = x.pad([
    [0, 0],
    [margin, margin],
    [margin, margin],
    [0, 0],
  ]);
  const shift = () => Math.floor(uniform() * (2 * margin + 1));
  const shifted = Array.from({ length: batch }, (_, i) =>
    padded.slice([i, shift(), shift(), 0], [1, height, width, channels]),
  );
  return tf.concat(shifted, 0) as tf.Tensor4D;
}

/** Zero a square of half the image side at a random place in each image. */
function cutout(x: tf.Tensor4D, uniform: () => number): tf.Tensor4D {
  const [batch, height, width] = x.shape;
  const side = Math.round(height * 0.5);
  const mask = new Float32Array(batch * height * width).fill(1);
  for (let i = 0; i < batch; i++) {
    const top = Math.floor(uniform() * (height + 1 - side / 2)) - Math.floor(side / 2);
    const left = Math.floor(uniform() * (width + 1 - side / 2)) - Math.floor(side / 2);
    for (let y = Math.max(0, top); y < Math.min(height, top + side); y++) {
      mask.fill(
        0,
        i * height * width + y * width + Math.max(0, left),
        i * height * width + y * width + Math.min(width, left + side),
      );
    }
  }
  return x.mul(tf.tensor4d(mask, [batch, height, width, 1]));
}
