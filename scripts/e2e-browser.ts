/**
 * `npm run test:e2e`'s first step: makes sure a Chromium is there before Playwright starts (see
 * scripts/provide-chromium.ts), saying which one; where none can be had (NoChromiumError, ChromiumPathError:
 * user errors), prints the one line saying what to do and exits 2, before any test runs.
 */
import { isEntryPoint, runCommand } from "../training/cli/run-command.ts";
import { defaultProvideOptions, type ProvideOptions, provideChromium } from "./provide-chromium.ts";

/** `overrides` lets a test run the whole step on a machine that seems to have no browser at all. */
export async function main(overrides: Partial<ProvideOptions> = {}): Promise<void> {
  const { path, source } = await provideChromium({ ...defaultProvideOptions(), ...overrides });
  console.log(`e2e browser: ${path} (${source})`);
}

if (isEntryPoint(import.meta.url)) runCommand("test:e2e", () => main());
