/**
 * npm run bench:train — DCGAN training speed per tfjs backend, 64×64, ngf = ndf = 32 and 64.
 *
 * For each backend that can run here (GPU routes when present, the native oneDNN route, wasm with our kernels
 * at 2 threads and 1, stock cpu), times the trainer's own training step (step.ts through
 * train-step.ts) and prints ms/step, img/s, GFLOP/s and the speed-ups over wasm (at the most
 * threads) and over stock cpu, all from this one run. cpu is far too slow for batch 64: it is timed on one small-batch step at the
 * smallest ngf, scaled per image, and its other rows are estimated from that GFLOP/s (all flagged as such). Numbers on a shared machine are depressed by other load: the table
 * shows each run's CPU seconds per step and the load average so that contention is visible.
 *
 * Options: --ngf 32,64  --batch 64  --steps 3  --cpu-batch 2  --cpu-all (time cpu at every ngf)  --no-cpu
 *          --threads 2  --quick  --profile (one more step per row under tf.profile: time per kernel)
 */
import os from "node:os";
import * as tf from "@tensorflow/tfjs";
import { Z_DIM } from "../../src/core/noise.ts";
import { type BackendChoice, type BackendRequest, selectBackend } from "../backends/select.ts";
import { listOf, positiveInteger } from "../cli/numbers.ts";
import { commandLine, isEntryPoint, runCommand } from "../cli/run-command.ts";
import { makeTrainStep } from "./train-step.ts";

interface Config {
  label: string;
  request: BackendRequest;
  threads?: number;
  /** Images per step and timed steps: cpu gets a tiny batch and one step. */
  batch: (ngf: number) => number;
  steps: (ngf: number) => number;
  warmup: number;
  scaled: boolean;
  /** Time only the first ngf; estimate the others from its GFLOP/s. */
  estimateLarger?: boolean;
}

interface Row {
  label: string;
  threads: number;
  ngf: number;
  batch: number;
  steps: number;
  msPerStep: number;
  cpuSecondsPerStep: number;
  imgPerSec: number;
  gflops: number;
  scaled: boolean;
  estimated?: boolean;
}

function options() {
  const values = commandLine("bench:train")
    .description("Time the trainer's own step on every tfjs backend that runs here")
    .option("--ngf <list>", "generator (and discriminator) widths, comma-separated", listOf(positiveInteger), [32, 64])
    .option("--batch <n>", "images per step", positiveInteger, 64)
    .option("--steps <n>", "timed steps per row (one fewer above ngf 32)", positiveInteger, 3)
    .option("--cpu-batch <n>", "images in cpu's one step", positiveInteger, 2)
    .option("--cpu-all", "time cpu at every ngf instead of estimating the larger ones", false)
    .option("--no-cpu", "leave the cpu backend out")
    .option("--threads <n>", "threads for the native and wasm routes", positiveInteger, os.availableParallelism())
    .option("--quick", "one timed step per row", false)
    .option("--profile", "one more step per row under tf.profile: time per kernel", false)
    .parse()
    .opts<{
      ngf: number[];
      batch: number;
      steps: number;
      cpuBatch: number;
      cpuAll: boolean;
      cpu: boolean;
      threads: number;
      quick: boolean;
      profile: boolean;
    }>();
  return {
    ngfs: values.ngf,
    batch: values.batch,
    steps: values.quick ? 1 : values.steps,
    cpuBatch: values.cpuBatch,
    cpu: values.cpu,
    cpuAll: values.cpuAll,
    threads: values.threads,
    profile: values.profile,
  };
}

function configs(opts: ReturnType<typeof options>): Config[] {
  const full = {
    batch: () => opts.batch,
    steps: (ngf: number) => (ngf > 32 ? Math.max(1, opts.steps - 1) : opts.steps),
    warmup: 1,
    scaled: false,
  };
  const gpu = (request: BackendRequest): Config => ({ label: request, request, ...full, steps: () => opts.steps });
  const list: Config[] = [gpu("node-gpu"), gpu("webgpu"), gpu("node")];
  list.push({ label: "native", request: "native", threads: opts.threads, ...full });
  list.push({ label: "wasm+fast", request: "wasm", threads: opts.threads, ...full });
  if (opts.threads !== 1) list.push({ label: "wasm+fast", request: "wasm", threads: 1, ...full });
  if (opts.cpu) {
    // cpu takes ~20-40 s per ngf-32 image (and 4× that at ngf 64): one step at a tiny batch.
    const cpu = { label: "cpu (stock)", request: "cpu" as const, batch: () => opts.cpuBatch, steps: () => 1 };
    list.push({ ...cpu, warmup: 0, scaled: true, estimateLarger: !opts.cpuAll });
  }
  return list;
}

/** One more step under tf.profile: where the step's time goes, kernel by kernel (wall ms, calls). */
async function printProfile(trainer: ReturnType<typeof makeTrainStep>, real: tf.Tensor4D, title: string) {
  const started = performance.now();
  const info = await tf.profile(() => {
    trainer.run(real);
  });
  const wall = performance.now() - started;
  const byKernel = new Map<string, { ms: number; calls: number }>();
  // Ops that wrap a kernel (fusedConv2d__op) appear beside it: count kernels only.
  for (const k of info.kernels.filter((k) => !k.name.endsWith("__op"))) {
    const entry = byKernel.get(k.name) ?? { ms: 0, calls: 0 };
    entry.ms += Number(k.kernelTimeMs) || 0;
    entry.calls += 1;
    byKernel.set(k.name, entry);
  }
  const sorted = [...byKernel.entries()].sort((a, b) => b[1].ms - a[1].ms);
  const inKernels = sorted.reduce((sum, [, e]) => sum + e.ms, 0);
  console.log(`
  profile of one step, ${title}: ${wall.toFixed(0)} ms wall (profiling adds some), ${inKernels.toFixed(0)} ms in kernels`);
  for (const [name, e] of sorted.slice(0, 14))
    console.log(
      `    ${name.padEnd(30)} ${e.ms.toFixed(1).padStart(7)} ms ${String(e.calls).padStart(4)} calls ${((100 * e.ms) / wall).toFixed(0).padStart(3)} %`,
    );
  const rest = sorted.slice(14).reduce((sum, [, e]) => sum + e.ms, 0);
  console.log(`    ${"(other kernels)".padEnd(30)} ${rest.toFixed(1).padStart(7)} ms`);
  console.log(`    ${"(outside kernels: tfjs, JS)".padEnd(30)} ${(wall - inKernels).toFixed(1).padStart(7)} ms`);
}

async function measure(config: Config, choice: BackendChoice, ngf: number, profile = false): Promise<Row> {
  const { threads } = choice;
  const batch = config.batch(ngf);
  const steps = config.steps(ngf);
  const trainer = makeTrainStep({ imageSize: 64, ngf, ndf: ngf, zDim: Z_DIM }, batch, 1, choice.parts);
  const real = tf.randomUniform([batch, 64, 64, 3], -1, 1) as tf.Tensor4D;
  for (let i = 0; i < config.warmup; i++) trainer.run(real);
  const cpuBefore = process.cpuUsage();
  const start = performance.now();
  for (let i = 0; i < steps; i++) trainer.run(real);
  const msPerStep = (performance.now() - start) / steps;
  const cpu = process.cpuUsage(cpuBefore);
  if (profile) await printProfile(trainer, real, `${config.label} ×${threads}, ngf ${ngf}`);
  real.dispose();
  trainer.dispose();
  const imgPerSec = (1000 * batch) / msPerStep;
  return {
    label: config.label,
    threads,
    ngf,
    batch,
    steps,
    msPerStep,
    cpuSecondsPerStep: (cpu.user + cpu.system) / 1e6 / steps,
    imgPerSec,
    gflops: (trainer.flopsPerImage * imgPerSec) / 1e9,
    scaled: config.scaled,
  };
}

/** A row predicted from a timed one at the same GFLOP/s (for cpu at large ngf, which takes minutes per image). */
function estimate(timed: Row, ngf: number): Row {
  const trainer = makeTrainStep({ imageSize: 64, ngf, ndf: ngf, zDim: Z_DIM }, 1);
  const flops = trainer.flopsPerImage;
  trainer.dispose();
  const imgPerSec = (timed.gflops * 1e9) / flops;
  const msPerStep = (1000 * timed.batch) / imgPerSec;
  return { ...timed, ngf, steps: 0, msPerStep, imgPerSec, cpuSecondsPerStep: Number.NaN, estimated: true };
}

/** Selects a backend quietly; null (with the reason printed) when it cannot run here. */
async function trySelect(config: Config): Promise<BackendChoice | null> {
  try {
    const choice = await selectBackend(config.request, { threads: config.threads, log: () => {} });
    const notes = choice.reasons.filter((r) => r.startsWith(config.request));
    console.log(`${config.label}${config.threads ? ` ×${choice.threads}` : ""}: ${notes.join("; ")}`);
    return choice;
  } catch (error) {
    console.log(`${config.label}: skipped (${error instanceof Error ? error.message : String(error)})`);
    return null;
  }
}

function table(rows: Row[]): string {
  const cpu = new Map(rows.filter((r) => r.label.startsWith("cpu")).map((r) => [r.ngf, r.imgPerSec]));
  // The wasm route at the most threads it ran with: what the native route is measured against.
  const wasmRows = rows.filter((r) => r.label.startsWith("wasm")).sort((a, b) => b.threads - a.threads);
  const wasm = new Map([...wasmRows].reverse().map((r) => [r.ngf, r.imgPerSec]));
  const header = [
    "backend",
    "threads",
    "ngf",
    "batch",
    "steps",
    "ms/step",
    "img/s",
    "GFLOP/s",
    "× wasm",
    "× cpu",
    "CPU s/step",
  ];
  const lines = rows.map((r) => {
    const ratio = cpu.get(r.ngf);
    const overWasm = wasm.get(r.ngf);
    return [
      `${r.label}${r.estimated ? " **" : r.scaled ? " *" : ""}`,
      String(r.threads),
      String(r.ngf),
      String(r.batch),
      String(r.steps),
      r.msPerStep.toFixed(0),
      r.imgPerSec < 1 ? r.imgPerSec.toFixed(3) : r.imgPerSec.toFixed(2),
      r.gflops.toFixed(1),
      overWasm ? `${(r.imgPerSec / overWasm).toFixed(2)}×` : "-",
      ratio ? `${(r.imgPerSec / ratio).toFixed(0)}×` : "-",
      Number.isNaN(r.cpuSecondsPerStep) ? "-" : r.cpuSecondsPerStep.toFixed(1),
    ];
  });
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => (l[i] ?? "").length)));
  const fmt = (cells: string[]) =>
    cells.map((c, i) => (i === 0 ? c.padEnd(widths[i] ?? 0) : c.padStart(widths[i] ?? 0))).join("  ");
  return [fmt(header), ...lines.map(fmt)].join("\n");
}

async function main(): Promise<void> {
  const opts = options();
  const load = () =>
    os
      .loadavg()
      .map((l) => l.toFixed(1))
      .join(" ");
  console.log(
    `bench:train — 64×64 DCGAN, ${os.availableParallelism()} logical CPUs, node ${process.version}, tfjs ${tf.version_core}; load average ${load()}`,
  );
  const rows: Row[] = [];
  for (const config of configs(opts)) {
    const choice = await trySelect(config);
    if (choice === null) continue;
    const ngfs = [...opts.ngfs].sort((a, b) => a - b);
    for (const [i, ngf] of ngfs.entries()) {
      const timed = rows.at(-1);
      const row =
        i > 0 && config.estimateLarger && timed
          ? estimate(timed, ngf)
          : await measure(config, choice, ngf, opts.profile);
      const how = row.estimated ? "estimated from the smaller ngf's GFLOP/s" : `load ${load()}`;
      console.log(`  ngf ${ngf}: ${row.msPerStep.toFixed(0)} ms/step, ${row.imgPerSec.toFixed(3)} img/s (${how})`);
      rows.push(row);
    }
  }
  console.log(`\n${table(rows)}`);
  console.log(
    [
      "",
      "GFLOP/s counts 4·G_fwd + 8·D_fwd FLOPs per image (forwardFlops; backward = 2× forward): ngf 32 ≈ 0.65 GFLOP,",
      "ngf 64 ≈ 2.5 GFLOP. * = one step at a small batch, scaled per image (cpu cannot do batch 64 in reasonable time);",
      "** = not timed: the cpu GFLOP/s of the smaller ngf applied to this one's FLOPs (--cpu-all times it, minutes).",
      `load average at the end: ${load()} — other processes on these ${os.availableParallelism()} CPUs depress every number above;`,
      "CPU s/step well below threads × wall s/step means our threads sat waiting (descheduled by that load, or idle).",
    ].join("\n"),
  );
}

if (isEntryPoint(import.meta.url)) runCommand("bench:train", main);
