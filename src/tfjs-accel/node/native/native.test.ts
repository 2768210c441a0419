/**
 * The native route against the references it must match: every kernel group against tfjs's cpu backend at
 * start-up, a broken kernel refused, the layers it swaps in. (How training picks and uses the route is
 * training/train/native-route.test.ts.) CI sets STF_REQUIRE_NATIVE=1 after installing oneDNN, so there these
 * tests run (and fail if the addon did not build) instead of skipping.
 */
import { spawnSync } from "node:child_process";
import * as tf from "@tensorflow/tfjs";
import { describe, expect, it } from "vitest";
import { REPO_ROOT } from "../../../../config/settings.ts";
import { relativeError } from "../../kernel-check.ts";
import { NativeBatchNormalization } from "./batch-norm.ts";
import { checkNativeKernels } from "./check.ts";
import { NativeConv2D } from "./conv-layer.ts";
import { type Dnnl, HOW_TO_INSTALL, loadDnnl } from "./dnnl.ts";
import { nativeNormals } from "./noise.ts";
import { NativeRouteRefused, startNative } from "./route.ts";

const { dnnl, reason } = loadDnnl();
const skip = !dnnl && !process.env.STF_REQUIRE_NATIVE;
if (skip) console.warn(`native route tests skipped: ${reason}`);

/** A copy of the addon whose `name` corrupts the first element it writes. */
function broken(real: Dnnl, name: keyof Dnnl): Dnnl {
  const outputIndex: Partial<Record<keyof Dnnl, number>> = {
    conv2d: 4,
    conv2dBackpropInput: 3,
    conv2dBackpropFilter: 3,
    matmul: 4,
    batchNormForward: 5,
    batchNormBackward: 7,
    activation: 3,
    activationBackward: 4,
    sumRows: 2,
    adam: 5,
    normals: 3,
  };
  const wrong = (...args: unknown[]) => {
    (real[name] as (...a: unknown[]) => void)(...args);
    const out = args[outputIndex[name] as number] as Float32Array;
    out[0] = (out[0] as number) + 1;
  };
  return { ...real, [name]: wrong };
}

describe.skipIf(skip)("native route (oneDNN)", () => {
  it("starts with every kernel group matching the cpu backend", async () => {
    if (!dnnl) throw new Error(`STF_REQUIRE_NATIVE is set but ${reason}`);
    const started = await startNative(2);
    expect(started.threads).toBe(2);
    expect(tf.getBackend()).toBe("wasm");
    const results = await checkNativeKernels("wasm");
    expect(results.length).toBeGreaterThanOrEqual(11);
    for (const result of results) expect(result.relError, result.name).toBeLessThan(1e-4);
    // The checks ran through oneDNN, not through the wasm kernels behind it.
    expect(dnnl.cachedPrimitives()).toBeGreaterThan(10);
  });

  it.each([
    "conv2d",
    "conv2dBackpropInput",
    "conv2dBackpropFilter",
    "matmul",
    "batchNormForward",
    "batchNormBackward",
    "activation",
    "activationBackward",
    "sumRows",
    "adam",
    "normals",
  ] as const)("refuses the route when %s is wrong, and puts the wasm kernels back", async (name) => {
    if (!dnnl) throw new Error(`STF_REQUIRE_NATIVE is set but ${reason}`);
    await expect(startNative(2, broken(dnnl, name))).rejects.toThrow(NativeRouteRefused);
    await expect(startNative(2, broken(dnnl, name))).rejects.toThrow(/differ from the cpu backend, refused/);
    // Back on plain wasm kernels: a convolution no longer reaches oneDNN.
    const before = dnnl.cachedPrimitives();
    tf.tidy(() =>
      tf.conv2d(tf.ones([1, 9, 9, 2]) as tf.Tensor4D, tf.ones([3, 3, 2, 7]) as tf.Tensor4D, 2, "same").dataSync(),
    );
    expect(dnnl.cachedPrimitives()).toBe(before);
  });

  it("batch norm layer: training output and moving statistics as the stock layer's, inference unchanged", async () => {
    await startNative(2);
    const x = tf.randomNormal([4, 5, 5, 6], 0.3, 2, "float32", 11);
    const run = (layer: tf.layers.Layer) => {
      layer.build(x.shape);
      layer.setWeights([tf.fill([6], 1.5), tf.fill([6], -0.2), tf.fill([6], 0.1), tf.fill([6], 0.9)]);
      const y = (layer.apply(x, { training: true }) as tf.Tensor).dataSync().slice();
      const [, , movingMean, movingVariance] = layer.getWeights().map((w) => w.dataSync().slice());
      const inference = (layer.apply(x, { training: false }) as tf.Tensor).dataSync().slice();
      return [y, movingMean, movingVariance, inference] as Float32Array[];
    };
    const args = { epsilon: 5e-5, momentum: 0.9 };
    const native = run(new NativeBatchNormalization(args));
    const stock = run(tf.layers.batchNormalization(args));
    for (const [i, values] of native.entries())
      expect(relativeError(values, stock[i] as Float32Array)).toBeLessThan(1e-5);
    // The moving statistics moved (momentum 0.9 towards the batch's), so the comparison above means something.
    expect(Math.abs((native[1] as Float32Array)[0] as number) - 0.1).toBeGreaterThan(1e-3);
    x.dispose();
  });

  it("reuses a convolution's reordered weights only while their token is the same", () => {
    if (!dnnl) throw new Error(`STF_REQUIRE_NATIVE is set but ${reason}`);
    // 32 → 32 channels: oneDNN blocks these weights, so each call reorders them unless the token says it need not.
    const g = [2, 8, 8, 32, 4, 4, 32, 4, 4, 2, 2, 1, 1, 1, 1];
    const values = (n: number, seed: number) => Float32Array.from({ length: n }, (_, i) => Math.sin(i * 0.37 + seed));
    const x = values(2 * 8 * 8 * 32, 1);
    const [a, b] = [values(4 * 4 * 32 * 32, 2), values(4 * 4 * 32 * 32, 3)];
    const conv = (w: Float32Array, token?: number) => {
      const y = new Float32Array(2 * 4 * 4 * 32);
      dnnl.conv2d(g, x, w, null, y, token);
      return y;
    };
    const [plainA, plainB] = [conv(a), conv(b)];
    expect(relativeError(plainA, plainB)).toBeGreaterThan(0.1);
    expect(conv(a, 9001)).toEqual(plainA);
    expect(conv(b, 9002)).toEqual(plainB);
    expect(conv(b, 9002)).toEqual(plainB);
    expect(conv(a, 9001)).toEqual(plainA);
    // A token that lies shows the copy really is reused: A's weights under B's held token compute with B.
    conv(b, 9003);
    expect(conv(a, 9003)).toEqual(plainB);
    // No token: always reordered.
    expect(conv(a)).toEqual(plainA);
  });

  it("draws tf.randomNormal's numbers bit for bit", () => {
    if (!dnnl) throw new Error(`STF_REQUIRE_NATIVE is set but ${reason}`);
    const sample = nativeNormals(dnnl);
    for (const [shape, mean, std, seed] of [
      [[64, 64, 64, 3], 0, 0.07, 3_141_592_653],
      [[64, 100], 0, 1, 17],
      [[9], -2, 3, 4_294_967_295],
    ] as const) {
      const expected = tf.randomNormal([...shape], mean, std, "float32", seed);
      const actual = sample([...shape], mean, std, seed);
      expect(actual.shape).toEqual(expected.shape);
      expect(Buffer.from(actual.dataSync().buffer).equals(Buffer.from(expected.dataSync().buffer))).toBe(true);
      tf.dispose([expected, actual]);
    }
  });

  it("D's convolution computes only the gradient parts the tape asks for", async () => {
    await startNative(2);
    const args = { filters: 8, kernelSize: 4, strides: 2, padding: "same" as const, useBias: true };
    const kernelsOf = async (layer: tf.layers.Layer, wrt: "input" | "weights") => {
      const x = tf.randomNormal([2, 16, 16, 3], 0, 1, "float32", 5);
      if (!layer.built) layer.build(x.shape);
      const weights = layer.trainableWeights.map((w) => w.read() as tf.Variable);
      const info = await tf.profile(() => {
        const loss = (t: tf.Tensor) => tf.sum(tf.square(layer.apply(t) as tf.Tensor)) as tf.Scalar;
        const grads =
          wrt === "input" ? [tf.grad(loss)(x)] : Object.values(tf.variableGrads(() => loss(x), weights).grads);
        return grads;
      });
      x.dispose();
      return info.kernels.map((k) => k.name);
    };
    const native = new NativeConv2D(args);
    const forG = await kernelsOf(native, "input");
    expect(forG).toContain("Conv2DBackpropInput");
    expect(forG).not.toContain("Conv2DBackpropFilter");
    const forD = await kernelsOf(native, "weights");
    expect(forD).toContain("Conv2DBackpropFilter");
    expect(forD).not.toContain("Conv2DBackpropInput");
    // The stock layer computes both whatever is asked: what this layer saves.
    const stock = await kernelsOf(tf.layers.conv2d(args), "input");
    expect(stock).toContain("Conv2DBackpropFilter");
  });
});

describe("the addon's build", () => {
  const tsx = (script: string, args: string[], env: NodeJS.ProcessEnv) =>
    spawnSync(process.execPath, ["--import", "tsx", script, ...args], { cwd: REPO_ROOT, env, encoding: "utf8" });

  it("the install-time build says what to install and exits 0 where there is no compiler", () => {
    const result = tsx("src/tfjs-accel/node/native/build.ts", ["--if-possible"], {
      ...process.env,
      PATH: "/nonexistent",
    });
    expect(result.status).toBe(0);
    expect(result.stdout.trim()).toBe(`native route: no C++ compiler, the addon is not built (${HOW_TO_INSTALL})`);
  });
});
