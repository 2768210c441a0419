/**
 * How the tests and the browser benchmark launch Chromium. Debian's /usr/bin/chromium by default, since
 * Playwright cannot download its own browsers here; CHROMIUM_PATH picks another binary, and an empty
 * CHROMIUM_PATH (or a missing default) leaves Playwright to use its own.
 */
import { existsSync } from "node:fs";
import type { LaunchOptions } from "@playwright/test";

export function chromiumLaunchOptions(): LaunchOptions {
  const configured = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
  return {
    executablePath: configured !== "" && existsSync(configured) ? configured : undefined,
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
