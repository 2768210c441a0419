/**
 * Train a DCGAN on the prepared CelebA faces.
 *
 *   npm run train -- [--steps 10000] [--ngf 64] [--ema 0.999] [--diff-augment] [--backend auto] ...
 *   npm run train -- --resume runs/<name>          continue exactly where the run stopped
 *   npm run train -- --run <new> --from runs/<name>/checkpoints/step-024000 --lr-decay-steps 8000
 *                                                   a new run that starts from another's checkpoint, with
 *                                                   the learning settings given on the command line changed
 *
 * Every setting below is a plain default overridable from the command line (nanoGPT style). A run
 * folder holds checkpoints (every N steps and on Ctrl-C), log.jsonl, loss-curve.svg and sample grids
 * of a fixed seeded noise batch.
 */
import { existsSync, mkdirSync } from "node:fs";
import path from "node:path";
import type * as tf from "@tensorflow/tfjs";
import { SingleBar } from "cli-progress";
import { Option } from "commander";
import { DATA_DIR, RUNS_DIR } from "../../config/settings.ts";
import {
  buildDiscriminator,
  buildGenerator,
  D_NORMS,
  type DNorm,
  shapeOf,
  TO_RGB,
  type ToRgb,
  UPSAMPLINGS,
  type Upsampling,
} from "../../src/core/dcgan.ts";
import { Z_DIM } from "../../src/core/noise.ts";
import type { TrainingParts } from "../../src/tfjs-accel/parts.ts";
import { BACKEND_REQUESTS, type BackendChoice, type BackendRequest, selectBackend } from "../backends/select.ts";
import { nonNegativeInteger as integer, nonNegativeNumber as number } from "../cli/numbers.ts";
import { commandLine, isEntryPoint, runCommand } from "../cli/run-command.ts";
import { UserError } from "../cli/user-error.ts";
import { BatchSource } from "../data/batches.ts";
import { loadTrainingImages } from "../data/prepared.ts";
import { latestCheckpoint, loadCheckpoint, pruneCheckpoints, resolveCheckpoint, saveCheckpoint } from "./checkpoint.ts";
import { copyWeights, emaDecay, updateEma } from "./ema.ts";
import { writeLossCurve } from "./loss-curve.ts";
import { lrFactor, setLearningRate } from "./lr-schedule.ts";
import { writeSampleGrid } from "./sample-grid.ts";
import { GAN_LOSSES, type GanLoss, type GanModels, trainStep } from "./step.ts";
import { appendLog, readLog, truncateLog } from "./train-log.ts";

export const DEFAULT_SETTINGS = {
  // data
  dataDir: DATA_DIR,
  imageSize: 64,
  /** Train on only the first N prepared faces (0: all). */
  limit: 0,
  // model
  ngf: 64,
  ndf: 64,
  upsampling: "transpose" as Upsampling,
  dNorm: "batch" as DNorm,
  toRgb: "upsample" as ToRgb,
  /** D sees the minibatch standard deviation of its last features (ProGAN), against too few kinds of face. */
  dStddev: false,
  // optimisation: the seed article's values, but D learns as fast as G (its lr_D 4e-5 never got past grey
  // noise here; docs/training-runs.md)
  batchSize: 64,
  lrD: 2e-4,
  lrG: 2e-4,
  beta1: 0.5,
  beta2: 0.999,
  /** Both rates fall in a straight line to zero over lrDecaySteps steps from step lrDecayFrom (lr-schedule.ts). */
  lrDecayFrom: 0,
  lrDecaySteps: 0,
  /** "bce": non-saturating logistic loss with soft real labels (DCGAN); "hinge": SNGAN's hinge loss. */
  loss: "bce" as GanLoss,
  realLabelMin: 0.9,
  realLabelMax: 1.0,
  /** Max std of the Gaussian instance noise on reals; each step draws its std from U(0, max). */
  instanceNoise: 0.1,
  diffAugment: false,
  /** Max decay of the EMA of G's weights (0: no EMA). */
  ema: 0.999,
  seed: 1,
  // length: whichever comes first
  steps: 10_000,
  minutes: 0,
  // reporting
  logEvery: 10,
  sampleEvery: 200,
  checkpointEvery: 250,
  keepCheckpoints: 2,
  /** Checkpoints at multiples of this are never pruned (0: none), for comparing a run's stages. */
  milestoneEvery: 1000,
  // machine
  backend: "auto" as BackendRequest,
  threads: 0,
};
export type TrainSettings = typeof DEFAULT_SETTINGS;

export interface TrainRun {
  runDir: string;
  settings: TrainSettings;
  /** Continue from this checkpoint folder (or the newest one in runDir when true). */
  resume?: string | boolean;
  /**
   * Start a new run in runDir from another run's checkpoint (its weights, EMA, optimiser state and step),
   * with its settings except `changes`: the fine-tuning branch of an experiment, e.g. a learning-rate decay.
   */
  fork?: { from: string; changes: Partial<TrainSettings> };
  progress?: boolean;
  log?: (message: string) => void;
}

export interface TrainResult {
  step: number;
  imagesSeen: number;
  wallSeconds: number;
  backend: BackendChoice;
  checkpoint: string;
  stoppedEarly: boolean;
}

export async function train(run: TrainRun): Promise<TrainResult> {
  const log = run.log ?? console.log;
  // First: tensors made before a backend switch would be stranded on the old backend.
  const backend = await selectBackend(run.settings.backend, { threads: run.settings.threads || undefined, log });
  const startFrom = startingCheckpoint(run);
  const checkpoint = startFrom ? loadCheckpoint<TrainSettings>(startFrom) : null;
  const settings = checkpoint ? continuedSettings(run, checkpoint.state.settings, checkpoint.state.step) : run.settings;
  const { manifest, pixels } = loadTrainingImages(settings.dataDir, settings.imageSize);
  const count = settings.limit > 0 ? Math.min(settings.limit, manifest.count) : manifest.count;
  if (count < settings.batchSize)
    throw new UserError(`Only ${count} training faces: fewer than one batch of ${settings.batchSize}.`);
  const batches = new BatchSource(pixels, count, settings.imageSize, settings.seed);
  mkdirSync(run.runDir, { recursive: true });

  const models = buildModels(settings, backend.parts);
  const emaGenerator = settings.ema > 0 ? buildGenerator(shapeOf(settings)) : null;
  let step = 0;
  let imagesSeen = 0;
  let priorSeconds = 0;
  if (checkpoint) {
    await restore(models, emaGenerator, checkpoint.groups);
    ({ step, imagesSeen, wallSeconds: priorSeconds } = checkpoint.state);
    truncateLog(run.runDir, step);
    log(
      run.fork
        ? `Forked ${run.runDir} from ${startFrom} at step ${step} (${imagesSeen} images seen).`
        : `Resumed ${run.runDir} at step ${step} (${imagesSeen} images seen).`,
    );
  } else if (emaGenerator) {
    copyWeights(emaGenerator, models.generator);
  }
  log(
    `Training ${count} faces of ${settings.imageSize}px, ngf ${settings.ngf}/ndf ${settings.ndf}, batch ${settings.batchSize}, on ${backend.name} (${backend.threads} thread${backend.threads === 1 ? "" : "s"}).`,
  );

  let stopRequested = false;
  const onSignal = () => {
    stopRequested = true;
  };
  process.once("SIGINT", onSignal);
  process.once("SIGTERM", onSignal);
  const started = performance.now();
  const deadline = settings.minutes > 0 ? started + settings.minutes * 60_000 : Number.POSITIVE_INFINITY;
  const bar = run.progress
    ? new SingleBar({ format: "step {value}/{total} {bar} D {lossD} G {lossG} | {rate} img/s | ETA {eta_formatted}" })
    : null;
  bar?.start(settings.steps, step, { lossD: "-", lossG: "-", rate: "-" });
  const save = async () =>
    saveCheckpoint<TrainSettings>(
      run.runDir,
      {
        step,
        imagesSeen,
        wallSeconds: priorSeconds + (performance.now() - started) / 1000,
        settings,
        backend: { name: backend.name, threads: backend.threads },
      },
      await tensorGroups(models, emaGenerator),
    );

  let lastCheckpoint = run.fork ? "" : (startFrom ?? "");
  let windowStart = performance.now();
  let windowImages = 0;
  try {
    while (step < settings.steps && !stopRequested && performance.now() < deadline) {
      // A step is synchronous tfjs work: let the event loop deliver Ctrl-C between steps.
      await new Promise((resolve) => setImmediate(resolve));
      const real = batches.batch(step, settings.batchSize);
      const factor = lrFactor(settings, step);
      setLearningRate(models.optimizerG, settings.lrG * factor);
      setLearningRate(models.optimizerD, settings.lrD * factor);
      const result = trainStep(models, real, step, { ...settings, zDim: Z_DIM }, backend.parts.normals);
      real.dispose();
      if (!Number.isFinite(result.lossD) || !Number.isFinite(result.lossG)) {
        throw new Error(`Training diverged at step ${step}: loss D ${result.lossD}, loss G ${result.lossG}.`);
      }
      step += 1;
      imagesSeen += settings.batchSize;
      windowImages += settings.batchSize;
      if (emaGenerator) updateEma(emaGenerator, models.generator, emaDecay(settings.ema, step));
      const rate = windowImages / ((performance.now() - windowStart) / 1000);
      bar?.update(step, { lossD: result.lossD.toFixed(3), lossG: result.lossG.toFixed(3), rate: rate.toFixed(1) });
      if (step % settings.logEvery === 0) {
        appendLog(run.runDir, {
          step,
          imagesSeen,
          ...result,
          imagesPerSecond: rate,
          elapsedSeconds: priorSeconds + (performance.now() - started) / 1000,
        });
        windowStart = performance.now();
        windowImages = 0;
      }
      if (step % settings.sampleEvery === 0) await writeReports(run.runDir, emaGenerator ?? models.generator, step);
      if (step % settings.checkpointEvery === 0) {
        lastCheckpoint = await save();
        pruneCheckpoints(run.runDir, settings.keepCheckpoints, (name) => isMilestone(name, settings.milestoneEvery));
      }
    }
  } finally {
    bar?.stop();
    process.off("SIGINT", onSignal);
    process.off("SIGTERM", onSignal);
  }
  if (!lastCheckpoint.endsWith(`step-${String(step).padStart(6, "0")}`)) lastCheckpoint = await save();
  await writeReports(run.runDir, emaGenerator ?? models.generator, step);
  const wallSeconds = priorSeconds + (performance.now() - started) / 1000;
  log(`${stopRequested ? "Stopped" : "Finished"} at step ${step}; checkpoint ${lastCheckpoint}`);
  disposeAll(models, emaGenerator);
  return { step, imagesSeen, wallSeconds, backend, checkpoint: lastCheckpoint, stoppedEarly: stopRequested };
}

function startingCheckpoint(run: TrainRun): string | null {
  if (run.fork && run.resume) throw new UserError("Give either --resume or --from, not both.");
  if (run.fork) {
    if (latestCheckpoint(run.runDir) !== null)
      throw new UserError(`${run.runDir} already has checkpoints: continue it with --resume, or name a new --run.`);
    return resolveCheckpoint(run.fork.from);
  }
  return run.resume ? resolveCheckpoint(typeof run.resume === "string" ? run.resume : run.runDir) : null;
}

/** What a run that starts from a checkpoint keeps of the checkpoint's settings, and what it may change. */
function continuedSettings(run: TrainRun, saved: Partial<TrainSettings>, step: number): TrainSettings {
  // Settings added since the checkpoint was written take their defaults, which are the old behaviour.
  const kept: TrainSettings = {
    ...DEFAULT_SETTINGS,
    ...saved,
    steps: run.settings.steps,
    minutes: run.settings.minutes,
    backend: run.settings.backend,
    threads: run.settings.threads,
  };
  // A resumed run keeps its learning settings; only the length and the machine may change.
  if (!run.fork) return kept;
  // A decay added by the fork starts where the fork does unless it says otherwise.
  const decayStart = run.fork.changes.lrDecaySteps !== undefined ? { lrDecayFrom: step } : {};
  const changed = { ...kept, ...decayStart, ...run.fork.changes };
  for (const key of ARCHITECTURE) {
    if (changed[key] !== kept[key])
      throw new UserError(
        `--from keeps the checkpoint's architecture: its ${key} is ${kept[key]}, not ${changed[key]}.`,
      );
  }
  return changed;
}

/** Settings a checkpoint's tensors are shaped by (and the data they were trained on). */
const ARCHITECTURE = [
  "imageSize",
  "ngf",
  "ndf",
  "upsampling",
  "dNorm",
  "toRgb",
  "dStddev",
  "dataDir",
  "limit",
] as const;

function buildModels(settings: TrainSettings, parts: TrainingParts): GanModels {
  return {
    generator: buildGenerator(shapeOf(settings), settings.seed, parts.layers),
    discriminator: buildDiscriminator(shapeOf(settings), settings.seed, parts.layers),
    optimizerG: parts.adam(settings.lrG, settings.beta1, settings.beta2),
    optimizerD: parts.adam(settings.lrD, settings.beta1, settings.beta2),
  };
}

function tensorGroups(models: GanModels, emaGenerator: tf.LayersModel | null) {
  const weightsOf = (model: tf.LayersModel) => model.weights.map((weight) => weight.read());
  // Optimizer slots exist only after their first step; an untrained run saves none.
  const optimizerTensors = (optimizer: tf.Optimizer) =>
    optimizer.getWeights().then((named) => named.map((n) => n.tensor));
  return Promise.all([optimizerTensors(models.optimizerG), optimizerTensors(models.optimizerD)]).then(
    ([optG, optD]) => [
      { name: "generator", tensors: weightsOf(models.generator) },
      { name: "discriminator", tensors: weightsOf(models.discriminator) },
      { name: "ema-generator", tensors: emaGenerator ? weightsOf(emaGenerator) : [] },
      { name: "optimizer-g", tensors: optG },
      { name: "optimizer-d", tensors: optD },
    ],
  );
}

async function restore(
  models: GanModels,
  emaGenerator: tf.LayersModel | null,
  groups: Map<string, tf.Tensor[]>,
): Promise<void> {
  const group = (name: string) => groups.get(name) ?? [];
  models.generator.setWeights(group("generator"));
  models.discriminator.setWeights(group("discriminator"));
  if (emaGenerator) emaGenerator.setWeights(group("ema-generator"));
  const named = (tensors: tf.Tensor[]) => tensors.map((tensor, i) => ({ name: i === 0 ? "iter" : `slot${i}`, tensor }));
  if (group("optimizer-g").length > 0) await models.optimizerG.setWeights(named(group("optimizer-g")));
  if (group("optimizer-d").length > 0) await models.optimizerD.setWeights(named(group("optimizer-d")));
}

async function writeReports(runDir: string, generator: tf.LayersModel, step: number): Promise<void> {
  const samples = path.join(runDir, "samples");
  mkdirSync(samples, { recursive: true });
  await writeSampleGrid(generator, path.join(samples, `step-${String(step).padStart(6, "0")}.png`));
  await writeSampleGrid(generator, path.join(runDir, "samples.png"));
  const lines = readLog(runDir);
  if (lines.length > 1) await writeLossCurve(lines, path.join(runDir, "loss-curve.svg"));
}

const isMilestone = (name: string, every: number) => every > 0 && Number(name.slice(5)) % every === 0;

function disposeAll(models: GanModels, emaGenerator: tf.LayersModel | null): void {
  models.generator.dispose();
  models.discriminator.dispose();
  models.optimizerG.dispose();
  models.optimizerD.dispose();
  emaGenerator?.dispose();
}

// ---- command line -------------------------------------------------------------------------------

function parseCommandLine(): TrainRun {
  const d = DEFAULT_SETTINGS;
  const program = commandLine("train")
    .description("Train the DCGAN on prepared CelebA faces")
    .option("--run <name>", "run folder name under runs/ (default: a timestamp)")
    .option("--resume [run]", "continue a run folder (or checkpoint folder) exactly where it stopped")
    .option(
      "--from <checkpoint>",
      "start this new run from another run's checkpoint (or newest one); options given here change its settings",
    )
    .option("--data-dir <dir>", "prepared data folder", d.dataDir)
    .option("--image-size <n>", "64 or 128 (prepare the data at that size first)", integer, d.imageSize)
    .option("--limit <n>", "train on only the first N faces (0: all)", integer, d.limit)
    .option("--ngf <n>", "generator width", integer, d.ngf)
    .option("--ndf <n>", "discriminator width", integer, d.ndf)
    .option("--batch-size <n>", "images per step", integer, d.batchSize)
    .option("--lr-d <x>", "discriminator learning rate", number, d.lrD)
    .option("--lr-g <x>", "generator learning rate", number, d.lrG)
    .option("--beta1 <x>", "Adam β1", number, d.beta1)
    .option("--beta2 <x>", "Adam β2", number, d.beta2)
    .option("--lr-decay-from <step>", "step at which both learning rates start to fall", integer, d.lrDecayFrom)
    .option(
      "--lr-decay-steps <n>",
      "steps over which they fall linearly to zero (0: constant)",
      integer,
      d.lrDecaySteps,
    )
    .addOption(new Option("--upsampling <kind>", "G's upsampling").choices(UPSAMPLINGS).default(d.upsampling))
    .addOption(
      new Option("--to-rgb <kind>", "how G makes RGB (conv: a 3×3 conv at full size)").choices(TO_RGB).default(d.toRgb),
    )
    .option("--d-stddev", "D sees the minibatch standard deviation of its last features (ProGAN)", d.dStddev)
    .addOption(new Option("--d-norm <kind>", "D's normalisation").choices(D_NORMS).default(d.dNorm))
    .addOption(new Option("--loss <kind>", "GAN loss").choices(GAN_LOSSES).default(d.loss))
    .option("--real-label-min <x>", "soft real labels ~ U(min, max)", number, d.realLabelMin)
    .option("--real-label-max <x>", "soft real labels ~ U(min, max)", number, d.realLabelMax)
    .option("--instance-noise <x>", "max std of Gaussian noise on reals", number, d.instanceNoise)
    .option("--diff-augment", "DiffAugment (color, translation, cutout) on everything D sees", d.diffAugment)
    .option("--ema <x>", "max EMA decay of G's weights (0: off)", number, d.ema)
    .option("--seed <n>", "run seed (batches, noise, augmentation)", integer, d.seed)
    .option("--steps <n>", "stop after this many steps", integer, d.steps)
    .option("--minutes <x>", "stop after this many minutes (0: no limit)", number, d.minutes)
    .option("--log-every <n>", "steps between log lines", integer, d.logEvery)
    .option("--sample-every <n>", "steps between sample grids", integer, d.sampleEvery)
    .option("--checkpoint-every <n>", "steps between checkpoints", integer, d.checkpointEvery)
    .option("--keep-checkpoints <n>", "newest checkpoints kept", integer, d.keepCheckpoints)
    .option("--milestone-every <n>", "checkpoints at multiples of this are kept (0: none)", integer, d.milestoneEvery)
    .addOption(new Option("--backend <name>", "tfjs backend").choices(BACKEND_REQUESTS).default(d.backend))
    .option("--threads <n>", "CPU threads for the native or wasm route (0: all cores)", integer, d.threads)
    .parse();
  const o = program.opts();
  const name =
    typeof o.resume === "string"
      ? path.basename(o.resume)
      : (o.run ?? new Date().toISOString().replace(/[:.]/g, "-").slice(0, 19));
  const runDir =
    typeof o.resume === "string" && existsSync(o.resume) ? path.resolve(o.resume) : path.join(RUNS_DIR, name);
  const { run: _run, resume: _resume, from, ...rest } = o;
  // A fork changes only what this command line says; everything else comes from its checkpoint.
  const changes = Object.fromEntries(
    Object.entries(rest).filter(([key]) => program.getOptionValueSource(key) === "cli"),
  ) as Partial<TrainSettings>;
  return {
    runDir,
    settings: { ...d, ...rest } as TrainSettings,
    resume: o.resume,
    fork: typeof from === "string" ? { from, changes } : undefined,
    progress: process.stderr.isTTY,
  };
}

if (isEntryPoint(import.meta.url)) runCommand("train", () => train(parseCommandLine()));
