/**
 * The DCGAN of the seed article (Radford et al. 2015, as used by G. Surma's "Face Generator"):
 * one definition, used by training, export, evaluation and the tests.
 *
 * G: z → dense projection to 4×4 → stride-2 transposed convolutions (batch norm + ReLU) → tanh RGB.
 * D: RGB → stride-2 convolutions (LeakyReLU 0.2, batch norm except on the first) → one logit.
 */
import * as tf from "@tensorflow/tfjs";
import { MinibatchStddev } from "./minibatch-stddev.ts";
import { Z_DIM } from "./noise.ts";
import { SpectralConv2D, SpectralDense } from "./spectral-norm.ts";

/**
 * How G doubles the resolution: a stride-2 transposed convolution (the DCGAN default), or nearest-neighbour
 * upsampling then a 3×3 convolution (Odena et al. 2016: no uneven kernel overlap, so no checkerboard artefacts;
 * 2.25× G's convolution cost).
 */
export const UPSAMPLINGS = ["transpose", "resize"] as const;
export type Upsampling = (typeof UPSAMPLINGS)[number];

/**
 * How G makes its RGB image: the last upsampling makes it directly (DCGAN), or the last upsampling makes ngf/2
 * feature maps (batch norm + ReLU) and a 3×3 convolution at full resolution makes RGB from them — one more
 * nonlinear layer where the texture is drawn, for 32 % more of G's forward FLOPs (54 → 72 M at ngf 32).
 */
export const TO_RGB = ["upsample", "conv"] as const;
export type ToRgb = (typeof TO_RGB)[number];

/** D's normalisation: batch norm (DCGAN) or spectral norm on every weight layer and no batch norm (SNGAN). */
export const D_NORMS = ["batch", "spectral"] as const;
export type DNorm = (typeof D_NORMS)[number];

export interface DcganShape {
  /** Side of the square RGB image, a power of two ≥ 16 (64 by default, 128 supported). */
  imageSize: number;
  /** Width of G's last hidden layer; earlier layers double it at each halving of the resolution. */
  ngf: number;
  /** Width of D's first layer, doubling at each halving. */
  ndf: number;
  zDim: number;
  /** "transpose" when absent (every model trained before the option existed). */
  upsampling?: Upsampling;
  /** "batch" when absent. */
  dNorm?: DNorm;
  /** "upsample" when absent. */
  toRgb?: ToRgb;
  /** D sees the minibatch standard deviation of its last feature maps (minibatch-stddev.ts); false when absent. */
  dStddev?: boolean;
}

export const DEFAULT_SHAPE: DcganShape = { imageSize: 64, ngf: 64, ndf: 64, zDim: Z_DIM };

/** The shape a run's settings (a checkpoint's, a model card's) describe; older settings lack the newer fields. */
export function shapeOf(settings: Omit<DcganShape, "zDim">): DcganShape {
  const {
    imageSize,
    ngf,
    ndf,
    upsampling = "transpose",
    dNorm = "batch",
    toRgb = "upsample",
    dStddev = false,
  } = settings;
  return { imageSize, ngf, ndf, zDim: Z_DIM, upsampling, dNorm, toRgb, dStddev };
}

/**
 * Layer implementations a trainer may swap for faster ones with the same class name and weights (the native
 * training route's batch norm and D's convolutions); models built with either save, load and export alike.
 */
export interface DcganLayers {
  batchNormalization: (args: Parameters<typeof tf.layers.batchNormalization>[0]) => tf.layers.Layer;
  conv2d: (args: Parameters<typeof tf.layers.conv2d>[0]) => tf.layers.Layer;
}

export const STOCK_LAYERS: DcganLayers = {
  batchNormalization: (args) => tf.layers.batchNormalization(args),
  conv2d: (args) => tf.layers.conv2d(args),
};

/** The seed article's batch-norm epsilon; momentum 0.9 matches PyTorch's default 0.1. */
const BN = { epsilon: 5e-5, momentum: 0.9 } as const;

/**
 * Initializers draw from a counter-derived seed when the model has one, so a run's initial weights
 * (and therefore the whole run) can be reproduced; without a seed tfjs draws fresh ones.
 */
class Initializers {
  private count = 0;
  constructor(private readonly seed: number | undefined) {}
  private next(): number | undefined {
    return this.seed === undefined ? undefined : (this.seed * 1000 + this.count++) % 2 ** 31;
  }
  weight() {
    return tf.initializers.randomNormal({ mean: 0, stddev: 0.02, seed: this.next() });
  }
  gamma() {
    return tf.initializers.randomNormal({ mean: 1, stddev: 0.02, seed: this.next() });
  }
}

/** Number of stride-2 steps between 4×4 and the image size. */
export function resolutionSteps(imageSize: number): number {
  const steps = Math.log2(imageSize / 4);
  if (!Number.isInteger(steps) || steps < 2) {
    throw new RangeError(`image size must be a power of two ≥ 16, got ${imageSize}`);
  }
  return steps;
}

export function buildGenerator(shape: DcganShape, seed?: number, layers = STOCK_LAYERS): tf.LayersModel {
  const init = new Initializers(seed);
  const steps = resolutionSteps(shape.imageSize);
  const z = tf.input({ shape: [shape.zDim], name: "z" });
  const firstWidth = shape.ngf * 2 ** (steps - 1);
  let x = tf.layers
    .dense({ units: 4 * 4 * firstWidth, useBias: false, kernelInitializer: init.weight(), name: "g_project" })
    .apply(z) as tf.SymbolicTensor;
  x = tf.layers.reshape({ targetShape: [4, 4, firstWidth], name: "g_reshape" }).apply(x) as tf.SymbolicTensor;
  x = normalizedRelu(x, "g_project", init, layers);
  const upsampling = shape.upsampling ?? "transpose";
  for (let step = 1; step < steps; step++) {
    const filters = shape.ngf * 2 ** (steps - 1 - step);
    x = upsample(x, { filters, useBias: false, name: `g_up${step}` }, upsampling, init, layers);
    x = normalizedRelu(x, `g_up${step}`, init, layers);
  }
  const rgb = { filters: 3, useBias: true, activation: "tanh" as const, name: "g_rgb" };
  if (shape.toRgb === "conv") {
    const filters = Math.max(1, Math.floor(shape.ngf / 2));
    x = upsample(x, { filters, useBias: false, name: `g_up${steps}` }, upsampling, init, layers);
    x = normalizedRelu(x, `g_up${steps}`, init, layers);
  }
  const image =
    shape.toRgb === "conv"
      ? (layers
          .conv2d({ ...rgb, kernelSize: 3, padding: "same", kernelInitializer: init.weight() })
          .apply(x) as tf.SymbolicTensor)
      : upsample(x, rgb, upsampling, init, layers);
  return tf.model({ inputs: z, outputs: image, name: "generator" });
}

interface UpsampleArgs {
  filters: number;
  useBias: boolean;
  activation?: "tanh";
  name: string;
}

function upsample(
  x: tf.SymbolicTensor,
  args: UpsampleArgs,
  upsampling: Upsampling,
  init: Initializers,
  layers: DcganLayers,
): tf.SymbolicTensor {
  const common = { ...args, padding: "same" as const, kernelInitializer: init.weight() };
  if (upsampling === "transpose") {
    return tf.layers.conv2dTranspose({ ...common, kernelSize: 4, strides: 2 }).apply(x) as tf.SymbolicTensor;
  }
  const doubled = tf.layers.upSampling2d({ size: [2, 2], name: `${args.name}_resize` }).apply(x) as tf.SymbolicTensor;
  return layers.conv2d({ ...common, kernelSize: 3, strides: 1 }).apply(doubled) as tf.SymbolicTensor;
}

function normalizedRelu(
  x: tf.SymbolicTensor,
  prefix: string,
  init: Initializers,
  layers: DcganLayers,
): tf.SymbolicTensor {
  const normed = layers
    .batchNormalization({ ...BN, gammaInitializer: init.gamma(), name: `${prefix}_bn` })
    .apply(x) as tf.SymbolicTensor;
  return tf.layers.reLU({ name: `${prefix}_relu` }).apply(normed) as tf.SymbolicTensor;
}

export function buildDiscriminator(shape: DcganShape, seed?: number, layers = STOCK_LAYERS): tf.LayersModel {
  const init = new Initializers(seed === undefined ? undefined : seed + 1);
  const steps = resolutionSteps(shape.imageSize);
  const image = tf.input({ shape: [shape.imageSize, shape.imageSize, 3], name: "image" });
  const spectral = shape.dNorm === "spectral";
  let x = image;
  for (let step = 0; step < steps; step++) {
    const args = {
      filters: shape.ndf * 2 ** step,
      kernelSize: 4,
      strides: 2,
      // DCGAN: no batch norm on D's input layer, so the first conv keeps its bias (every conv does under spectral norm).
      useBias: spectral || step === 0,
      kernelInitializer: init.weight(),
      name: `d_down${step}`,
    };
    const conv = spectral
      ? new SpectralConv2D({ ...args, units: args.filters })
      : layers.conv2d({ ...args, padding: "same" });
    x = conv.apply(x) as tf.SymbolicTensor;
    if (step > 0 && !spectral) {
      x = layers
        .batchNormalization({ ...BN, gammaInitializer: init.gamma(), name: `d_down${step}_bn` })
        .apply(x) as tf.SymbolicTensor;
    }
    x = tf.layers.leakyReLU({ alpha: 0.2, name: `d_down${step}_lrelu` }).apply(x) as tf.SymbolicTensor;
  }
  if (shape.dStddev) x = new MinibatchStddev({ name: "d_stddev" }).apply(x) as tf.SymbolicTensor;
  x = tf.layers.flatten({ name: "d_flatten" }).apply(x) as tf.SymbolicTensor;
  const logitArgs = { units: 1, kernelInitializer: init.weight(), name: "d_logit" };
  const logit = (spectral ? new SpectralDense(logitArgs) : tf.layers.dense(logitArgs)).apply(x) as tf.SymbolicTensor;
  return tf.model({ inputs: image, outputs: logit, name: "discriminator" });
}

/**
 * Forward FLOPs per image (a multiply-add counts 2), counted from the layers' shapes:
 * the benchmark's GFLOP/s and the docs' cost figures come from here.
 */
export function forwardFlops(model: tf.LayersModel): number {
  let flops = 0;
  for (const layer of model.layers) {
    const out = layer.outputShape as number[];
    const config = layer.getConfig() as { kernelSize?: number[]; filters?: number; units?: number };
    const inShape = (layer.input as tf.SymbolicTensor).shape;
    if (layer.getClassName() === "Dense") {
      flops += 2 * (inShape[1] ?? 0) * (config.units ?? 0);
    } else if (layer.getClassName() === "Conv2D") {
      const [kh = 0, kw = 0] = config.kernelSize ?? [];
      flops += 2 * (out[1] ?? 0) * (out[2] ?? 0) * (config.filters ?? 0) * kh * kw * (inShape[3] ?? 0);
    } else if (layer.getClassName() === "Conv2DTranspose") {
      // Each input pixel scatters a kh×kw×filters patch: the same count as the conv it transposes.
      const [kh = 0, kw = 0] = config.kernelSize ?? [];
      flops += 2 * (inShape[1] ?? 0) * (inShape[2] ?? 0) * (inShape[3] ?? 0) * kh * kw * (config.filters ?? 0);
    }
  }
  return flops;
}
