/**
 * Whether dist/ must be rebuilt: missing, or older than anything the build reads (pages, islands, server code,
 * shipped models under public/, configuration, installed packages).
 */
import { existsSync, readdirSync, statSync } from "node:fs";
import path from "node:path";

const BUILD_STAMP = "dist/server/entry.mjs";
const BUILD_INPUTS = ["src", "db", "public", "astro.config.mjs", "tsconfig.json", "package-lock.json"];

/** A short reason to rebuild, or null when the build is up to date. */
export function buildIsStale(root: string): string | null {
  const stamp = path.join(root, BUILD_STAMP);
  if (!existsSync(stamp)) return "no build yet";
  const builtAt = statSync(stamp).mtimeMs;
  for (const input of BUILD_INPUTS) {
    const changed = newerFile(path.join(root, input), builtAt);
    if (changed) return `${path.relative(root, changed)} changed since the last build`;
  }
  return null;
}

/** The first file under `target` modified after `since`, or null. */
function newerFile(target: string, since: number): string | null {
  if (!existsSync(target)) return null;
  const stat = statSync(target);
  if (!stat.isDirectory()) return stat.mtimeMs > since ? target : null;
  for (const entry of readdirSync(target, { withFileTypes: true })) {
    const found = newerFile(path.join(target, entry.name), since);
    if (found) return found;
  }
  return null;
}
