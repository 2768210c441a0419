import * as tf from "@tensorflow/tfjs";
import { beforeAll, describe, expect, it } from "vitest";
import { buildDiscriminator, buildGenerator, type DcganShape } from "../../src/core/dcgan.ts";
import { MinibatchStddev } from "../../src/core/minibatch-stddev.ts";
import { SpectralDense } from "../../src/core/spectral-norm.ts";
import { makeTrainStep } from "./train-step.ts";

const TINY: DcganShape = { imageSize: 16, ngf: 4, ndf: 4, zDim: 8 };

beforeAll(async () => {
  await tf.setBackend("cpu");
});

/** The model as tfjs would load it back from its saved files (topology and weights). */
async function savedAndLoaded(model: tf.LayersModel): Promise<tf.LayersModel> {
  let saved: tf.io.ModelArtifacts | undefined;
  await model.save(
    tf.io.withSaveHandler(async (artifacts) => {
      saved = artifacts;
      return { modelArtifactsInfo: {} as never };
    }),
  );
  return tf.loadLayersModel(tf.io.fromMemory(saved as tf.io.ModelArtifacts));
}

describe("spectral normalisation", () => {
  it("divides the kernel by its largest singular value, estimated across training calls", () => {
    const layer = new SpectralDense({
      units: 2,
      useBias: false,
      kernelInitializer: tf.initializers.zeros(),
      name: "sn_test",
    });
    layer.apply(tf.input({ shape: [2] }));
    // Singular values 3 and 1 (a rotation times diag(3, 1)): the normalised kernel's are 1 and 1/3.
    const [c, s] = [Math.cos(0.3), Math.sin(0.3)];
    const kernel = tf.tensor2d([3 * c, -s, 3 * s, c], [2, 2]);
    layer.setWeights([kernel, layer.getWeights()[1] as tf.Tensor]);
    const identity = tf.eye(2);
    for (let i = 0; i < 20; i++) tf.dispose(layer.apply(identity, { training: true }) as tf.Tensor);
    const normalised = layer.apply(identity) as tf.Tensor2D;
    const singular = tf.tidy(() => {
      const gram = tf.matMul(normalised, normalised, true, false).arraySync() as number[][];
      const [a = 0, b = 0, d = 0] = [gram[0]?.[0], gram[0]?.[1], gram[1]?.[1]];
      const mean = (a + d) / 2;
      const spread = Math.sqrt(((a - d) / 2) ** 2 + b * b);
      return [Math.sqrt(mean + spread), Math.sqrt(Math.max(0, mean - spread))];
    });
    expect(singular[0]).toBeCloseTo(1, 3);
    expect(singular[1]).toBeCloseTo(1 / 3, 3);
  });

  it("keeps u when not training, so inference is repeatable", () => {
    const D = buildDiscriminator({ ...TINY, dNorm: "spectral" }, 3);
    const images = tf.randomUniform([2, 16, 16, 3], -1, 1, "float32", 5);
    const first = (D.apply(images) as tf.Tensor).dataSync().slice();
    const second = (D.apply(images) as tf.Tensor).dataSync();
    expect([...second]).toEqual([...first]);
    D.apply(images, { training: true });
    const afterTraining = (D.apply(images) as tf.Tensor).dataSync();
    expect([...afterTraining]).not.toEqual([...first]);
  });

  it("has no batch norm in D and carries u in D's weights (so checkpoints resume it)", () => {
    const D = buildDiscriminator({ ...TINY, dNorm: "spectral" }, 3);
    const names = D.weights.map((w) => w.name);
    expect(names.some((n) => n.includes("_bn"))).toBe(false);
    const spectral = D.layers.filter((l) => l.getClassName().startsWith("Spectral"));
    expect(spectral.length).toBe(3); // two stride-2 convolutions from 16 px to 4 px, and the logit
    // tfjs suffixes names (u_1, …) when a test builds the same layer names twice.
    expect(names.filter((n) => /\/u(_\d+)?$/.test(n)).length).toBe(3);
  });
});

describe("resize-convolution G", () => {
  it("makes images of the right size from a model that survives saving and loading", async () => {
    const G = buildGenerator({ ...TINY, upsampling: "resize" }, 2);
    expect(G.layers.some((l) => l.getClassName() === "Conv2DTranspose")).toBe(false);
    const z = tf.randomNormal([3, 8], 0, 1, "float32", 4);
    const images = G.predict(z) as tf.Tensor;
    expect(images.shape).toEqual([3, 16, 16, 3]);
    const loaded = await savedAndLoaded(G);
    const again = loaded.predict(z) as tf.Tensor;
    expect(tf.max(tf.abs(tf.sub(images, again))).dataSync()[0]).toBe(0);
  });

  it("uses the same initial weights as the transposed G wherever the shapes agree (one seed, one run)", () => {
    const a = buildGenerator({ ...TINY, upsampling: "resize" }, 2);
    const b = buildGenerator(TINY, 2);
    // The projection is built first in both, so its weights are equal.
    expect([...(a.getLayer("g_project").getWeights()[0] as tf.Tensor).dataSync()]).toEqual([
      ...(b.getLayer("g_project").getWeights()[0] as tf.Tensor).dataSync(),
    ]);
  });
});

describe("G with a 3×3 convolution to RGB", () => {
  it("draws RGB at full size from ngf/2 normalised maps, and survives saving and loading", async () => {
    const G = buildGenerator({ ...TINY, toRgb: "conv" }, 2);
    const rgb = G.getLayer("g_rgb");
    expect(rgb.getClassName()).toBe("Conv2D");
    expect((rgb.getWeights()[0] as tf.Tensor).shape).toEqual([3, 3, TINY.ngf / 2, 3]);
    // Its input is the batch-normed ReLU of a last upsampling that stays at full size.
    expect((G.getLayer("g_up2_relu").outputShape as number[]).slice(1)).toEqual([16, 16, TINY.ngf / 2]);
    const z = tf.randomNormal([3, 8], 0, 1, "float32", 4);
    const images = G.predict(z) as tf.Tensor;
    expect(images.shape).toEqual([3, 16, 16, 3]);
    expect(tf.max(tf.abs(images)).dataSync()[0]).toBeLessThanOrEqual(1);
    const loaded = await savedAndLoaded(G);
    expect(tf.max(tf.abs(tf.sub(images, loaded.predict(z) as tf.Tensor))).dataSync()[0]).toBe(0);
  });

  it("keeps the plain G's weights for every layer before the last upsampling (one seed, one start)", () => {
    const a = buildGenerator({ ...TINY, toRgb: "conv" }, 2);
    const b = buildGenerator(TINY, 2);
    for (const name of ["g_project", "g_up1"]) {
      expect([...(a.getLayer(name).getWeights()[0] as tf.Tensor).dataSync()]).toEqual([
        ...(b.getLayer(name).getWeights()[0] as tf.Tensor).dataSync(),
      ]);
    }
  });
});

describe("minibatch standard deviation in D", () => {
  it("appends, per group of every M-th image, the mean over features of their spread across the group", () => {
    const [n, h, w, c] = [8, 2, 2, 3];
    const values = Array.from({ length: n * h * w * c }, (_, i) => Math.sin(i * 1.7) * (1 + (i % 5)));
    const x = tf.tensor4d(values, [n, h, w, c]);
    const out = new MinibatchStddev({ name: "stddev_test" }).apply(x) as tf.Tensor4D;
    expect(out.shape).toEqual([n, h, w, c + 1]);
    // The input's features pass through unchanged, ahead of the new channel.
    expect([...out.slice([0, 0, 0, 0], [n, h, w, c]).dataSync()]).toEqual([...x.dataSync()]);
    const got = out.arraySync();
    const stride = h * w * c;
    // Batch 8, groups of 4: M = 2 groups, group m = images m, m + 2, m + 4, m + 6.
    for (let m = 0; m < 2; m++) {
      const members = [0, 1, 2, 3].map((k) => m + 2 * k);
      let sum = 0;
      for (let f = 0; f < stride; f++) {
        const v = members.map((image) => values[image * stride + f] as number);
        const mean = v.reduce((a, b) => a + b) / 4;
        sum += Math.sqrt(v.reduce((a, b) => a + (b - mean) ** 2, 0) / 4 + 1e-8);
      }
      for (const image of members) {
        expect(got[image]?.[1]?.[0]?.[c]).toBeCloseTo(sum / stride, 5);
      }
    }
  });

  it("is ~0 for a group of identical images, and a batch the group size does not divide is one group", () => {
    const same = tf.tile(tf.randomNormal([1, 2, 2, 3], 0, 1, "float32", 3), [4, 1, 1, 1]);
    const layer = new MinibatchStddev({ name: "stddev_same" });
    expect(tf.max((layer.apply(same) as tf.Tensor).slice([0, 0, 0, 3], [4, 2, 2, 1])).dataSync()[0]).toBeLessThan(1e-3);
    const odd = tf.randomNormal([3, 2, 2, 3], 0, 1, "float32", 4);
    const feature = (layer.apply(odd) as tf.Tensor).slice([0, 0, 0, 3], [3, 2, 2, 1]).dataSync();
    expect(new Set(feature).size).toBe(1);
    expect(feature[0]).toBeGreaterThan(0.1);
  });

  it("gives D one more input per position to its logit, and survives saving and loading", async () => {
    const D = buildDiscriminator({ ...TINY, dStddev: true }, 3);
    const plain = buildDiscriminator(TINY, 3);
    const inputs = (layer: tf.layers.Layer) => (layer.getWeights()[0] as tf.Tensor).shape[0];
    expect(inputs(D.getLayer("d_logit"))).toBe((inputs(plain.getLayer("d_logit")) as number) + 4 * 4);
    const images = tf.randomUniform([4, 16, 16, 3], -1, 1, "float32", 5);
    const logits = D.predict(images) as tf.Tensor;
    const loaded = await savedAndLoaded(D);
    expect(tf.max(tf.abs(tf.sub(logits, loaded.predict(images) as tf.Tensor))).dataSync()[0]).toBe(0);
  });
});

describe("training with the variants", () => {
  for (const [label, shape, loss] of [
    ["spectral D, hinge loss", { ...TINY, dNorm: "spectral" }, "hinge"],
    ["spectral D, logistic loss", { ...TINY, dNorm: "spectral" }, "bce"],
    ["resize-convolution G", { ...TINY, upsampling: "resize" }, "bce"],
    ["G with a 3×3 convolution to RGB", { ...TINY, toRgb: "conv" }, "bce"],
    ["D with minibatch standard deviation", { ...TINY, dStddev: true }, "bce"],
  ] as const) {
    it(`${label}: a step changes every trainable weight, gives finite losses and leaks nothing`, () => {
      const trainer = makeTrainStep(shape, 4, 1, undefined, { loss });
      const real = tf.randomUniform([4, 16, 16, 3], -1, 1, "float32", 7) as tf.Tensor4D;
      const weights = [...trainer.generator.trainableWeights, ...trainer.discriminator.trainableWeights];
      const before = weights.map((w) => w.read().dataSync().slice());
      const { dLoss, gLoss } = trainer.run(real);
      expect(Number.isFinite(dLoss) && Number.isFinite(gLoss)).toBe(true);
      // Hinge: D's logits start near 0, so its loss starts near 1 + 1.
      if (loss === "hinge") expect(Math.abs(dLoss - 2)).toBeLessThan(0.5);
      const after = weights.map((w) => w.read().dataSync());
      const unchanged = weights.filter((_, i) => after[i]?.every((v, j) => v === before[i]?.[j])).map((w) => w.name);
      // Under hinge loss the logit's bias gets -1 (reals) + 1 (fakes) = 0 while every logit is within the margin.
      expect(unchanged).toEqual(loss === "hinge" ? [expect.stringMatching(/^d_logit\/bias/)] : []);
      const tensors = tf.memory().numTensors;
      trainer.run(real);
      expect(tf.memory().numTensors).toBe(tensors);
      real.dispose();
      trainer.dispose();
    });
  }
});
