/**
 * Checkpoints: everything needed to continue a run exactly — G, D and EMA-G weights (batch-norm
 * statistics included), both Adam states, the step and the settings.
 *
 *   <run>/checkpoints/step-000123/state.json   step, images seen, wall time, settings, tensor index
 *   <run>/checkpoints/step-000123/tensors.bin  float32 values, in index order (int32 tensors converted)
 *
 * Written to a temporary folder and renamed, so a crash mid-save never leaves a broken checkpoint.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import * as tf from "@tensorflow/tfjs";
import { UserError } from "../cli/user-error.ts";

export interface TensorGroup {
  name: string;
  tensors: tf.Tensor[];
}

interface TensorIndexEntry {
  group: string;
  name: string;
  shape: number[];
  offset: number;
  /** The tensor's dtype; absent in checkpoints written before it was recorded (see `legacyInt32`). */
  dtype?: "float32" | "int32";
}

export interface CheckpointState<Settings> {
  step: number;
  imagesSeen: number;
  wallSeconds: number;
  settings: Settings;
  /** The tfjs backend and threads the run last trained on. */
  backend: { name: string; threads: number };
  savedAt: string;
}

export const checkpointsDir = (runDir: string) => path.join(runDir, "checkpoints");
const stepName = (step: number) => `step-${String(step).padStart(6, "0")}`;

export async function saveCheckpoint<S>(
  runDir: string,
  state: Omit<CheckpointState<S>, "savedAt">,
  groups: TensorGroup[],
): Promise<string> {
  const target = path.join(checkpointsDir(runDir), stepName(state.step));
  const staging = `${target}.partial`;
  rmSync(staging, { recursive: true, force: true });
  mkdirSync(staging, { recursive: true });
  const index: TensorIndexEntry[] = [];
  const chunks: Float32Array[] = [];
  let offset = 0;
  for (const group of groups) {
    for (const [i, tensor] of group.tensors.entries()) {
      // Converted by value: Adam's iteration count is int32, and its raw bits read back as a float32 are a
      // denormal. Float tensors go as they are (no second copy of every weight at each checkpoint).
      const data = await tensor.data();
      const values = data instanceof Float32Array ? data : Float32Array.from(data);
      const dtype = tensor.dtype === "int32" ? "int32" : "float32";
      index.push({ group: group.name, name: String(i), shape: tensor.shape, offset, dtype });
      chunks.push(values);
      offset += values.length;
    }
  }
  writeFileSync(
    path.join(staging, "tensors.bin"),
    Buffer.concat(chunks.map((c) => Buffer.from(c.buffer, c.byteOffset, c.byteLength))),
  );
  writeFileSync(
    path.join(staging, "state.json"),
    `${JSON.stringify({ ...state, savedAt: new Date().toISOString(), index }, null, 1)}\n`,
  );
  rmSync(target, { recursive: true, force: true });
  renameSync(staging, target);
  return target;
}

export interface LoadedCheckpoint<S> {
  dir: string;
  state: CheckpointState<S>;
  groups: Map<string, tf.Tensor[]>;
}

export function loadCheckpoint<S>(dir: string): LoadedCheckpoint<S> {
  const stateFile = path.join(dir, "state.json");
  if (!existsSync(stateFile)) throw new UserError(`${dir} is not a checkpoint (no state.json).`);
  const raw = JSON.parse(readFileSync(stateFile, "utf8")) as CheckpointState<S> & { index: TensorIndexEntry[] };
  const bytes = readFileSync(path.join(dir, "tensors.bin"));
  const floats = new Float32Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 4);
  const groups = new Map<string, tf.Tensor[]>();
  for (const entry of raw.index) {
    const size = entry.shape.reduce((a, b) => a * b, 1);
    const values = floats.slice(entry.offset, entry.offset + size);
    const tensor = legacyInt32(entry)
      ? tf.tensor(new Int32Array(values.buffer, values.byteOffset, size), entry.shape, "int32")
      : tf.tensor(values, entry.shape, entry.dtype ?? "float32");
    groups.set(entry.group, [...(groups.get(entry.group) ?? []), tensor]);
  }
  const { index: _index, ...state } = raw;
  return { dir, state, groups };
}

/**
 * Checkpoints written before the index had dtypes stored the optimisers' iteration counts (the scalar first
 * tensor of each optimizer group) as raw int32 bits. Read as a float they were ~4e-45, so every resume restarted
 * Adam's bias correction at step 1: for a few hundred (β2 0.99) to a few thousand (β2 0.999) steps the updates
 * were several times smaller. Read as the int32 they are, old checkpoints resume correctly too.
 */
function legacyInt32(entry: TensorIndexEntry): boolean {
  return (
    entry.dtype === undefined && entry.group.startsWith("optimizer") && entry.name === "0" && entry.shape.length === 0
  );
}

/** The newest complete checkpoint of a run, or null. */
export function latestCheckpoint(runDir: string): string | null {
  const dir = checkpointsDir(runDir);
  if (!existsSync(dir)) return null;
  const steps = readdirSync(dir)
    .filter((name) => /^step-\d+$/.test(name))
    .sort();
  const last = steps.at(-1);
  return last ? path.join(dir, last) : null;
}

/** Accepts a run folder (takes its newest checkpoint) or a checkpoint folder. */
export function resolveCheckpoint(dirOrRun: string): string {
  if (existsSync(path.join(dirOrRun, "state.json"))) return dirOrRun;
  const latest = latestCheckpoint(dirOrRun);
  if (!latest)
    throw new UserError(
      `No checkpoint in ${dirOrRun}: expected a run folder with checkpoints/ or a step-NNNNNN folder.`,
    );
  return latest;
}

/** Keep only the newest few checkpoints: each one of an ngf-64 run is ~50 MB. */
export function pruneCheckpoints(runDir: string, keep: number, protect: (name: string) => boolean = () => false): void {
  const dir = checkpointsDir(runDir);
  const steps = readdirSync(dir)
    .filter((name) => /^step-\d+$/.test(name))
    .sort();
  for (const name of steps.slice(0, Math.max(0, steps.length - keep))) {
    if (!protect(name)) rmSync(path.join(dir, name), { recursive: true, force: true });
  }
}
