/**
 * How the tests and the browser benchmark launch Chromium: the binary scripts/find-chromium.ts finds
 * (CHROMIUM_PATH, Debian's chromium, Playwright's own). `npm run test:e2e` first runs scripts/e2e-browser.ts,
 * which installs one where none is found; with none at all, Playwright's own error says what is missing.
 */
import type { LaunchOptions } from "@playwright/test";
import { findChromium } from "../../scripts/find-chromium.ts";

export function chromiumLaunchOptions(): LaunchOptions {
  return {
    executablePath: findChromium()?.path,
    // --no-sandbox: CI runs as root. The rest keep Chromium from calling home on a machine without internet.
    args: [
      "--no-sandbox",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      "--no-first-run",
      "--disable-quic",
    ],
  };
}
