/**
 * The step between preparing the data and evaluating generators: face-api's analyses of the real faces an
 * evaluation compares with (the quiz pool's faces a default evaluation picks, and the fixed sample of training
 * faces), into the face cache. They do not change between evaluations, so each `model:evaluate` then only
 * analyses its own fakes; without this step the first evaluation does it.
 *
 *   npm run data:analyse -- [--pool <dir>] [--data <dir>] [--cache <dir>]
 */
import { DATA_DIR, FACE_CACHE_DIR, QUIZ_POOL_DIR } from "../../config/settings.ts";
import { selectBackend } from "../backends/select.ts";
import { phaseProgress } from "../cli/phase-progress.ts";
import { commandLine, isEntryPoint, runCommand } from "../cli/run-command.ts";
import { analyseRealFaces } from "./evaluation.ts";

async function main(): Promise<void> {
  const opts = commandLine("data:analyse")
    .description("Analyse the real faces model:evaluate compares with, into the face cache")
    .option("--pool <dir>", "quiz pool of held-out real faces", QUIZ_POOL_DIR)
    .option("--data <dir>", "prepared data (training faces)", DATA_DIR)
    .option("--cache <dir>", "cache of real faces' analyses", FACE_CACHE_DIR)
    .parse()
    .opts<{ pool: string; data: string; cache: string }>();
  const started = performance.now();
  // model:evaluate's default backend, so cached and fresh analyses agree.
  await selectBackend("wasm", { log: () => {} });
  const bars = phaseProgress();
  const counts = await analyseRealFaces({
    poolDir: opts.pool,
    dataDir: opts.data,
    cacheDir: opts.cache,
    phase: bars.phase,
  }).finally(bars.stop);
  console.log(
    `Analysed ${counts.pool} quiz-pool and ${counts.training} training faces for model:evaluate into ${opts.cache}` +
      ` (cached: later runs only analyse new faces), in ${((performance.now() - started) / 1000).toFixed(1)} s.`,
  );
}

if (isEntryPoint(import.meta.url)) runCommand("data:analyse", main);
