/**
 * The whole pipeline at toy size on each CPU backend: prepare → train → checkpoint → resume → export →
 * load. Real CelebA crops, real training steps; only the sizes are small.
 */
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import * as tf from "@tensorflow/tfjs";
import { beforeAll, describe, expect, it } from "vitest";
import { ModelMetadataSchema } from "../src/core/model-manifest.ts";
import { loadDnnl } from "../src/tfjs-accel/node/native/dnnl.ts";
import { prepareData } from "./data/prepare.ts";
import { celebaForTests } from "./data/testing/celeba-for-tests.ts";
import { exportGenerator } from "./export/export.ts";
import { loadLayersModelFromDisk } from "./export/model-files.ts";
import { loadCheckpoint } from "./train/checkpoint.ts";
import { DEFAULT_SETTINGS, type TrainSettings, train } from "./train/train.ts";
import { readLog } from "./train/train-log.ts";

const root = mkdtempSync(path.join(tmpdir(), "stf-pipeline-"));
const dataDir = path.join(root, "data");
const quiet = () => {};

/** Largest absolute difference between two checkpoints' float32 tensors (equal layout). */
function maxDifference(a: Buffer, b: Buffer): number {
  expect(a.length).toBe(b.length);
  const x = new Float32Array(a.buffer, a.byteOffset, a.length / 4);
  const y = new Float32Array(b.buffer, b.byteOffset, b.length / 4);
  let max = 0;
  for (let i = 0; i < x.length; i++) max = Math.max(max, Math.abs((x[i] as number) - (y[i] as number)));
  return max;
}

beforeAll(async () => {
  await prepareData({
    celebaDir: celebaForTests(),
    dataDir,
    poolDir: path.join(root, "pool"),
    imageSize: 32,
    limit: 50,
  });
});

// The native route needs the oneDNN addon; CI installs it and sets STF_REQUIRE_NATIVE so that it is never skipped there.
const nativeMissing = loadDnnl().reason;
const skipNative = nativeMissing !== undefined && !process.env.STF_REQUIRE_NATIVE;

for (const backend of ["cpu", "wasm", "native"] as const) {
  describe.skipIf(backend === "native" && skipNative)(`pipeline on ${backend}`, () => {
    const settings: TrainSettings = {
      ...DEFAULT_SETTINGS,
      dataDir,
      imageSize: 32,
      ngf: 4,
      ndf: 4,
      batchSize: 8,
      ema: 0.99,
      diffAugment: true,
      steps: 3,
      logEvery: 1,
      sampleEvery: 2,
      checkpointEvery: 2,
      backend,
    };
    const runDir = (name: string) => path.join(root, `${backend}-${name}`);
    const tensors = (checkpoint: string) => readFileSync(path.join(checkpoint, "tensors.bin"));

    it("trains, checkpoints, and resumes to exactly the state of an uninterrupted run", async () => {
      const whole = await train({ runDir: runDir("whole"), settings, log: quiet });
      expect(whole.step).toBe(3);
      expect(whole.backend.name).toBe(backend);
      const log = readLog(runDir("whole"));
      expect(log.map((line) => line.step)).toEqual([1, 2, 3]);
      expect(log.every((line) => Number.isFinite(line.lossD) && Number.isFinite(line.lossG))).toBe(true);

      const first = await train({ runDir: runDir("split"), settings: { ...settings, steps: 2 }, log: quiet });
      expect(first.step).toBe(2);
      const resumed = await train({ runDir: runDir("split"), settings, resume: true, log: quiet });
      expect(resumed.step).toBe(3);
      expect(resumed.imagesSeen).toBe(whole.imagesSeen);
      // Same batches, noise, augmentations and optimizer state, Adam's step count included. Not bit for bit:
      // tfjs's Adam restores its bias correction as β^(t+1) rather than the running product, a rounding difference.
      expect(maxDifference(tensors(resumed.checkpoint), tensors(whole.checkpoint))).toBeLessThan(1e-5);
      const iterations = (checkpoint: string) =>
        ["optimizer-g", "optimizer-d"].map((g) => loadCheckpoint(checkpoint).groups.get(g)?.[0]?.dataSync()[0]);
      expect(iterations(resumed.checkpoint)).toEqual([3, 3]);
      // …while one training step moves the weights by far more than that tolerance.
      const stepTwo = path.join(runDir("whole"), "checkpoints", "step-000002");
      expect(maxDifference(tensors(stepTwo), tensors(whole.checkpoint))).toBeGreaterThan(1e-3);
      expect(readLog(runDir("split")).map((line) => line.step)).toEqual([1, 2, 3]);
    });

    it("reads checkpoints written before dtypes were recorded: Adam's step count as the int32 it is", async () => {
      const source = path.join(runDir("whole"), "checkpoints", "step-000002");
      const legacy = path.join(root, `${backend}-legacy`, "checkpoints", "step-000002");
      mkdirSync(legacy, { recursive: true });
      const state = JSON.parse(readFileSync(path.join(source, "state.json"), "utf8")) as {
        index: { group: string; name: string; offset: number; dtype?: string }[];
      };
      const bytes = Buffer.from(tensors(source));
      for (const entry of state.index) {
        // The old writer copied an int32 tensor's raw bits and recorded no dtype.
        if (entry.dtype === "int32") bytes.writeInt32LE(bytes.readFloatLE(entry.offset * 4), entry.offset * 4);
        delete entry.dtype;
      }
      writeFileSync(path.join(legacy, "tensors.bin"), bytes);
      writeFileSync(path.join(legacy, "state.json"), JSON.stringify(state));
      const groups = loadCheckpoint(legacy).groups;
      for (const group of ["optimizer-g", "optimizer-d"]) {
        const iteration = groups.get(group)?.[0] as tf.Tensor;
        expect([iteration.dtype, iteration.dataSync()[0]]).toEqual(["int32", 2]);
      }
      expect(Array.from(groups.get("generator")?.[0]?.dataSync() ?? [])).toEqual(
        Array.from(loadCheckpoint(source).groups.get("generator")?.[0]?.dataSync() ?? []),
      );
    });

    it("forks a run: the parent's state and settings but the changes, and a decay whose rates reach zero", async () => {
      const parent = path.join(runDir("whole"), "checkpoints", "step-000002");
      // Rates at zero from the first forked step: the trained weights must not move (batch norm's moving
      // statistics and Adam's moments still do).
      const changes = { lrDecayFrom: 0, lrDecaySteps: 1, ema: 0.5 };
      const fork = await train({
        runDir: runDir("fork"),
        settings: { ...settings, steps: 4 },
        fork: { from: parent, changes },
        log: quiet,
      });
      expect(fork.step).toBe(4);
      expect(fork.imagesSeen).toBe(4 * settings.batchSize);
      const before = loadCheckpoint<TrainSettings>(parent);
      const after = loadCheckpoint<TrainSettings>(fork.checkpoint);
      expect(after.state.settings).toMatchObject({ ...changes, lrD: settings.lrD, diffAugment: true, steps: 4 });
      for (const group of ["generator", "discriminator"]) {
        const kernels = (c: typeof before) => (c.groups.get(group) ?? []).filter((t) => t.rank >= 2);
        const [a, b] = [kernels(before), kernels(after)];
        expect(a.length).toBeGreaterThan(0);
        for (const [i, tensor] of a.entries()) {
          expect(tf.max(tf.abs(tf.sub(tensor, b[i] as tf.Tensor))).dataSync()[0]).toBe(0);
        }
      }
      // A whole step at full rate moves them (the same check against the uninterrupted run's step 3).
      const moved = loadCheckpoint<TrainSettings>(path.join(runDir("whole"), "checkpoints", "step-000003"));
      const kernel = (c: typeof before) => (c.groups.get("generator") ?? []).find((t) => t.rank >= 2) as tf.Tensor;
      expect(tf.max(tf.abs(tf.sub(kernel(before), kernel(moved)))).dataSync()[0]).toBeGreaterThan(0);
      // The parent run is untouched.
      expect(readLog(runDir("whole")).map((line) => line.step)).toEqual([1, 2, 3]);
    });

    it("starts a fork's decay where the fork starts, and refuses forks it cannot make", async () => {
      const parent = path.join(runDir("whole"), "checkpoints", "step-000002");
      const decay = await train({
        runDir: runDir("decay"),
        settings: { ...settings, steps: 3 },
        fork: { from: parent, changes: { lrDecaySteps: 1000 } },
        log: quiet,
      });
      expect(loadCheckpoint<TrainSettings>(decay.checkpoint).state.settings).toMatchObject({
        lrDecayFrom: 2,
        lrDecaySteps: 1000,
      });
      const forkTo = (name: string, changes: Partial<TrainSettings>) =>
        train({ runDir: runDir(name), settings, fork: { from: parent, changes }, log: quiet });
      await expect(forkTo("wider", { ngf: 8 })).rejects.toThrow(
        /keeps the checkpoint's architecture: its ngf is 4, not 8/,
      );
      await expect(forkTo("decay", {})).rejects.toThrow(/already has checkpoints: continue it with --resume/);
    });

    it("exports a quantized generator that loads and draws [-1, 1] faces of the right shape", async () => {
      const { dir, metadata } = await exportGenerator({
        checkpoint: runDir("whole"),
        modelsDir: path.join(root, `${backend}-models`),
        version: `toy-${backend}`,
        quantize: "auto",
        truncation: 0.8,
        log: quiet,
      });
      expect(ModelMetadataSchema.parse(JSON.parse(readFileSync(path.join(dir, "metadata.json"), "utf8")))).toEqual(
        metadata,
      );
      expect(metadata.quantization.dtype).not.toBe("float32");
      expect(metadata.training.steps).toBe(3);
      expect(metadata.ema).toBe(true);
      expect(metadata.architecture).toMatchObject({ ngf: 4, toRgb: "upsample", upsampling: "transpose" });
      const model = await loadLayersModelFromDisk(path.join(dir, "model.json"));
      const images = model.predict(tf.randomNormal([2, 100])) as tf.Tensor;
      expect(images.shape).toEqual([2, 32, 32, 3]);
      const values = await images.data();
      expect(Math.min(...values)).toBeGreaterThanOrEqual(-1);
      expect(Math.max(...values)).toBeLessThanOrEqual(1);
      model.dispose();
    });
  });
}
