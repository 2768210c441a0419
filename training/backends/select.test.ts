import { spawnSync } from "node:child_process";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";
import * as tf from "@tensorflow/tfjs";
import { describe, expect, it } from "vitest";
import { AUTO_ORDER, BackendUnavailableError, selectBackend } from "./select.ts";

/** Whether the package is on disk, whether or not it loads: a broken install is not a missing one. */
function installed(name: string): boolean {
  try {
    createRequire(import.meta.url).resolve(name);
    return true;
  } catch {
    return false;
  }
}

// The "not installed" path can only be seen where tfjs-node-gpu is missing (most machines: it needs CUDA and
// internet to install); where it is installed, the tests below that expect it missing are skipped and the
// installed case is checked instead.
const GPU_PACKAGE_INSTALLED = installed("@tensorflow/tfjs-node-gpu");

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

  it.skipIf(GPU_PACKAGE_INSTALLED)("names a missing package as the reason node-gpu was skipped", async () => {
    const choice = await selectBackend("auto", { log: () => {} });
    expect(choice.name).not.toBe("node-gpu");
    expect(choice.reasons).toContainEqual(
      expect.stringMatching(/^node-gpu: @tensorflow\/tfjs-node-gpu is not installed \(an optional dependency; needs /),
    );
  });

  it.runIf(GPU_PACKAGE_INSTALLED)("with tfjs-node-gpu installed, runs on CUDA or says why not", async () => {
    const choice = await selectBackend("auto", { log: () => {} });
    const expected = choice.name === "node-gpu" ? /^node-gpu: libtensorflow with CUDA/ : /^node-gpu: .*(no GPU|failed)/;
    expect(choice.reasons).toContainEqual(expect.stringMatching(expected));
  });

  it.skipIf(GPU_PACKAGE_INSTALLED)(
    "fails with a clear message when an unavailable backend is asked for by name",
    async () => {
      const attempt = selectBackend("node-gpu", { log: () => {} });
      await expect(attempt).rejects.toBeInstanceOf(BackendUnavailableError);
      await expect(attempt).rejects.toThrow(
        /^backend "node-gpu" is not available here: @tensorflow\/tfjs-node-gpu is not installed/,
      );
    },
  );

  it.skipIf(GPU_PACKAGE_INSTALLED)(
    "on the command line, prints the reason and exits with status 2 instead of a stack trace",
    async () => {
      const select = fileURLToPath(new URL("./select.ts", import.meta.url));
      const runCommand = fileURLToPath(new URL("../cli/run-command.ts", import.meta.url));
      const code = `const { selectBackend } = await import(${JSON.stringify(select)});
        const { runCommand } = await import(${JSON.stringify(runCommand)});
        runCommand("some-command", () => selectBackend("node-gpu"));`;
      const run = spawnSync(process.execPath, ["--import", "tsx", "--input-type=module", "-e", code], {
        encoding: "utf8",
        timeout: 60_000,
      });
      expect(run.status).toBe(2);
      expect(run.stderr).toMatch(/^some-command: backend "node-gpu" is not available here: .*not installed/m);
      expect(run.stderr).not.toMatch(/^\s+at /m);
    },
  );

  it("gives wasm the threads asked for, or says why it fell back to one", async () => {
    const choice = await selectBackend("wasm", { threads: 2, log: () => {} });
    expect(tf.getBackend()).toBe("wasm");
    expect(choice.reasons).toContainEqual(expect.stringMatching(/^wasm: \d+\/\d+ fast kernels match the cpu backend/));
    if (choice.threads !== 2) expect(choice.reasons.join("\n")).toMatch(/falling back to 1 thread/);
  });

  it("selects cpu when asked", async () => {
    const choice = await selectBackend("cpu", { log: () => {} });
    expect(choice).toMatchObject({ name: "cpu", threads: 1 });
    expect(tf.getBackend()).toBe("cpu");
  });
});
