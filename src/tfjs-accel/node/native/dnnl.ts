/**
 * The oneDNN addon (addon/dnnl-conv.cc), loaded if it was built.
 *
 * It is optional: `npm install` builds it where Debian's oneDNN and a C++ compiler are present
 * (native/build.ts) and skips it elsewhere. `loadDnnl` never throws; it says what is missing and the one
 * command that gets the native route, so `npm run train` can print it in a line.
 */
import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";

export const ADDON_DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), "addon");
/** STF_DNNL_ADDON points elsewhere (the tests use it to play a machine without the addon). */
export const ADDON_FILE = process.env.STF_DNNL_ADDON ?? path.join(ADDON_DIR, "build", "Release", "dnnl_kernels.node");

/** The one line that tells a user how to get the native route. */
export const HOW_TO_INSTALL =
  "install Debian's oneDNN and a compiler, then build the addon: apt-get install -y libdnnl-dev g++ && npm run native:build";

/** [n, h, w, ci, kh, kw, co, oh, ow, sh, sw, padTop, padLeft, padBottom, padRight] in tfjs's NHWC/HWIO terms. */
export type ConvGeometry = readonly number[];

export interface Dnnl {
  /**
   * y = conv(x, w) + bias. `weightsToken` (optional, > 0) names w's contents: a call with the token of the
   * previous call on this geometry reuses its reordered copy of w instead of reordering w again.
   */
  conv2d(
    geometry: ConvGeometry,
    x: Float32Array,
    w: Float32Array,
    bias: Float32Array | null,
    y: Float32Array,
    weightsToken?: number,
  ): void;
  /** dx from dy: the data gradient of conv(x, w), which is also the transposed convolution of dy. */
  conv2dBackpropInput(
    geometry: ConvGeometry,
    dy: Float32Array,
    w: Float32Array,
    dx: Float32Array,
    weightsToken?: number,
  ): void;
  /** dw from x and dy. */
  conv2dBackpropFilter(geometry: ConvGeometry, x: Float32Array, dy: Float32Array, dw: Float32Array): void;
  /** c = op(a) · op(b) + bias for each of `batch` matrices; dims = [batch, m, k, n, transposeA, transposeB]. */
  matmul(dims: number[], a: Float32Array, b: Float32Array, bias: Float32Array | null, c: Float32Array): void;
  /** Training-mode batch norm over n, h, w of an NHWC [n, h, w, c] tensor: y, and the batch's mean and (biased) variance. */
  batchNormForward(
    shape: readonly number[],
    epsilon: number,
    x: Float32Array,
    gamma: Float32Array,
    beta: Float32Array,
    y: Float32Array,
    mean: Float32Array,
    variance: Float32Array,
  ): void;
  /** Its gradient, through the batch statistics too. */
  batchNormBackward(
    shape: readonly number[],
    epsilon: number,
    x: Float32Array,
    dy: Float32Array,
    gamma: Float32Array,
    mean: Float32Array,
    variance: Float32Array,
    dx: Float32Array,
    dgamma: Float32Array,
    dbeta: Float32Array,
  ): void;
  /** y = relu (alpha 0), leaky relu (alpha > 0) or tanh of x. */
  activation(kind: "relu" | "tanh", alpha: number, x: Float32Array, y: Float32Array): void;
  /** dx from dy and x (relu) or y (tanh). */
  activationBackward(
    kind: "relu" | "tanh",
    alpha: number,
    dy: Float32Array,
    data: Float32Array,
    dx: Float32Array,
  ): void;
  /** out[c] = Σ_r x[r, c]. */
  sumRows(rows: number, x: Float32Array, out: Float32Array): void;
  /** One Adam update; hyper = [-lr, β1, β2, ε, 1-β1, 1-β2, 1-β1^t, 1-β2^t] as float32 values. */
  adam(
    hyper: number[],
    w: Float32Array,
    g: Float32Array,
    m: Float32Array,
    v: Float32Array,
    w2: Float32Array,
    m2: Float32Array,
    v2: Float32Array,
  ): void;
  /** Fills `out` with tf.randomNormal's numbers for alea state [s0, s1, s2, c] (see native/noise.ts). */
  normals(state: Float64Array, mean: number, stdDev: number, out: Float32Array): void;
  setThreads(threads: number): void;
  threads(): number;
  version(): string;
  cachedPrimitives(): number;
}

export type DnnlLoad = { dnnl: Dnnl; reason?: undefined } | { dnnl?: undefined; reason: string };

let loaded: DnnlLoad | null = null;

export function loadDnnl(): DnnlLoad {
  loaded ??= load();
  return loaded;
}

function load(): DnnlLoad {
  if (!existsSync(ADDON_FILE)) return { reason: `the oneDNN addon is not built (${HOW_TO_INSTALL})` };
  try {
    return { dnnl: createRequire(import.meta.url)(ADDON_FILE) as Dnnl };
  } catch (error) {
    const message = error instanceof Error ? (error.message.split("\n")[0] ?? "") : String(error);
    return { reason: `the oneDNN addon failed to load (${message}); ${HOW_TO_INSTALL}` };
  }
}
