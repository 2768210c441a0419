import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import * as tf from "@tensorflow/tfjs";
import { afterAll, describe, expect, it } from "vitest";
import { startWasm } from "./wasm-threads.ts";

const scratch = fs.mkdtempSync(path.join(os.tmpdir(), "wasm-node-test-"));
afterAll(() => fs.rmSync(scratch, { recursive: true, force: true }));

function sum(): number {
  return tf.tidy(() => tf.sum(tf.matMul(tf.ones([64, 64]), tf.ones([64, 64]))).dataSync()[0] ?? Number.NaN);
}

describe("startWasm", () => {
  it("falls back to one thread, with the reason, when the worker script cannot be written", async () => {
    const start = await startWasm(2, { workerDir: "/dev/null/not-a-directory" });
    expect(start.threads).toBe(1);
    expect(start.reasons.join("\n")).toMatch(/threads unavailable \(ENOTDIR.*\); falling back to 1 thread/);
    expect(tf.getBackend()).toBe("wasm");
    expect(sum()).toBe(64 ** 3);
  });

  it("writes its own worker file when something else sits at the shared name", async () => {
    const first = path.join(scratch, "first");
    fs.mkdirSync(first);
    await startWasm(2, { workerDir: first });
    const [shared] = fs.readdirSync(first);
    const blocked = path.join(scratch, "blocked");
    fs.mkdirSync(path.join(blocked, shared as string), { recursive: true });
    const start = await startWasm(2, { workerDir: blocked });
    expect(start.threads).toBe(2);
    expect(fs.readdirSync(blocked).length).toBe(2);
    expect(sum()).toBe(64 ** 3);
  });
});
