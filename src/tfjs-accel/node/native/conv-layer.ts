/**
 * D's convolution layer with gradients taken only where they are needed.
 *
 * tfjs-layers runs Conv2D through tf.fused.conv2d, whose gradient (a customGrad) computes the input, weight and
 * bias gradients together whether or not anyone asks. In the GAN step that is waste tfjs cannot see: in G's
 * update every D layer's weight gradient is computed and thrown away, and in D's update the gradient wrt the
 * images. Measured at ngf 64 that is ~70 ms of an 800 ms native step. Here the layer's convolution is a
 * kernel of its own (the native FusedConv2D underneath) with a registered gradient of lazy parts, so tfjs's tape
 * evaluates only the parts on the path to what is being trained. Same class name, weights and maths.
 */
import type { KernelConfig, NamedAttrMap } from "@tensorflow/tfjs";
import * as tf from "@tensorflow/tfjs";
import { replaceKernel } from "../../registry.ts";

export const LAZY_CONV = "NativeLazyConv2D";

interface ConvAttrs extends NamedAttrMap {
  strides: [number, number];
  pad: "same" | "valid";
}

/** Forward: the FusedConv2D kernel registered on the backend (the native one), without activation. */
export function lazyConvKernel(backendName = "wasm"): KernelConfig {
  return {
    kernelName: LAZY_CONV,
    backendName,
    kernelFunc: (params) => {
      const fused = tf.getKernel("FusedConv2D", backendName);
      if (!fused) throw new Error(`${LAZY_CONV}: no FusedConv2D kernel on ${backendName}`);
      const attrs = { ...params.attrs, dataFormat: "NHWC", dilations: [1, 1], activation: "linear" };
      return fused.kernelFunc({ ...params, attrs });
    },
  };
}

const gradient: tf.GradConfig = {
  kernelName: LAZY_CONV,
  inputsToSave: ["x", "filter"],
  gradFunc: (dys, saved, attrs) => {
    const [x, filter] = saved as [tf.Tensor4D, tf.Tensor4D];
    const dy = (Array.isArray(dys) ? dys[0] : dys) as tf.Tensor4D;
    const { strides, pad } = attrs as unknown as ConvAttrs;
    const convAttrs = { strides, pad, dataFormat: "NHWC", dimRoundingMode: undefined };
    const run = (kernel: string, inputs: object, extra: object) =>
      tf.engine().runKernel(kernel, inputs as never, { ...convAttrs, ...extra } as never) as tf.Tensor;
    return {
      x: () => run("Conv2DBackpropInput", { dy, filter }, { inputShape: x.shape }),
      filter: () => run("Conv2DBackpropFilter", { x, dy }, { filterShape: filter.shape }),
      bias: () => tf.sum(dy, [0, 1, 2]),
    };
  },
};

export function installLazyConv(backendName = "wasm"): void {
  replaceKernel(lazyConvKernel(backendName));
  if (!tf.getGradient(LAZY_CONV)) tf.registerGradient(gradient);
}

/** y = conv(x, w) (+ bias) through the lazy kernel. */
export function lazyConv2d(
  x: tf.Tensor4D,
  filter: tf.Tensor4D,
  bias: tf.Tensor1D | null,
  strides: [number, number],
  pad: "same" | "valid",
): tf.Tensor4D {
  const inputs = bias ? { x, filter, bias } : { x, filter };
  return tf.engine().runKernel(LAZY_CONV, inputs as never, { strides, pad } as never) as tf.Tensor4D;
}

/** The stock layer's members this one uses (tfjs declares them protected). */
interface ConvInternals {
  rank: number;
  kernel: tf.LayerVariable;
  bias: tf.LayerVariable | null;
  strides: number[];
  padding: string;
  dataFormat: string;
  dilationRate: number[];
  activation: { getClassName(): string };
}

type ConvArgs = Parameters<typeof tf.layers.conv2d>[0];
type LayerCall = (inputs: tf.Tensor | tf.Tensor[], kwargs: object) => tf.Tensor | tf.Tensor[];
const StockConv2D = tf.layers.conv2d({ filters: 1, kernelSize: 1 }).constructor as new (
  args: ConvArgs,
) => tf.layers.Layer;

/** tf.layers.conv2d whose gradient parts are computed only when needed; same class name, weights, maths. */
export class NativeConv2D extends StockConv2D {
  override call(inputs: tf.Tensor | tf.Tensor[], kwargs: object): tf.Tensor | tf.Tensor[] {
    const stock = () => (StockConv2D.prototype as unknown as { call: LayerCall }).call.call(this, inputs, kwargs);
    const x = Array.isArray(inputs) ? inputs[0] : inputs;
    const self = this as unknown as ConvInternals;
    const plain =
      self.rank === 2 &&
      self.dataFormat === "channelsLast" &&
      self.dilationRate.every((d) => d === 1) &&
      self.activation.getClassName() === "linear" &&
      (self.padding === "same" || self.padding === "valid");
    if (!plain || x === undefined || x.rank !== 4 || !tf.getKernel(LAZY_CONV, tf.getBackend())) return stock();
    return tf.tidy(() =>
      lazyConv2d(
        x as tf.Tensor4D,
        self.kernel.read() as tf.Tensor4D,
        (self.bias?.read() as tf.Tensor1D | undefined) ?? null,
        [self.strides[0] ?? 1, self.strides[1] ?? 1],
        self.padding as "same" | "valid",
      ),
    );
  }
}

export const nativeConv2d = (args: ConvArgs) => new NativeConv2D(args);
