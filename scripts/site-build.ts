/** Builds the site with Astro when dist/ is missing or stale (see build-freshness.ts). */
import { spawnSync } from "node:child_process";
import path from "node:path";
import { buildIsStale } from "./build-freshness.ts";

/** Returns false when a needed build failed; `say` reports what happens and why. */
export function ensureBuild(root: string, say: (message: string) => void): boolean {
  const reason = buildIsStale(root);
  if (!reason) return true;
  say(`Building the site (${reason})…`);
  const astro = path.join(root, "node_modules/astro/bin/astro.mjs");
  const build = spawnSync(process.execPath, [astro, "build"], {
    cwd: root,
    stdio: "inherit",
    // No telemetry: the build must work offline and say nothing to anyone.
    env: { ...process.env, ASTRO_TELEMETRY_DISABLED: "1" },
  });
  return build.status === 0;
}
