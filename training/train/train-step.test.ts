import * as tf from "@tensorflow/tfjs";
import { describe, expect, it } from "vitest";
import { selectBackend } from "../backends/select.ts";
import { makeTrainStep } from "./train-step.ts";

const TINY = { imageSize: 16, ngf: 4, ndf: 4, zDim: 8 };

function realBatch(): tf.Tensor4D {
  return tf.randomUniform([4, 16, 16, 3], -1, 1, "float32", 7) as tf.Tensor4D;
}

describe("a DCGAN training step on wasm", () => {
  it("changes G's and D's weights and gives finite losses", async () => {
    await selectBackend("wasm", { log: () => {} });
    const trainer = makeTrainStep(TINY, 4);
    const before = [...trainer.generator.getWeights(), ...trainer.discriminator.getWeights()].map((w) =>
      w.dataSync().slice(),
    );
    const real = realBatch();
    const { dLoss, gLoss } = trainer.run(real);
    expect(Number.isFinite(dLoss) && Number.isFinite(gLoss)).toBe(true);
    const after = [...trainer.generator.getWeights(), ...trainer.discriminator.getWeights()].map((w) => w.dataSync());
    const kernels = trainer.generator.trainableWeights.length + trainer.discriminator.trainableWeights.length;
    const changed = after.filter((w, i) => w.some((v, j) => v !== before[i]?.[j])).length;
    expect(changed).toBeGreaterThanOrEqual(kernels);
    real.dispose();
    trainer.dispose();
  });

  it("leaves no buffers behind on the wasm heap, step after step", async () => {
    await selectBackend("wasm", { log: () => {} });
    const trainer = makeTrainStep(TINY, 4);
    const real = realBatch();
    trainer.run(real);
    const buffers = tf.backend().numDataIds();
    for (let i = 0; i < 3; i++) trainer.run(real);
    expect(tf.backend().numDataIds()).toBe(buffers);
    real.dispose();
    trainer.dispose();
  });

  it("computes the same losses as the cpu backend from the same weights", async () => {
    await selectBackend("wasm", { log: () => {} });
    const onWasm = makeTrainStep(TINY, 4);
    const weights = [onWasm.generator, onWasm.discriminator].map((m) => m.getWeights().map((w) => w.arraySync()));
    const wasmLosses = onWasm.run(realBatch());
    await selectBackend("cpu", { log: () => {} });
    const onCpu = makeTrainStep(TINY, 4);
    onCpu.generator.setWeights((weights[0] ?? []).map((w) => tf.tensor(w)));
    onCpu.discriminator.setWeights((weights[1] ?? []).map((w) => tf.tensor(w)));
    const cpuLosses = onCpu.run(realBatch());
    expect(wasmLosses.dLoss).toBeCloseTo(cpuLosses.dLoss, 4);
    expect(wasmLosses.gLoss).toBeCloseTo(cpuLosses.gLoss, 3);
  });
});
