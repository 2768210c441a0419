/**
 * Training on the native route: what "auto" picks, a DCGAN step on it giving the wasm route's losses and
 * leaving nothing behind, and what a user sees where the addon is not built. (The route's kernels against
 * their references: src/tfjs-accel/node/native/native.test.ts.) CI sets STF_REQUIRE_NATIVE=1 after installing
 * oneDNN, so there these tests run (and fail if the addon did not build) instead of skipping.
 */
import { spawnSync } from "node:child_process";
import path from "node:path";
import * as tf from "@tensorflow/tfjs";
import { describe, expect, it } from "vitest";
import { REPO_ROOT } from "../../config/settings.ts";
import { Z_DIM } from "../../src/core/noise.ts";
import { HOW_TO_INSTALL, loadDnnl } from "../../src/tfjs-accel/node/native/dnnl.ts";
import { selectBackend } from "../backends/select.ts";
import { makeTrainStep } from "./train-step.ts";

const { dnnl, reason } = loadDnnl();
const skip = !dnnl && !process.env.STF_REQUIRE_NATIVE;
if (skip) console.warn(`native route tests skipped: ${reason}`);

describe.skipIf(skip)("training on the native route (oneDNN)", () => {
  it("is what auto picks on a machine without a GPU route", async () => {
    const choice = await selectBackend("auto", { log: () => {} });
    const gpu = choice.reasons.some((r) => /^(node-gpu|webgpu): (libtensorflow with CUDA|GPU adapter)/.test(r));
    if (!gpu) expect(choice.name).toBe("native");
  });

  it("leaves no buffers behind on the wasm heap, step after step", async () => {
    const choice = await selectBackend("native", { threads: 2, log: () => {} });
    const step = makeTrainStep({ imageSize: 32, ngf: 8, ndf: 8, zDim: Z_DIM }, 8, 1, choice.parts);
    const real = tf.randomUniform([8, 32, 32, 3], -1, 1, "float32", 3) as tf.Tensor4D;
    step.run(real);
    const buffers = tf.backend().numDataIds();
    for (let i = 0; i < 3; i++) step.run(real);
    expect(tf.backend().numDataIds()).toBe(buffers);
    real.dispose();
    step.dispose();
  });

  it("gives the wasm route's losses for the first DCGAN steps", async () => {
    const shape = { imageSize: 32, ngf: 8, ndf: 8, zDim: Z_DIM };
    const losses = async (route: "wasm" | "native") => {
      const choice = await selectBackend(route, { threads: route === "wasm" ? 1 : 2, log: () => {} });
      const step = makeTrainStep(shape, 16, 7, choice.parts);
      const real = tf.randomUniform([16, 32, 32, 3], -1, 1, "float32", 3) as tf.Tensor4D;
      const out = Array.from({ length: 4 }, () => step.run(real));
      step.dispose();
      real.dispose();
      return out.flatMap((l) => [l.dLoss, l.gLoss]);
    };
    const onWasm = await losses("wasm");
    const primitives = dnnl?.cachedPrimitives() ?? 0;
    const onNative = await losses("native");
    for (const [i, loss] of onNative.entries()) {
      expect(Math.abs(loss - (onWasm[i] as number)) / Math.abs(onWasm[i] as number), `loss ${i}`).toBeLessThan(1e-4);
    }
    // The native run went through oneDNN: this model's shapes made new primitives.
    expect(dnnl?.cachedPrimitives() ?? 0).toBeGreaterThan(primitives);
  });
});

describe("training without the addon", () => {
  const tsx = (script: string, args: string[], env: NodeJS.ProcessEnv) =>
    spawnSync(process.execPath, ["--import", "tsx", script, ...args], { cwd: REPO_ROOT, env, encoding: "utf8" });

  it("auto skips the native route with the how-to as its reason, and trains on the next route", () => {
    const env = { ...process.env, STF_DNNL_ADDON: path.join(REPO_ROOT, "no-such-addon.node") };
    const program = `const { selectBackend } = await import("./training/backends/select.ts");
      const choice = await selectBackend("auto", { log: () => {} });
      console.log(JSON.stringify({ name: choice.name, reasons: choice.reasons }));`;
    const result = spawnSync(process.execPath, ["--import", "tsx", "--input-type=module", "-e", program], {
      cwd: REPO_ROOT,
      env,
      encoding: "utf8",
    });
    const choice = JSON.parse(result.stdout.trim().split("\n").at(-1) ?? "{}") as { name: string; reasons: string[] };
    expect(choice.name).not.toBe("native");
    expect(choice.reasons).toContain(`native: the oneDNN addon is not built (${HOW_TO_INSTALL})`);
  });

  it("`npm run train -- --backend native` exits 2 with the one-line how-to", () => {
    const env = { ...process.env, STF_DNNL_ADDON: path.join(REPO_ROOT, "no-such-addon.node") };
    const result = tsx("training/train/train.ts", ["--backend", "native", "--steps", "1"], env);
    expect(result.status).toBe(2);
    const lines = `${result.stdout}${result.stderr}`.trim().split("\n");
    expect(lines.at(-1)).toBe(
      `train: backend "native" is not available here: the oneDNN addon is not built (${HOW_TO_INSTALL})`,
    );
  });
});
