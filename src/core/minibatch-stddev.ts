/**
 * Minibatch standard deviation (Karras et al. 2018, ProGAN §3): D's last feature maps get one more channel, the
 * spread of those features across the images of a group, averaged to one number per group. A generator that
 * draws too few kinds of face makes batches with less spread than real ones; a D that judges each image on its
 * own cannot see that, this one can. Measured need: the fakes cover about half of the kinds of real face
 * (recall 53 % against the reals' 85 %, docs/training-runs.md).
 *
 * Groups are every M-th image of the batch (ProGAN's reshape to [group, M, …]); a batch that the group size
 * does not divide is one group. Only D uses this layer, so only training and curation's D judge ever run it.
 */
import * as tf from "@tensorflow/tfjs";

/** ProGAN's group size. */
export const STDDEV_GROUP = 4;

export class MinibatchStddev extends tf.layers.Layer {
  static className = "MinibatchStddev";
  private readonly groupSize: number;

  constructor(args: { name: string; groupSize?: number }) {
    super({ name: args.name });
    this.groupSize = args.groupSize ?? STDDEV_GROUP;
  }

  override computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape {
    const [batch = null, h = null, w = null, c] = (
      Array.isArray(inputShape[0]) ? inputShape[0] : inputShape
    ) as tf.Shape;
    return [batch, h, w, (c as number) + 1];
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    const x = (Array.isArray(inputs) ? inputs[0] : inputs) as tf.Tensor4D;
    const [n, h, w, c] = x.shape;
    const group = n % this.groupSize === 0 ? this.groupSize : n;
    const groups = n / group;
    return tf.tidy(() => {
      const grouped = x.reshape([group, groups, h, w, c]);
      const spread = grouped.sub(grouped.mean(0, true)).square().mean(0).add(1e-8).sqrt();
      // Rank-2 tile, then broadcast: tfjs has no gradient for tiling rank-5 tensors.
      const perImage = spread.mean([1, 2, 3]).reshape([1, groups]).tile([group, 1]).reshape([n, 1, 1, 1]);
      const feature = perImage.add(tf.zeros([n, h, w, 1]));
      return tf.concat([x, feature], 3);
    });
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), groupSize: this.groupSize };
  }
}

tf.serialization.registerClass(MinibatchStddev);
