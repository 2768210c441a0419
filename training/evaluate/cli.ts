/**
 * Judge a generator against held-out real faces:
 *
 *   npm run model:evaluate -- <version | model.json | checkpoint folder | run folder | random>
 *       [-n 1000] [--seed 1] [--training-sample 10000] [--truncation 0.8|none] [--raw] [--ngf 64]
 *       [--image-size 64] [--no-save]
 *
 * Prints a table and writes the metrics into the version's metadata.json (and the registry), or into
 * evaluation.json beside a checkpoint. Runs offline: face-api's weights come from its npm package.
 */
import path from "node:path";
import { type Command, Option } from "commander";
import { DATA_DIR, FACE_CACHE_DIR, MODELS_DIR, QUIZ_POOL_DIR } from "../../config/settings.ts";
import { BACKEND_REQUESTS, type BackendRequest, selectBackend } from "../backends/select.ts";
import { integerAtLeast, truncationOrNone } from "../cli/numbers.ts";
import { phaseProgress } from "../cli/phase-progress.ts";
import { commandLine, isEntryPoint, runCommand } from "../cli/run-command.ts";
import { DEFAULT_SAMPLES, DEFAULT_SEED, evaluateGenerator } from "./evaluation.ts";
import { openGenerator, RANDOM_SOURCE } from "./generator-source.ts";
import { TRAINING_SAMPLE } from "./real-faces.ts";
import { formatMetrics, saveMetrics } from "./report.ts";

interface CliOptions {
  samples: number;
  seed: number;
  trainingSample: number;
  truncation?: number | null;
  raw: boolean;
  ngf: number;
  imageSize: number;
  initSeed?: number;
  pool: string;
  data: string;
  cache: string;
  models: string;
  save: boolean;
  backend: BackendRequest;
  threads?: number;
}

async function run(spec: string, opts: CliOptions): Promise<void> {
  // face-api and the generator share this backend (see face-api.ts).
  await selectBackend(opts.backend, {
    ...(opts.threads ? { threads: opts.threads } : {}),
    log: (m) => console.error(m),
  });
  const source = await openGenerator(spec, {
    modelsDir: opts.models,
    raw: opts.raw,
    shape: { ngf: opts.ngf, ndf: opts.ngf, imageSize: opts.imageSize },
    initSeed: opts.initSeed,
  });
  const bars = phaseProgress();
  const metrics = await evaluateGenerator(source, {
    samples: opts.samples,
    seed: opts.seed,
    truncation: opts.truncation === undefined ? source.truncation : opts.truncation,
    poolDir: opts.pool,
    dataDir: opts.data,
    cacheDir: opts.cache,
    trainingSample: opts.trainingSample,
    phase: bars.phase,
  }).finally(bars.stop);
  console.log(`\n${formatMetrics(source.label, metrics)}`);
  const saved = opts.save ? await saveMetrics(source, metrics, opts.models) : null;
  if (saved) console.log(`\nMetrics written to ${path.relative(process.cwd(), saved) || saved}.`);
}

export function evaluateProgram(): Command {
  return commandLine("model:evaluate")
    .description("Judge a generator with face-api: detection, face FD, memorisation, diversity")
    .argument(
      "<source>",
      `a version in the models folder, a model.json, a checkpoint or run folder, or "${RANDOM_SOURCE}"`,
    )
    .option(
      "-n, --samples <n>",
      "generated faces, and at most this many held-out real faces",
      integerAtLeast(4),
      DEFAULT_SAMPLES,
    )
    .option("--seed <n>", "first noise seed; also picks and splits the real faces", integerAtLeast(0), DEFAULT_SEED)
    .option(
      "--training-sample <n>",
      "training faces to compare fakes with (a fixed sample spread over people)",
      integerAtLeast(1),
      TRAINING_SAMPLE,
    )
    .option("--truncation <t>", 'noise truncation, or "none" (default: the version\'s own)', truncationOrNone)
    .option("--raw", "for checkpoints: the raw G instead of its EMA", false)
    .option("--ngf <n>", `for "${RANDOM_SOURCE}": generator width`, integerAtLeast(1), 64)
    .option("--image-size <n>", `for "${RANDOM_SOURCE}": image side`, integerAtLeast(16), 64)
    .option(
      "--init-seed <n>",
      `for "${RANDOM_SOURCE}": initialiser seed (a run's --seed gives its step 0)`,
      integerAtLeast(0),
    )
    .option("--pool <dir>", "quiz pool of held-out real faces", QUIZ_POOL_DIR)
    .option("--data <dir>", "prepared data (training faces)", DATA_DIR)
    .option("--cache <dir>", "cache of real faces' analyses", FACE_CACHE_DIR)
    .option("--models <dir>", "models folder", MODELS_DIR)
    .option("--no-save", "print only")
    .addOption(
      new Option("--backend <name>", "tfjs backend (wasm: the measured default, same numbers everywhere)")
        .choices(BACKEND_REQUESTS)
        .default("wasm"),
    )
    .option("--threads <n>", "wasm threads (default: all cores)", integerAtLeast(1))
    .action(run);
}

if (isEntryPoint(import.meta.url)) runCommand("model:evaluate", () => evaluateProgram().parseAsync());
