/**
 * The trainer as a user runs it: a child process that checkpoints when interrupted with Ctrl-C
 * (SIGINT) and carries on from there with --resume.
 */
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { prepareData } from "../data/prepare.ts";
import { celebaForTests } from "../data/testing/celeba-for-tests.ts";
import { readLog } from "./train-log.ts";

const root = mkdtempSync(path.join(tmpdir(), "stf-train-cli-"));
const TINY = [
  "--image-size",
  "32",
  "--ngf",
  "4",
  "--ndf",
  "4",
  "--batch-size",
  "8",
  "--backend",
  "wasm",
  "--threads",
  "1",
  "--log-every",
  "1",
  "--sample-every",
  "1000",
  "--checkpoint-every",
  "1000",
];

function runTrainer(args: string[], interruptAfterLog = false): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ["--import", "tsx", "training/train/train.ts", ...args], {
      env: { ...process.env, DATA_DIR: path.join(root, "data"), RUNS_DIR: path.join(root, "runs") },
    });
    let output = "";
    const collect = (chunk: Buffer) => {
      output += chunk.toString();
    };
    child.stdout.on("data", collect);
    child.stderr.on("data", collect);
    if (interruptAfterLog) {
      const timer = setInterval(() => {
        if (readLog(path.join(root, "runs", "cli")).length >= 2) {
          clearInterval(timer);
          child.kill("SIGINT");
        }
      }, 100);
      child.on("exit", () => clearInterval(timer));
    }
    child.on("exit", (code) => resolve({ code, output }));
  });
}

describe("train command line", () => {
  it("saves a checkpoint on Ctrl-C and resumes from it", async () => {
    await prepareData({
      celebaDir: celebaForTests(),
      dataDir: path.join(root, "data"),
      poolDir: path.join(root, "pool"),
      imageSize: 32,
      limit: 40,
    });
    const interrupted = await runTrainer(["--run", "cli", "--steps", "100000", ...TINY], true);
    expect(interrupted.code).toBe(0);
    const stopped = /Stopped at step (\d+); checkpoint (\S+)/.exec(interrupted.output);
    expect(stopped, interrupted.output).not.toBeNull();
    const step = Number(stopped?.[1]);
    expect(step).toBeGreaterThanOrEqual(2);
    expect(existsSync(path.join(stopped?.[2] ?? "", "state.json"))).toBe(true);

    const resumed = await runTrainer([
      "--resume",
      path.join(root, "runs", "cli"),
      "--steps",
      String(step + 2),
      ...TINY,
    ]);
    expect(resumed.code, resumed.output).toBe(0);
    expect(resumed.output).toContain(`Resumed ${path.join(root, "runs", "cli")} at step ${step}`);
    expect(resumed.output).toContain(`Finished at step ${step + 2}`);
  });

  it("branches a new run off a checkpoint: the options given change, the rest are the parent's", async () => {
    const parent = await runTrainer(["--run", "parent", "--steps", "2", "--beta1", "0", ...TINY]);
    expect(parent.code, parent.output).toBe(0);
    const fork = await runTrainer([
      "--run",
      "branch",
      "--from",
      path.join(root, "runs", "parent"),
      "--lr-decay-steps",
      "5",
      "--steps",
      "3",
      ...TINY,
    ]);
    expect(fork.code, fork.output).toBe(0);
    expect(fork.output).toMatch(/Forked .*branch from .*parent.checkpoints.step-000002 at step 2/);
    const state = JSON.parse(
      readFileSync(path.join(root, "runs", "branch", "checkpoints", "step-000003", "state.json"), "utf8"),
    ) as { settings: Record<string, unknown> };
    // beta1 was not given to the fork: the parent's 0, not the default 0.5.
    expect(state.settings).toMatchObject({ beta1: 0, lrDecaySteps: 5, lrDecayFrom: 2, steps: 3 });
    const wider = await runTrainer([
      "--run",
      "wider",
      "--from",
      path.join(root, "runs", "parent"),
      ...TINY,
      "--ngf",
      "8",
    ]);
    expect(wider.code).toBe(2);
    expect(wider.output).toContain("--from keeps the checkpoint's architecture: its ngf is 4, not 8.");
  });

  it("rejects a bad option with a message, not a stack trace", async () => {
    const result = await runTrainer(["--ngf", "wide"]);
    expect(result.code).not.toBe(0);
    expect(result.output).toMatch(/option '--ngf <n>' argument 'wide' is invalid/);
    expect(result.output).not.toMatch(/\n\s+at /);
  });

  it("explains missing prepared data", async () => {
    const result = await runTrainer(["--run", "nodata", "--data-dir", path.join(root, "nothing-here"), ...TINY]);
    expect(result.code).toBe(2);
    expect(result.output).toMatch(/No prepared 32×32 training data .* npm run data:prepare -- --size 32/);
    expect(result.output).not.toMatch(/\n\s+at /);
  });
});
