/**
 * Spectrally normalised convolution and dense layers (Miyato et al. 2018): the layer uses W / σ(W), σ the
 * largest singular value of W reshaped to [fan-in, out], estimated by one power-iteration step per training
 * call with the vector u kept between calls (a non-trainable weight, so checkpoints carry it).
 *
 * As in the paper's (and PyTorch's) implementation the gradient flows through W only; u and v are constants to
 * it. Only D uses these, and only when a run asks for spectral norm; the shipped generator never does.
 */
import * as tf from "@tensorflow/tfjs";

/** y = x forward, zero gradient: tfjs has no stop_gradient op. */
const stopGradient = tf.customGrad(((x: tf.Tensor) => ({
  value: x.clone(),
  gradFunc: (dy: tf.Tensor) => tf.zerosLike(dy),
})) as unknown as Parameters<typeof tf.customGrad>[0]) as (x: tf.Tensor) => tf.Tensor;

const unit = (x: tf.Tensor2D) => tf.div(x, tf.add(tf.norm(x), 1e-12)) as tf.Tensor2D;

/**
 * W / σ(W) for a kernel whose last axis is the output; `u` ([1, out]) is updated in place when training.
 * Exported for the test that compares σ with the true largest singular value.
 */
export function spectrallyNormalise(kernel: tf.Tensor, u: tf.LayerVariable, training: boolean): tf.Tensor {
  const out = kernel.shape[kernel.rank - 1] as number;
  const matrix = kernel.reshape([-1, out]) as tf.Tensor2D;
  const [v, uNext] = tf.tidy(() => {
    const fixed = stopGradient(matrix) as tf.Tensor2D;
    const v = unit(tf.matMul(u.read() as tf.Tensor2D, fixed, false, true));
    return [v, unit(tf.matMul(v, fixed))];
  });
  if (training) u.write(uNext);
  const sigma = tf.sum(tf.mul(tf.matMul(stopGradient(v) as tf.Tensor2D, matrix), stopGradient(uNext)));
  return tf.div(kernel, sigma);
}

type Initializer = ReturnType<typeof tf.initializers.randomNormal>;

interface SpectralArgs {
  units: number;
  kernelInitializer: Initializer;
  useBias?: boolean;
  name: string;
}

/** The parts both layers share: kernel, optional bias, u. */
abstract class SpectralLayer extends tf.layers.Layer {
  protected kernel!: tf.LayerVariable;
  protected bias: tf.LayerVariable | null = null;
  protected u!: tf.LayerVariable;
  protected readonly units: number;
  protected readonly useBias: boolean;
  private readonly kernelInitializer: Initializer;

  constructor(args: SpectralArgs) {
    super({ name: args.name });
    this.units = args.units;
    this.useBias = args.useBias ?? true;
    this.kernelInitializer = args.kernelInitializer;
  }

  protected addWeights(kernelShape: number[]): void {
    this.kernel = this.addWeight("kernel", kernelShape, "float32", this.kernelInitializer);
    if (this.useBias) this.bias = this.addWeight("bias", [this.units], "float32", tf.initializers.zeros());
    // u starts as a fixed unit-ish vector (ones): σ's estimate converges within a few steps either way.
    this.u = this.addWeight("u", [1, this.units], "float32", tf.initializers.ones(), undefined, false);
    this.built = true;
  }

  protected normalisedKernel(kwargs: { training?: boolean }): tf.Tensor {
    return spectrallyNormalise(this.kernel.read(), this.u, kwargs.training === true);
  }

  protected withBias(y: tf.Tensor): tf.Tensor {
    return this.bias ? tf.add(y, this.bias.read()) : y;
  }
}

/** A 2-D convolution ("same" padding, square kernel and stride) with a spectrally normalised kernel. */
export class SpectralConv2D extends SpectralLayer {
  static className = "SpectralConv2D";
  private readonly kernelSize: number;
  private readonly strides: number;

  constructor(args: SpectralArgs & { kernelSize: number; strides: number }) {
    super(args);
    this.kernelSize = args.kernelSize;
    this.strides = args.strides;
  }

  override build(inputShape: tf.Shape | tf.Shape[]): void {
    const shape = (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as tf.Shape;
    this.addWeights([this.kernelSize, this.kernelSize, shape[3] as number, this.units]);
  }

  override computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape {
    const [batch, h, w] = (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as tf.Shape;
    const down = (side: number | null) => (side === null ? null : Math.ceil(side / this.strides));
    return [batch ?? null, down(h ?? null), down(w ?? null), this.units];
  }

  override call(inputs: tf.Tensor | tf.Tensor[], kwargs: { training?: boolean }): tf.Tensor {
    const x = (Array.isArray(inputs) ? inputs[0] : inputs) as tf.Tensor4D;
    return tf.tidy(() =>
      this.withBias(tf.conv2d(x, this.normalisedKernel(kwargs) as tf.Tensor4D, this.strides, "same")),
    );
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), units: this.units, kernelSize: this.kernelSize, strides: this.strides };
  }
}

/** A dense layer with a spectrally normalised kernel. */
export class SpectralDense extends SpectralLayer {
  static className = "SpectralDense";

  override build(inputShape: tf.Shape | tf.Shape[]): void {
    const shape = (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as tf.Shape;
    this.addWeights([shape[shape.length - 1] as number, this.units]);
  }

  override computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape {
    const shape = (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as tf.Shape;
    return [shape[0] ?? null, this.units];
  }

  override call(inputs: tf.Tensor | tf.Tensor[], kwargs: { training?: boolean }): tf.Tensor {
    const x = (Array.isArray(inputs) ? inputs[0] : inputs) as tf.Tensor2D;
    return tf.tidy(() => this.withBias(tf.matMul(x, this.normalisedKernel(kwargs) as tf.Tensor2D)));
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), units: this.units };
  }
}

tf.serialization.registerClass(SpectralConv2D);
tf.serialization.registerClass(SpectralDense);
