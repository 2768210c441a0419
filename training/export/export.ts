/**
 * Export a trained generator for the site: the generator (its EMA weights when the run kept an EMA) as a
 * tfjs layers model in public/models/<version>/, quantized, with metadata.json, the sample grid and the loss
 * curve beside it; and the run's discriminator in discriminator/ (float16), which the site never loads: it is
 * one of the realism judges `model:curate` can pick the version's best fakes with.
 *
 *   npm run model:export -- --checkpoint runs/<name>[/checkpoints/step-NNNNNN] [--version v] [--quantize auto|uint8|float16|float32]
 *
 * The quantization is chosen by measurement: each candidate is loaded back and its faces compared with
 * the float32 generator's on a seeded batch; uint8 wins when its worst pixel error stays small.
 */
import { copyFileSync, existsSync, mkdirSync, renameSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import * as tf from "@tensorflow/tfjs";
import { Option } from "commander";
import { MODELS_DIR } from "../../config/settings.ts";
import { buildDiscriminator, buildGenerator, shapeOf } from "../../src/core/dcgan.ts";
import { generateFaces } from "../../src/core/generate-faces.ts";
import { type ModelMetadata, VERSION_PATTERN } from "../../src/core/model-manifest.ts";
import { Z_DIM } from "../../src/core/noise.ts";
import type { FaceImages } from "../../src/core/pixels.ts";
import { BACKEND_REQUESTS, type BackendRequest, selectBackend } from "../backends/select.ts";
import { truncationOrNone } from "../cli/numbers.ts";
import { commandLine, isEntryPoint, runCommand } from "../cli/run-command.ts";
import { UserError } from "../cli/user-error.ts";
import { loadTrainingImages } from "../data/prepared.ts";
import { loadCheckpoint, resolveCheckpoint } from "../train/checkpoint.ts";
import { writeSampleGrid } from "../train/sample-grid.ts";
import type { TrainSettings } from "../train/train.ts";
import { DISCRIMINATOR_DIR, writeModelFiles } from "./model-files.ts";
import { type QuantDtype, quantizeWeights } from "./quantize.ts";

/** Seeds of the faces used to measure quantization error (disjoint from the grid's 0–63). */
const CHECK_SEEDS = Array.from({ length: 32 }, (_, i) => 10_000 + i);
const checkRequests = (truncation: number | null) => CHECK_SEEDS.map((seed) => ({ seed, truncation }));
/** uint8 is accepted when no pixel of the check faces moves by more than this (of 255). */
const UINT8_MAX_PIXEL_ERROR = 12;

export interface ExportOptions {
  checkpoint: string;
  modelsDir: string;
  version?: string;
  quantize: QuantDtype | "auto";
  truncation: number | null;
  log?: (message: string) => void;
}

export interface QuantReport {
  dtype: QuantDtype;
  bytes: number;
  maxPixelError: number;
  meanPixelError: number;
}

export async function exportGenerator(
  options: ExportOptions,
): Promise<{ dir: string; metadata: ModelMetadata; candidates: QuantReport[] }> {
  const log = options.log ?? console.log;
  const checkpoint = loadCheckpoint<TrainSettings>(resolveCheckpoint(options.checkpoint));
  const { settings, step, imagesSeen, wallSeconds, backend } = checkpoint.state;
  const useEma = (checkpoint.groups.get("ema-generator")?.length ?? 0) > 0;
  const generator = buildGenerator(shapeOf(settings));
  generator.setWeights(checkpoint.groups.get(useEma ? "ema-generator" : "generator") ?? []);
  const version = options.version ?? `dcgan${settings.imageSize}-ngf${settings.ngf}-step${step}`;
  if (!VERSION_PATTERN.test(version)) throw new UserError(`version "${version}" must match ${VERSION_PATTERN}`);

  const artifacts = await saveArtifacts(generator);
  const reference = await generateFaces(tf, generator, checkRequests(options.truncation));
  const candidates: QuantReport[] = [];
  for (const dtype of ["uint8", "float16", "float32"] as const) {
    candidates.push(await measureQuantization(artifacts, dtype, reference, options.truncation));
  }
  for (const c of candidates)
    log(
      `  ${c.dtype.padEnd(8)} ${(c.bytes / 1e6).toFixed(2)} MB  max pixel error ${c.maxPixelError}  mean ${c.meanPixelError.toFixed(3)}`,
    );
  const chosen = chooseQuantization(candidates, options.quantize);
  log(
    `Quantization: ${chosen.dtype}${options.quantize === "auto" ? ` (uint8 allowed up to max pixel error ${UINT8_MAX_PIXEL_ERROR})` : ""}.`,
  );

  const dir = path.join(options.modelsDir, version);
  const staging = `${dir}.partial`;
  rmSync(staging, { recursive: true, force: true });
  mkdirSync(staging, { recursive: true });
  const quantized = quantizeWeights(artifacts.weightSpecs ?? [], artifacts.weightData as ArrayBuffer, chosen.dtype);
  writeModelFiles(staging, artifacts, quantized);
  await exportDiscriminator(
    checkpoint.groups.get("discriminator") ?? [],
    settings,
    path.join(staging, DISCRIMINATOR_DIR),
  );
  await writeSampleGrid(generator, path.join(staging, "samples.png"), options.truncation);
  const runDir = path.dirname(path.dirname(checkpoint.dir));
  const lossCurve = path.join(runDir, "loss-curve.svg");
  if (existsSync(lossCurve)) copyFileSync(lossCurve, path.join(staging, "loss-curve.svg"));
  const metadata = buildMetadata({
    version,
    settings,
    backend,
    step,
    imagesSeen,
    wallSeconds,
    useEma,
    generator,
    chosen,
    hasLossCurve: existsSync(lossCurve),
    truncation: options.truncation,
  });
  writeFileSync(path.join(staging, "metadata.json"), `${JSON.stringify(metadata, null, 2)}\n`);
  rmSync(dir, { recursive: true, force: true });
  renameSync(staging, dir);
  generator.dispose();
  return { dir, metadata, candidates };
}

/** D as trained (float16: its logits rank candidates, so it keeps more precision than G's uint8). */
async function exportDiscriminator(weights: tf.Tensor[], settings: TrainSettings, dir: string): Promise<void> {
  if (weights.length === 0) return;
  const discriminator = buildDiscriminator(shapeOf(settings));
  discriminator.setWeights(weights);
  const artifacts = await saveArtifacts(discriminator);
  discriminator.dispose();
  mkdirSync(dir, { recursive: true });
  writeModelFiles(
    dir,
    artifacts,
    quantizeWeights(artifacts.weightSpecs ?? [], artifacts.weightData as ArrayBuffer, "float16"),
  );
}

async function saveArtifacts(model: tf.LayersModel): Promise<tf.io.ModelArtifacts> {
  let saved: tf.io.ModelArtifacts | null = null;
  await model.save(
    tf.io.withSaveHandler(async (artifacts) => {
      saved = artifacts;
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: "JSON" } };
    }),
  );
  if (!saved) throw new Error("the generator could not be serialised");
  return saved;
}

async function measureQuantization(
  artifacts: tf.io.ModelArtifacts,
  dtype: QuantDtype,
  reference: FaceImages,
  truncation: number | null,
): Promise<QuantReport> {
  const quantized = quantizeWeights(artifacts.weightSpecs ?? [], artifacts.weightData as ArrayBuffer, dtype);
  const model = await tf.loadLayersModel(
    tf.io.fromMemory({
      modelTopology: artifacts.modelTopology,
      weightSpecs: quantized.specs,
      weightData: quantized.data,
    }),
  );
  const { pixels } = await generateFaces(tf, model, checkRequests(truncation));
  model.dispose();
  let max = 0;
  let sum = 0;
  for (let k = 0; k < pixels.length; k++) {
    const error = Math.abs((pixels[k] as number) - (reference.pixels[k] as number));
    max = Math.max(max, error);
    sum += error;
  }
  return { dtype, bytes: quantized.data.byteLength, maxPixelError: max, meanPixelError: sum / pixels.length };
}

export function chooseQuantization(candidates: QuantReport[], wanted: QuantDtype | "auto"): QuantReport {
  const find = (dtype: QuantDtype) => candidates.find((c) => c.dtype === dtype) as QuantReport;
  if (wanted !== "auto") return find(wanted);
  const uint8 = find("uint8");
  return uint8.maxPixelError <= UINT8_MAX_PIXEL_ERROR ? uint8 : find("float16");
}

interface MetadataInput {
  version: string;
  settings: TrainSettings;
  backend: { name: string; threads: number };
  step: number;
  imagesSeen: number;
  wallSeconds: number;
  useEma: boolean;
  generator: tf.LayersModel;
  chosen: QuantReport;
  hasLossCurve: boolean;
  truncation: number | null;
}

function buildMetadata(input: MetadataInput): ModelMetadata {
  const { settings } = input;
  const shape = shapeOf(settings);
  const data = describeData(settings);
  return {
    version: input.version,
    createdAt: new Date().toISOString(),
    architecture: {
      kind: "dcgan",
      imageSize: settings.imageSize,
      ngf: settings.ngf,
      ndf: settings.ndf,
      zDim: Z_DIM,
      generatorParams: input.generator.countParams(),
      toRgb: shape.toRgb,
      upsampling: shape.upsampling,
    },
    truncation: input.truncation,
    ema: input.useEma,
    data,
    training: {
      steps: input.step,
      imagesSeen: input.imagesSeen,
      wallSeconds: Math.round(input.wallSeconds),
      backend: input.backend.name,
      threads: input.backend.threads,
      hyperParameters: {
        batchSize: settings.batchSize,
        lrD: settings.lrD,
        lrG: settings.lrG,
        beta1: settings.beta1,
        realLabels: [settings.realLabelMin, settings.realLabelMax],
        instanceNoise: settings.instanceNoise,
        diffAugment: settings.diffAugment,
        ema: settings.ema,
        seed: settings.seed,
      },
    },
    quantization: {
      dtype: input.chosen.dtype,
      maxPixelError: input.chosen.maxPixelError,
      meanPixelError: Number(input.chosen.meanPixelError.toFixed(4)),
      bytes: input.chosen.bytes,
    },
    sampleGrid: "samples.png",
    ...(input.hasLossCurve ? { lossCurve: "loss-curve.svg" } : {}),
  };
}

function describeData(settings: TrainSettings): ModelMetadata["data"] {
  try {
    const { manifest } = loadTrainingImages(settings.dataDir, settings.imageSize);
    const faces = settings.limit > 0 ? manifest.faces.slice(0, settings.limit) : manifest.faces;
    return {
      images: faces.length,
      identities: new Set(faces.map((f) => f.identity)).size,
      source: "CelebA aligned, identity-disjoint training split",
    };
  } catch {
    return {
      images: settings.limit,
      identities: 0,
      source: "CelebA aligned (prepared data no longer on this machine)",
    };
  }
}

async function main(): Promise<void> {
  const o = commandLine("model:export")
    .description("Export a checkpoint's generator to public/models/<version>/")
    .requiredOption("--checkpoint <dir>", "a run folder (newest checkpoint) or a checkpoints/step-NNNNNN folder")
    .option("--version <name>", "version name (default: dcgan<size>-ngf<n>-step<n>)")
    .option("--models-dir <dir>", "where versions live", MODELS_DIR)
    .addOption(
      new Option("--quantize <dtype>", "weight format")
        .choices(["auto", "uint8", "float16", "float32"])
        .default("auto"),
    )
    .option("--truncation <t>", "default sampling truncation for the game (none: plain normal)", truncationOrNone, null)
    .addOption(new Option("--backend <name>", "tfjs backend").choices(BACKEND_REQUESTS).default("auto"))
    .parse()
    .opts();
  const truncation: number | null = o.truncation;
  await selectBackend(o.backend as BackendRequest);
  const result = await exportGenerator({
    checkpoint: path.resolve(o.checkpoint),
    modelsDir: path.resolve(o.modelsDir),
    version: o.version,
    quantize: o.quantize,
    truncation,
  });
  console.log(
    `Exported ${result.metadata.version} (${result.metadata.quantization.dtype}, ${(result.metadata.quantization.bytes / 1e6).toFixed(2)} MB) to ${result.dir}`,
  );
}

if (isEntryPoint(import.meta.url)) runCommand("model:export", main);
