/**
 * `npm run bench:browser`: how fast fresh fakes appear in Chromium, per tfjs backend.
 *
 * Builds the site if needed, starts it on a free port, and for each backend (and for the game's own choice)
 * opens /bench in a new Chromium, so every run is cold: no HTTP, wasm or shader cache. Prints model-load time,
 * time to the first face (from navigation start) and milliseconds per 64×64 face once warm.
 *
 * The model is the active generator shipped in public/models with the largest share, or the shipped version
 * named by BENCH_MODEL (e.g. to compare two versions in rotation). Without one, an untrained generator of the
 * default shape (ngf 64, the largest we ship, uint8 weights) stands in, served by the test browser itself, and
 * the report says so: speed depends on the shape and the weight format, not on the weights' values.
 */
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { type Browser, chromium, type Page } from "@playwright/test";
import { MODELS_DIR, REPO_ROOT } from "../config/settings.ts";
import { chromiumLaunchOptions } from "../e2e/support/chromium.ts";
import { writeRandomGenerator } from "../e2e/support/random-generator.ts";
import type { BackendTiming } from "../src/client/generator/benchmark.ts";
import { DEFAULT_SHAPE } from "../src/core/dcgan.ts";
import { freePort } from "../testing/free-port.ts";
import { isEntryPoint, runCommand } from "../training/cli/run-command.ts";
import { UserError } from "../training/cli/user-error.ts";
import { activeModel, shippedModel } from "./active-model.ts";
import { startServer } from "./server-process.ts";
import { ensureBuild } from "./site-build.ts";

interface Run {
  backend: "webgpu" | "webgl" | "wasm" | "cpu" | "auto";
  /** wasm: a fixed thread count instead of the game's default (half the logical cores). */
  threads?: number;
}

/** Every backend, wasm on one and on two threads, then the game's own choice (and thread count) last. */
const RUNS: Run[] = [
  { backend: "webgpu" },
  { backend: "webgl" },
  { backend: "wasm", threads: 1 },
  { backend: "wasm", threads: 2 },
  { backend: "cpu" },
  { backend: "auto" },
];
const TARGET_FIRST_FACE_MS = 2_000;
const TARGET_MS_PER_FACE = 15;
const STAND_IN_VERSION = "bench-untrained";
/** model:export's smallest format; a shipped model's own format is in its metadata.json. */
const STAND_IN_QUANTIZATION = "uint8";

interface ModelUnderTest {
  version: string;
  /** Folder to serve /models/<version>/ from when the site does not ship it. */
  servedFrom: string | null;
  description: string;
}

async function main(): Promise<void> {
  const scratch = mkdtempSync(path.join(tmpdir(), "spot-the-fake-bench-"));
  try {
    if (!ensureBuild(REPO_ROOT, (message) => console.log(message))) throw new Error("the build failed");
    const model = await pickModel(scratch);
    const port = await freePort();
    const server = await startServer({
      root: REPO_ROOT,
      host: "127.0.0.1",
      port,
      output: "ignore",
      env: { DATABASE_URL: `file:${path.join(scratch, "bench.db")}` },
    });
    if (!server) throw new Error("the server did not start");
    try {
      console.log(`Model: ${model.description}`);
      const results: BackendTiming[] = [];
      for (const run of RUNS) {
        const result = await coldRun(server.url, run, model);
        results.push(result);
        const label = `${run.backend}${run.threads ? ` (${run.threads} thread${run.threads > 1 ? "s" : ""})` : ""}`;
        console.log(
          `  ${label}: ${result.works ? "done" : `not available${result.error ? ` (${result.error})` : ""}`}`,
        );
      }
      report(results);
    } finally {
      server.child.kill("SIGTERM");
      await server.exited;
    }
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

/** BENCH_MODEL's version, the shipped active generator with the largest share, or an untrained stand-in. */
async function pickModel(scratch: string): Promise<ModelUnderTest> {
  const active = process.env.BENCH_MODEL ? namedModel(process.env.BENCH_MODEL) : activeModel(MODELS_DIR);
  if (active) {
    const arch = active.metadata.architecture;
    const quantization = active.metadata.quantization.dtype;
    const shape = `${arch.imageSize}×${arch.imageSize}, ngf ${arch.ngf}, ${arch.generatorParams} parameters, ${quantization} weights`;
    return { version: active.version, servedFrom: null, description: `${active.version} (shipped; ${shape})` };
  }
  const params = await writeRandomGenerator(scratch, STAND_IN_VERSION, DEFAULT_SHAPE, STAND_IN_QUANTIZATION);
  return {
    version: STAND_IN_VERSION,
    servedFrom: scratch,
    description:
      `untrained stand-in (no generator shipped yet; 64×64, ngf ${DEFAULT_SHAPE.ngf}, ${params} parameters, ` +
      `${STAND_IN_QUANTIZATION} weights)`,
  };
}

function namedModel(version: string) {
  try {
    return shippedModel(MODELS_DIR, version);
  } catch (error) {
    throw new UserError(
      `BENCH_MODEL=${version}: no readable ${path.join(MODELS_DIR, version, "metadata.json")} (${error})`,
    );
  }
}

async function coldRun(url: string, { backend, threads }: Run, model: ModelUnderTest): Promise<BackendTiming> {
  let browser: Browser | null = null;
  try {
    browser = await chromium.launch(chromiumLaunchOptions());
    const page = await browser.newPage();
    if (model.servedFrom) await serveStandIn(page, model.servedFrom);
    await page.goto(new URL(threads ? `/bench?threads=${threads}` : "/bench", url).href);
    await page.waitForFunction(() => "spotTheFakeBench" in window);
    return await page.evaluate(
      ([name, version]) =>
        (window as unknown as { spotTheFakeBench: (b: string, v: string) => Promise<BackendTiming> }).spotTheFakeBench(
          name,
          version,
        ),
      [backend, model.version] as const,
    );
  } catch (error) {
    return { backend: backend === "auto" ? "cpu" : backend, works: false, error: String(error) };
  } finally {
    await browser?.close();
  }
}

/** The stand-in's files come from the scratch folder; everything else from the real server. */
async function serveStandIn(page: Page, folder: string): Promise<void> {
  await page.route(`**/models/${STAND_IN_VERSION}/**`, async (route) => {
    const file = path.basename(new URL(route.request().url()).pathname);
    await route.fulfill({
      body: readFileSync(path.join(folder, STAND_IN_VERSION, file)),
      contentType: file.endsWith(".json") ? "application/json" : "application/octet-stream",
    });
  });
}

function report(results: BackendTiming[]): void {
  const auto = results.at(-1);
  const rows = results.slice(0, -1).filter((result) => result.works);
  const ms = (value: number | undefined) => (value === undefined ? "—" : value.toFixed(value < 100 ? 1 : 0));
  console.log("\nbackend          threads  model load  first face (cold)  ms/face  ms/face (batch 8)");
  for (const row of rows) {
    const note = row.software ? " (software)" : row.fastKernels ? " (fast conv)" : "";
    const name = `${row.backend}${note}`.padEnd(17);
    const threads = String(row.threads ?? "—").padStart(7);
    console.log(
      `${name}${threads}  ${ms(row.modelLoadMs).padStart(8)} ms  ${ms(row.firstFaceMs).padStart(13)} ms  ` +
        `${ms(row.msPerFace).padStart(7)}  ${ms(row.msPerFaceBatch8).padStart(17)}`,
    );
  }
  for (const row of rows) {
    const b = row.breakdown;
    if (b) {
      console.log(
        `  ${row.backend}, first face = page ${ms(b.pageMs)} + tfjs ${ms(b.tfLoadMs)} + backend ${ms(b.backendMs)}` +
          (b.kernelCheckMs === null ? "" : ` (kernel check ${ms(b.kernelCheckMs)})`) +
          ` + model ${ms(b.modelLoadMs)} + first prediction ${ms(b.firstPredictMs)} ms`,
      );
    }
    const kernels = (row.slowestKernels ?? []).map((k) => `${k.kernel} ${k.shape} ${ms(k.ms)}`).join(", ");
    if (kernels) console.log(`  ${row.backend}, one warm face, slowest kernels: ${kernels} (ms)`);
  }
  const unavailable = results.slice(0, -1).filter((result) => !result.works);
  if (unavailable.length > 0) console.log(`not available here: ${unavailable.map((r) => r.backend).join(", ")}`);
  const fastest = [...rows].sort((a, b) => (a.msPerFace ?? Infinity) - (b.msPerFace ?? Infinity))[0];
  if (auto?.works) {
    console.log(
      `\nThe game picks: ${auto.backend} (first face ${ms(auto.firstFaceMs)} ms cold, ${ms(auto.msPerFace)} ms/face;` +
        ` cross-origin isolated: ${auto.crossOriginIsolated})`,
    );
  }
  if (fastest) {
    const firstOk = (auto?.firstFaceMs ?? Infinity) <= TARGET_FIRST_FACE_MS;
    const perFaceOk = (fastest.msPerFace ?? Infinity) <= TARGET_MS_PER_FACE;
    console.log(
      `Targets: first face ≤ ${TARGET_FIRST_FACE_MS} ms: ${firstOk ? "met" : "missed"}; ` +
        `≤ ${TARGET_MS_PER_FACE} ms per face on the fastest backend (${fastest.backend}): ${perFaceOk ? "met" : "missed"}.`,
    );
  }
}

if (isEntryPoint(import.meta.url)) runCommand("bench:browser", main);
