import os from "node:os";
import * as tf from "@tensorflow/tfjs";
import { beforeAll, describe, expect, it } from "vitest";
import { accelerateWasm } from "./accelerate.ts";
import { checkReplacedKernels, relativeError } from "./kernel-check.ts";
import { startWasm } from "./node/wasm-threads.ts";
import { installFastKernels, REPLACED_KERNELS } from "./registry.ts";

// What training's "wasm" backend runs: threaded wasm with every fast kernel that passes its check.
beforeAll(async () => {
  await startWasm(os.availableParallelism());
  await accelerateWasm({ warn: () => {} });
});

describe("fast wasm kernels", () => {
  it.each(REPLACED_KERNELS)("%s matches the cpu backend, values and gradients", async (kernel) => {
    const [result] = await checkReplacedKernels("wasm", { kernels: [kernel], warn: () => {} });
    expect(result?.fallback).toBeUndefined();
    expect(result?.relError).toBeLessThan(1e-4);
  });

  it("trains DCGAN-sized layers like cpu: conv and transposed-conv gradients at 4→8 and 16→32", async () => {
    const grads = () =>
      tf.tidy(() => {
        const x = tf.randomUniform([2, 16, 16, 8], -1, 1, "float32", 1);
        const w = tf.randomUniform([4, 4, 8, 6], -1, 1, "float32", 2);
        const up = tf.randomUniform([4, 4, 5, 6], -1, 1, "float32", 3);
        const f = (xx: tf.Tensor, ww: tf.Tensor, uu: tf.Tensor) => {
          const down = tf.conv2d(xx as tf.Tensor4D, ww as tf.Tensor4D, 2, "same");
          const back = tf.conv2dTranspose(down, uu as tf.Tensor4D, [2, 16, 16, 5], 2, "same");
          return tf.sum(tf.mul(tf.leakyRelu(back, 0.2), tf.randomUniform(back.shape, -1, 1, "float32", 4)));
        };
        return tf
          .grads(f)([x, w, up])
          .map((g) => g.dataSync() as Float32Array);
      });
    const onWasm = grads();
    await tf.setBackend("cpu");
    const onCpu = grads();
    await tf.setBackend("wasm");
    for (const [i, g] of onWasm.entries()) expect(relativeError(g, onCpu[i] as Float32Array)).toBeLessThan(1e-4);
  });

  it("rebuilds a transposed conv's cached filter when the weight variable changes", async () => {
    const dy = tf.randomUniform([2, 4, 4, 6], -1, 1, "float32", 5) as tf.Tensor4D;
    const w = tf.variable(tf.randomUniform([4, 4, 3, 6], -1, 1, "float32", 6));
    const up = () => tf.tidy(() => tf.conv2dTranspose(dy, w as tf.Tensor4D, [2, 8, 8, 3], 2, "same").dataSync());
    const first = up();
    expect(up()).toEqual(first);
    w.assign(tf.randomUniform([4, 4, 3, 6], -1, 1, "float32", 7));
    const onWasm = up() as Float32Array;
    await tf.setBackend("cpu");
    const onCpu = up() as Float32Array;
    await tf.setBackend("wasm");
    expect(relativeError(onWasm, onCpu)).toBeLessThan(1e-5);
    tf.dispose([dy, w]);
  });

  it("puts a kernel that fails its check back to the stock one", async () => {
    // A deliberately wrong LeakyRelu (identity): the check must catch it and restore tfjs's own.
    tf.unregisterKernel("LeakyRelu", "wasm");
    tf.registerKernel({
      kernelName: "LeakyRelu",
      backendName: "wasm",
      kernelFunc: ({ inputs, backend }) => {
        const x = inputs.x as tf.TensorInfo;
        (backend as tf.KernelBackend).incRef(x.dataId);
        return { dataId: x.dataId, shape: x.shape, dtype: x.dtype };
      },
    });
    const warnings: string[] = [];
    const [result] = await checkReplacedKernels("wasm", { kernels: ["LeakyRelu"], warn: (w) => warnings.push(w) });
    expect(result?.ok).toBe(false);
    expect(result?.fallback?.to).toBe("stock");
    expect(warnings[0]).toMatch(/LeakyRelu failed its check/);
    const y = tf.tidy(() => Array.from(tf.leakyRelu(tf.tensor1d([-2, 3]), 0.25).dataSync()));
    expect(y).toEqual([-0.5, 3]);
    installFastKernels("wasm", ["LeakyRelu"]);
  });

  it("re-installs cleanly (stock kernels are captured once, never a replacement)", async () => {
    installFastKernels("wasm");
    installFastKernels("wasm");
    const results = await checkReplacedKernels("wasm", { warn: () => {} });
    expect(results.every((r) => r.ok)).toBe(true);
  });
});
