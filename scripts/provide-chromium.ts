/**
 * A Chromium for the end-to-end tests, installed the way this machine allows when none is found: Playwright's
 * installer where its download host answers, Debian's package where we run as root with apt; otherwise one
 * line that says what to do, so a bare machine fails `npm test` with an instruction rather than a dozen
 * "Executable doesn't exist" test failures.
 */
import { spawnSync } from "node:child_process";
import { createRequire } from "node:module";
import { UserError } from "../training/cli/user-error.ts";
import {
  type ChromiumCandidates,
  defaultCandidates,
  type FoundChromium,
  findChromium,
  isExecutableFile,
} from "./find-chromium.ts";

export interface ProvideOptions {
  candidates: ChromiumCandidates;
  /** Where Playwright's installer downloads from; it is only run when this answers. */
  downloadHost: string;
  /** apt-get, for Debian's chromium; used only as root. */
  aptGet: string;
  isRoot: boolean;
  /** What is being done, one line each (installs take minutes and should not look like a hang). */
  log: (line: string) => void;
}

/** No Chromium, and none could be installed here; the message is the one line for the user. */
export class NoChromiumError extends UserError {
  override name = "NoChromiumError";
}

export function defaultProvideOptions(): ProvideOptions {
  return {
    candidates: defaultCandidates(),
    downloadHost:
      process.env.PLAYWRIGHT_CHROMIUM_DOWNLOAD_HOST ||
      process.env.PLAYWRIGHT_DOWNLOAD_HOST ||
      "https://cdn.playwright.dev",
    aptGet: "/usr/bin/apt-get",
    isRoot: process.getuid?.() === 0,
    log: (line) => console.log(line),
  };
}

export async function provideChromium(options: ProvideOptions = defaultProvideOptions()): Promise<FoundChromium> {
  const { candidates, downloadHost, aptGet, isRoot, log } = options;
  const found = findChromium(candidates);
  if (found) return found;
  const withApt = isExecutableFile(aptGet);
  const tried: string[] = [];
  const installers: Installer[] = [];
  if (await answers(downloadHost)) {
    // As root, --with-deps also apt-installs the libraries Playwright's Chromium needs, which a bare image lacks.
    const args = ["install", ...(isRoot && withApt ? ["--with-deps"] : []), "chromium"];
    const cli = createRequire(import.meta.url).resolve("@playwright/test/cli");
    installers.push({
      what: "Playwright's Chromium",
      shown: `playwright ${args.join(" ")}`,
      steps: [[process.execPath, cli, ...args]],
    });
  } else {
    tried.push(`${downloadHost} does not answer`);
  }
  if (isRoot && withApt)
    installers.push({
      what: "Debian's chromium",
      shown: "apt-get install chromium",
      steps: [
        [aptGet, "update", "-qq"],
        [aptGet, "install", "-y", "-qq", "chromium"],
      ],
    });

  for (const installer of installers) {
    log(`e2e browser: none found; installing ${installer.what} (${installer.shown})`);
    const failure = runSteps(installer.steps);
    const installed = findChromium(candidates);
    if (installed) return installed;
    tried.push(failure ? `${installer.shown} failed (${failure})` : `${installer.shown} left no browser where we look`);
  }
  throw new NoChromiumError(oneLine(options, tried, withApt && !isRoot));
}

interface Installer {
  what: string;
  shown: string;
  /** Commands run in order, each a program and its arguments; the first that fails stops the rest. */
  steps: string[][];
}

function oneLine(options: ProvideOptions, tried: string[], sudoApt: boolean): string {
  const { candidates, downloadHost } = options;
  const looked = [...candidates.system, candidates.playwright].join(", ");
  const todo = sudoApt
    ? "run `sudo apt-get install chromium` (or set CHROMIUM_PATH to a Chromium or Chrome binary)"
    : `set CHROMIUM_PATH to a Chromium or Chrome binary (or run \`npx playwright install chromium\` where ${downloadHost} is reachable)`;
  return `No Chromium for the end-to-end tests (CHROMIUM_PATH unset; none at ${looked}; ${tried.join("; ")}): ${todo}, then npm test again.`;
}

/** Whether the host answers HTTP at all (any status): a machine without internet fails fast instead. */
async function answers(url: string): Promise<boolean> {
  try {
    await fetch(url, { method: "HEAD", signal: AbortSignal.timeout(10_000) });
    return true;
  } catch {
    return false;
  }
}

/** The first failure ("exit 100", or why it could not start), or null when every step succeeded. */
function runSteps(steps: string[][]): string | null {
  const env = { ...process.env, DEBIAN_FRONTEND: "noninteractive" };
  for (const [command, ...args] of steps) {
    const result = spawnSync(command as string, args, { stdio: "inherit", env });
    if (result.error) return result.error.message;
    if (result.status !== 0) return `exit ${result.status}`;
  }
  return null;
}
