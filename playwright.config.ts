/**
 * End-to-end tests in a real Chromium against the real built site, database and model.
 *
 * Hermetic: the web server gets its own temporary database file and a small quiz pool prepared from the
 * CelebA folder into a temporary directory, on a free port; the generator is the one shipped in
 * public/models (a tiny untrained stand-in until one is published). The server is started the way a user starts it (`npm start`'s script), which also builds
 * the site when dist/ is stale.
 *
 * Browser: see e2e/support/chromium.ts (CHROMIUM_PATH, else Debian's Chromium, else Playwright's own); `npm run
 * test:e2e` installs one first where none is found (scripts/e2e-browser.ts).
 */
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { defineConfig, devices } from "@playwright/test";
import { chromiumLaunchOptions } from "./e2e/support/chromium.ts";
import { activeModel } from "./scripts/active-model.ts";
import { freePort } from "./testing/free-port.ts";

/** The config is evaluated again in every worker: environment variables keep them on one port and folder. */
process.env.E2E_PORT ??= String(await freePort());
process.env.E2E_DIR ??= mkdtempSync(path.join(tmpdir(), "spot-the-fake-e2e-"));
const port = Number(process.env.E2E_PORT);
const dir = process.env.E2E_DIR;
// The shipped generator when there is one; before the first is published, a tiny untrained stand-in that
// e2e/support/prepare-fixtures.ts writes to the temporary folder (the server serves MODELS_DIR at run time).
process.env.E2E_MODELS_DIR ??= activeModel("public/models") ? path.resolve("public/models") : path.join(dir, "models");
const baseURL = `http://127.0.0.1:${port}`;

export default defineConfig({
  testDir: "e2e",
  outputDir: "test-results",
  timeout: 60_000,
  expect: { timeout: 15_000 },
  // Two cores shared with the server: more workers only slow every game down.
  workers: 2,
  forbidOnly: !!process.env.CI,
  retries: process.env.CI ? 1 : 0,
  reporter: [["list"], ["html", { open: "never", outputFolder: "playwright-report" }]],
  globalTeardown: "./e2e/support/teardown.ts",
  use: {
    baseURL,
    trace: "retain-on-failure",
    screenshot: "only-on-failure",
    launchOptions: chromiumLaunchOptions(),
  },
  projects: [
    {
      name: "desktop",
      use: { ...devices["Desktop Chrome"], viewport: { width: 1280, height: 860 } },
      testIgnore: /phone/,
    },
    { name: "phone", use: { ...devices["Pixel 7"] }, testMatch: /phone/ },
  ],
  webServer: {
    command: "npx tsx e2e/support/prepare-fixtures.ts && npx tsx scripts/start.ts",
    url: `${baseURL}/`,
    // A cold start builds the site first (about 10–30 s on two busy cores).
    timeout: 240_000,
    reuseExistingServer: false,
    stdout: "pipe",
    env: {
      HOST: "127.0.0.1",
      PORT: String(port),
      DATABASE_URL: `file:${path.join(dir, "game.db")}`,
      DATA_DIR: path.join(dir, "data"),
      QUIZ_POOL_DIR: path.join(dir, "pool"),
      MODELS_DIR: process.env.E2E_MODELS_DIR,
      ASTRO_TELEMETRY_DISABLED: "1",
    },
  },
});
