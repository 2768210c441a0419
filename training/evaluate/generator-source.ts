/**
 * What `model:evaluate` can judge: a shipped version, any exported model.json, a training checkpoint (or
 * a run folder: its newest checkpoint), or a freshly initialised generator as the floor.
 */
import { existsSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import type * as tf from "@tensorflow/tfjs";
import { buildGenerator, type DcganShape, DEFAULT_SHAPE, shapeOf } from "../../src/core/dcgan.ts";
import { type ModelMetadata, ModelMetadataSchema, VERSION_PATTERN } from "../../src/core/model-manifest.ts";
import { UserError } from "../cli/user-error.ts";
import { loadLayersModelFromDisk } from "../export/model-files.ts";
import { loadCheckpoint, resolveCheckpoint } from "../train/checkpoint.ts";

/** Fakes per pass through an evaluated generator: a thousand at once would hold all their activations. */
export const FAKES_PER_BATCH = 16;

export interface GeneratorSource {
  /** How the table and logs name it. */
  label: string;
  kind: "model" | "checkpoint" | "random";
  model: tf.LayersModel;
  /** Set when opened by version name from the models folder: its metrics also go into the registry. */
  version: string | null;
  /** The metadata.json beside the model, if any (metrics are written into it). */
  metadata: ModelMetadata | null;
  metadataFile: string | null;
  /** Where results go when there is no metadata.json (null: print only). */
  resultFile: string | null;
  /** The truncation the game uses with this generator (null: plain normal noise). */
  truncation: number | null;
}

export interface SourceOptions {
  modelsDir: string;
  /** For checkpoints: use the raw G even when the run kept an EMA of it. */
  raw?: boolean;
  /** For "random": the architecture to initialise. */
  shape?: Partial<DcganShape>;
  /** For "random": the initialiser seed (a run's seed gives exactly that run's step 0); none draws fresh weights. */
  initSeed?: number | undefined;
}

export const RANDOM_SOURCE = "random";

export async function openGenerator(spec: string, options: SourceOptions): Promise<GeneratorSource> {
  if (spec === RANDOM_SOURCE) return randomGenerator({ ...DEFAULT_SHAPE, ...options.shape }, options.initSeed);
  const versionDir = path.join(options.modelsDir, spec);
  if (VERSION_PATTERN.test(spec) && existsSync(path.join(versionDir, "model.json"))) {
    return exportedModel(path.join(versionDir, "model.json"), spec, spec);
  }
  if (!existsSync(spec)) {
    throw new UserError(
      `${spec} is neither a version in ${options.modelsDir}, a model.json, a checkpoint nor "${RANDOM_SOURCE}".`,
    );
  }
  if (statSync(spec).isFile()) return exportedModel(spec, spec, null);
  if (existsSync(path.join(spec, "model.json"))) return exportedModel(path.join(spec, "model.json"), spec, null);
  return checkpointGenerator(resolveCheckpoint(spec), options.raw ?? false);
}

function randomGenerator(shape: DcganShape, seed: number | undefined): GeneratorSource {
  return {
    label: `random init (ngf ${shape.ngf}, ${shape.imageSize} px${seed === undefined ? "" : `, seed ${seed}`})`,
    kind: "random",
    version: null,
    model: buildGenerator(shape, seed),
    metadata: null,
    metadataFile: null,
    resultFile: null,
    truncation: null,
  };
}

async function exportedModel(modelJson: string, label: string, version: string | null): Promise<GeneratorSource> {
  const dir = path.dirname(modelJson);
  const metadataFile = path.join(dir, "metadata.json");
  const metadata = existsSync(metadataFile)
    ? ModelMetadataSchema.parse(JSON.parse(readFileSync(metadataFile, "utf8")))
    : null;
  return {
    label,
    kind: "model",
    version,
    model: await loadLayersModelFromDisk(modelJson),
    metadata,
    metadataFile: metadata ? metadataFile : null,
    resultFile: metadata ? null : path.join(dir, "evaluation.json"),
    truncation: metadata?.truncation ?? null,
  };
}

type CheckpointSettings = Parameters<typeof shapeOf>[0];

function checkpointGenerator(dir: string, raw: boolean): GeneratorSource {
  const checkpoint = loadCheckpoint<CheckpointSettings>(dir);
  const model = buildGenerator(shapeOf(checkpoint.state.settings));
  const ema = checkpoint.groups.get("ema-generator") ?? [];
  const useEma = ema.length > 0 && !raw;
  model.setWeights(useEma ? ema : (checkpoint.groups.get("generator") ?? []));
  for (const tensors of checkpoint.groups.values()) for (const tensor of tensors) tensor.dispose();
  return {
    label: `${dir} (step ${checkpoint.state.step}, ${useEma ? "EMA G" : "raw G"})`,
    kind: "checkpoint",
    version: null,
    model,
    metadata: null,
    metadataFile: null,
    // The default choice (EMA when there is one) is the checkpoint's evaluation; --raw over an EMA is a side note.
    resultFile: path.join(dir, ema.length > 0 && raw ? "evaluation-raw.json" : "evaluation.json"),
    truncation: null,
  };
}
