/**
 * Whether dist/ must be rebuilt: missing, or older than anything the build reads (pages, islands, server code,
 * settings, shipped models under public/, configuration, installed packages). Tests and the Node-only
 * training acceleration (src/tfjs-accel/node/: a native addon and its compiled output) are not part of the
 * site, so touching them does not cost a rebuild.
 */
import { existsSync, readdirSync, statSync } from "node:fs";
import path from "node:path";

const BUILD_STAMP = "dist/server/entry.mjs";
const BUILD_INPUTS = ["src", "db", "config", "public", "astro.config.mjs", "tsconfig.json", "package-lock.json"];
const NOT_BUILT = [/\.test\.tsx?$/, /^src\/tfjs-accel\/node(\/|$)/, /(^|\/)testing(\/|$)/];

/** A short reason to rebuild, or null when the build is up to date. */
export function buildIsStale(root: string): string | null {
  const stamp = path.join(root, BUILD_STAMP);
  if (!existsSync(stamp)) return "no build yet";
  const builtAt = statSync(stamp).mtimeMs;
  for (const input of BUILD_INPUTS) {
    const changed = newerFile(root, input, builtAt);
    if (changed) return `${path.relative(root, changed)} changed since the last build`;
  }
  return null;
}

/** The first file the build reads under `relative` (to the root) modified after `since`, or null. */
function newerFile(root: string, relative: string, since: number): string | null {
  if (NOT_BUILT.some((pattern) => pattern.test(relative))) return null;
  const target = path.join(root, relative);
  if (!existsSync(target)) return null;
  const stat = statSync(target);
  if (!stat.isDirectory()) return stat.mtimeMs > since ? target : null;
  for (const entry of readdirSync(target, { withFileTypes: true })) {
    const found = newerFile(root, path.posix.join(relative, entry.name), since);
    if (found) return found;
  }
  return null;
}
