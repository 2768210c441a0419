import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import * as tf from "@tensorflow/tfjs";
import { describe, expect, it } from "vitest";
import { AUTO_ORDER, BackendUnavailableError, selectBackend } from "./select.ts";

async function installed(name: string): Promise<boolean> {
  try {
    await import(name);
    return true;
  } catch {
    return false;
  }
}

describe("selectBackend", () => {
  it("auto falls through to the first route that runs, with a reason for every route it skipped", async () => {
    const logged: string[] = [];
    const choice = await selectBackend("auto", { log: (m) => logged.push(m) });
    const skipped = AUTO_ORDER.slice(0, AUTO_ORDER.indexOf(choice.name));
    for (const route of skipped) {
      const reason = choice.reasons.find((r) => r.startsWith(`${route}: `));
      expect(reason, `reason for skipping ${route}`).toBeDefined();
      expect(reason?.length).toBeGreaterThan(route.length + 10);
    }
    expect(logged.join("\n")).toContain(`backend: ${choice.name}`);
    expect(choice.threads).toBeGreaterThanOrEqual(1);
  });

  it("names a missing package as the reason a native route was skipped", async () => {
    const choice = await selectBackend("auto", { log: () => {} });
    if (choice.name !== "wasm" || (await installed("@tensorflow/tfjs-node-gpu"))) return;
    expect(choice.reasons).toContainEqual(
      expect.stringMatching(/^node-gpu: @tensorflow\/tfjs-node-gpu is not installed/),
    );
    expect(choice.reasons).toContainEqual(expect.stringMatching(/^webgpu: /));
    expect(choice.reasons).toContainEqual(expect.stringMatching(/^wasm: .*fast kernels match the cpu backend/));
  });

  it("fails with a clear message when an unavailable backend is asked for by name", async () => {
    if (await installed("@tensorflow/tfjs-node-gpu")) return;
    const attempt = selectBackend("node-gpu", { log: () => {} });
    await expect(attempt).rejects.toBeInstanceOf(BackendUnavailableError);
    await expect(attempt).rejects.toThrow(
      /^backend "node-gpu" is not available here: @tensorflow\/tfjs-node-gpu is not installed/,
    );
  });

  it("on the command line, prints the reason and exits with status 2 instead of a stack trace", async () => {
    if (await installed("@tensorflow/tfjs-node-gpu")) return;
    const select = fileURLToPath(new URL("./select.ts", import.meta.url));
    const code = `import(${JSON.stringify(select)}).then((m) => m.selectBackendOrExit("node-gpu"))`;
    const run = spawnSync(process.execPath, ["--import", "tsx", "-e", code], { encoding: "utf8", timeout: 60_000 });
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(/^error: backend "node-gpu" is not available here: .*not installed/m);
    expect(run.stderr).not.toMatch(/^\s+at /m);
  });

  it("gives wasm the threads asked for, or says why it fell back to one", async () => {
    const choice = await selectBackend("wasm", { threads: 2, log: () => {} });
    expect(tf.getBackend()).toBe("wasm");
    if (choice.threads !== 2) expect(choice.reasons.join("\n")).toMatch(/falling back to 1 thread/);
  });

  it("selects cpu when asked", async () => {
    const choice = await selectBackend("cpu", { log: () => {} });
    expect(choice).toMatchObject({ name: "cpu", threads: 1 });
    expect(tf.getBackend()).toBe("cpu");
  });
});
