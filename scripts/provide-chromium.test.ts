import { spawnSync } from "node:child_process";
import { chmodSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { freePort } from "../testing/free-port.ts";
import { USER_ERROR_EXIT_CODE } from "../training/cli/run-command.ts";
import { NoChromiumError, type ProvideOptions, provideChromium } from "./provide-chromium.ts";

function executable(name: string): string {
  const file = path.join(mkdtempSync(path.join(tmpdir(), "stf-provide-")), name);
  writeFileSync(file, "#!/bin/sh\n");
  chmodSync(file, 0o755);
  return file;
}

/**
 * A machine with no browser where any is looked for, a download host nobody listens on (a free local port,
 * so the refusal is real and instant) and no apt-get: nothing can be installed, and nothing is run.
 */
async function bareMachine(): Promise<Omit<ProvideOptions, "log">> {
  return {
    candidates: {
      configured: undefined,
      system: ["/nonexistent/chromium"],
      playwright: "/nonexistent/ms-playwright/chrome",
    },
    downloadHost: `http://127.0.0.1:${await freePort()}`,
    aptGet: "/nonexistent/apt-get",
    isRoot: true,
  };
}

describe("providing Chromium", () => {
  it("takes a browser that is there without installing anything", async () => {
    const debian = executable("chromium");
    const logged: string[] = [];
    const machine = await bareMachine();
    const found = await provideChromium({
      ...machine,
      candidates: { ...machine.candidates, system: [debian] },
      log: (line) => logged.push(line),
    });
    expect(found).toEqual({ path: debian, source: "Debian's chromium" });
    expect(logged).toEqual([]);
  });

  it("where none is found or installable, fails with one line that says where it looked and what to do", async () => {
    const machine = await bareMachine();
    const attempt = provideChromium({ ...machine, log: () => {} });
    await expect(attempt).rejects.toBeInstanceOf(NoChromiumError);
    const message = await attempt.catch((error: Error) => error.message);
    expect(message).not.toContain("\n");
    expect(message).toContain("none at /nonexistent/chromium, /nonexistent/ms-playwright/chrome");
    expect(message).toContain(`${machine.downloadHost} does not answer`);
    expect(message).toMatch(
      /: set CHROMIUM_PATH to a Chromium or Chrome binary \(or run `npx playwright install chromium`/,
    );
  });

  it("tells a user who is not root but has apt to install Debian's chromium with sudo", async () => {
    const machine = await bareMachine();
    const attempt = provideChromium({ ...machine, aptGet: executable("apt-get"), isRoot: false, log: () => {} });
    await expect(attempt).rejects.toThrow(/: run `sudo apt-get install chromium` \(or set CHROMIUM_PATH/);
  });

  it("as `npm run test:e2e`'s first step, prints only that line and exits 2", async () => {
    const cli = fileURLToPath(new URL("./e2e-browser.ts", import.meta.url));
    const runCommand = fileURLToPath(new URL("../training/cli/run-command.ts", import.meta.url));
    const code = `const { main } = await import(${JSON.stringify(cli)});
      const { runCommand } = await import(${JSON.stringify(runCommand)});
      runCommand("test:e2e", () => main(${JSON.stringify(await bareMachine())}));`;
    const run = spawnSync(process.execPath, ["--import", "tsx", "--input-type=module", "-e", code], {
      encoding: "utf8",
      timeout: 60_000,
    });
    expect(run.status).toBe(USER_ERROR_EXIT_CODE);
    expect(run.stdout).toBe("");
    expect(run.stderr).toMatch(
      /^test:e2e: No Chromium for the end-to-end tests \(CHROMIUM_PATH unset; [^\n]*then npm test again\.\n$/,
    );
  });
});
