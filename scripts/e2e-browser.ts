/**
 * `npm run test:e2e`'s first step: makes sure a Chromium is there before Playwright starts (see
 * scripts/provide-chromium.ts), saying which one; where none can be had, prints the one line saying what to
 * do and exits 1, before any test runs.
 */
import { pathToFileURL } from "node:url";
import { ChromiumPathError } from "./find-chromium.ts";
import { defaultProvideOptions, NoChromiumError, type ProvideOptions, provideChromium } from "./provide-chromium.ts";

/** `overrides` lets a test run the whole step on a machine that seems to have no browser at all. */
export async function main(overrides: Partial<ProvideOptions> = {}): Promise<void> {
  try {
    const { path, source } = await provideChromium({ ...defaultProvideOptions(), ...overrides });
    console.log(`e2e browser: ${path} (${source})`);
  } catch (error) {
    if (!(error instanceof NoChromiumError || error instanceof ChromiumPathError)) throw error;
    console.error(error.message);
    process.exit(1);
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) await main();
