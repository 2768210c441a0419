/**
 * Which Chromium the end-to-end tests and the browser benchmark run, in order: CHROMIUM_PATH, Debian's
 * chromium, Playwright's own. Only looks; scripts/provide-chromium.ts installs one where none is found.
 * The candidates are parameters so a test can ask what happens on a machine that has none of them.
 */
import { accessSync, constants, statSync } from "node:fs";
import { chromium } from "@playwright/test";
import { UserError } from "../training/cli/user-error.ts";

export interface ChromiumCandidates {
  /** CHROMIUM_PATH; unset or empty: not configured. */
  configured: string | undefined;
  /** Where a system package puts it (Debian's chromium: /usr/bin/chromium). */
  system: readonly string[];
  /** Where Playwright keeps the Chromium its installer downloads (~/.cache/ms-playwright/…). */
  playwright: string;
}

export interface FoundChromium {
  path: string;
  source: "CHROMIUM_PATH" | "Debian's chromium" | "Playwright's chromium";
}

/** CHROMIUM_PATH names something that cannot run: a mistake to report, not to step past to another browser. */
export class ChromiumPathError extends UserError {
  override name = "ChromiumPathError";
}

export function defaultCandidates(): ChromiumCandidates {
  return {
    configured: process.env.CHROMIUM_PATH,
    system: ["/usr/bin/chromium"],
    playwright: chromium.executablePath(),
  };
}

export function findChromium(candidates: ChromiumCandidates = defaultCandidates()): FoundChromium | null {
  const { configured, system, playwright } = candidates;
  if (configured) {
    if (!isExecutableFile(configured))
      throw new ChromiumPathError(
        `CHROMIUM_PATH=${configured} is not an executable file: point it at a Chromium or Chrome binary, or unset it.`,
      );
    return { path: configured, source: "CHROMIUM_PATH" };
  }
  const packaged = system.find(isExecutableFile);
  if (packaged) return { path: packaged, source: "Debian's chromium" };
  if (isExecutableFile(playwright)) return { path: playwright, source: "Playwright's chromium" };
  return null;
}

export function isExecutableFile(file: string): boolean {
  try {
    accessSync(file, constants.X_OK);
    return statSync(file).isFile();
  } catch {
    return false;
  }
}
