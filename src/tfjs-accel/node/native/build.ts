/**
 * Builds the oneDNN addon (addon/) with node-gyp:  npm run native:build [-- --force]
 *
 * `npm install` runs it with --if-possible: where the compiler, oneDNN's headers or Node's headers are missing it
 * prints one line saying what to install and exits 0, so the install succeeds and training uses wasm. Nothing
 * is downloaded: node-gyp is npm's own, and it is pointed at Node headers already on the machine.
 */
import { spawnSync } from "node:child_process";
import { existsSync, rmSync, statSync } from "node:fs";
import path from "node:path";
import { ADDON_DIR, ADDON_FILE, HOW_TO_INSTALL } from "./dnnl.ts";

const ifPossible = process.argv.includes("--if-possible");

function say(message: string): never {
  console.log(`native route: ${message}`);
  process.exit(ifPossible ? 0 : 1);
}

function run(command: string, args: string[], input?: string) {
  return spawnSync(command, args, { cwd: ADDON_DIR, input, encoding: "utf8" });
}

/** Node's headers for the Node that runs us: npm's configured nodedir, the Node install itself, or Debian's. */
function nodeHeaders(): string | null {
  const candidates = [process.env.npm_config_nodedir, path.resolve(process.execPath, "../.."), "/usr", "/usr/local"];
  return candidates.find((dir) => dir && existsSync(path.join(dir, "include/node/node_api.h"))) ?? null;
}

/** npm's bundled node-gyp: npm names it to the scripts it runs; otherwise look beside the npm on the PATH. */
function nodeGyp(): string | null {
  const fromNpm = process.env.npm_config_node_gyp;
  if (fromNpm && existsSync(fromNpm)) return fromNpm;
  const root = run("npm", ["root", "-g"]).stdout?.trim();
  const bundled = root ? path.join(root, "npm/node_modules/node-gyp/bin/node-gyp.js") : "";
  return bundled && existsSync(bundled) ? bundled : null;
}

if (run("g++", ["--version"]).status !== 0) say(`no C++ compiler, the addon is not built (${HOW_TO_INSTALL})`);
const probe = run("g++", ["-fsyntax-only", "-x", "c++", "-"], "#include <dnnl.hpp>\n");
if (probe.status !== 0) say(`oneDNN's headers are missing, the addon is not built (${HOW_TO_INSTALL})`);
const headers = nodeHeaders();
if (headers === null) say("Node's headers are missing, the addon is not built (apt-get install -y libnode-dev)");
const gyp = nodeGyp();
if (gyp === null)
  say("npm's node-gyp was not found, the addon is not built (run it through npm: npm run native:build)");

const sources = ["dnnl-kernels.cc", "binding.gyp"].map((file) => statSync(path.join(ADDON_DIR, file)).mtimeMs);
if (
  existsSync(ADDON_FILE) &&
  statSync(ADDON_FILE).mtimeMs > Math.max(...sources) &&
  !process.argv.includes("--force")
) {
  console.log(`native route: oneDNN addon up to date (${ADDON_FILE})`);
  process.exit(0);
}
rmSync(path.dirname(path.dirname(ADDON_FILE)), { recursive: true, force: true });
const started = performance.now();
const build = spawnSync(process.execPath, [gyp, "rebuild", `--nodedir=${headers}`], {
  cwd: ADDON_DIR,
  encoding: "utf8",
  env: { ...process.env, npm_config_nodedir: headers },
});
if (build.status !== 0 || !existsSync(ADDON_FILE)) {
  console.error(`${build.stdout}\n${build.stderr}`.trim().split("\n").slice(-20).join("\n"));
  say("the oneDNN addon failed to build (output above)");
}
console.log(
  `native route: oneDNN addon built in ${((performance.now() - started) / 1000).toFixed(1)} s (${ADDON_FILE})`,
);
