/**
 * Which realism judge picks the fakes most likely to fool? Every judge scores the same candidates; each
 * judge's top share is then measured by what it did not optimise: face FD against the evaluation's real faces
 * (which no judge ever sees), diversity, detection, near copies, and the other judges' opinion.
 *
 *   npm run model:judges -- <version> [-n 5000] [--top 0.1,0.5] [--random-draws 20] [--json out.json] [--out dir]
 *
 * A judge is good if its top share beats random selections of the same size on FD by more than their spread,
 * without collapsing diversity (docs/curation.md has the table and the choice).
 */
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { type Command, Option } from "commander";
import { DATA_DIR, FACE_CACHE_DIR, MODELS_DIR, QUIZ_POOL_DIR } from "../../config/settings.ts";
import { BACKEND_REQUESTS, type BackendRequest, selectBackend } from "../backends/select.ts";
import { positiveInteger, shares } from "../cli/numbers.ts";
import { phaseProgress } from "../cli/phase-progress.ts";
import { commandLine, isEntryPoint, runCommand } from "../cli/run-command.ts";
import { meanPairwiseDistance } from "../evaluate/diversity.ts";
import { DEFAULT_SAMPLES, DEFAULT_SEED, loadReferences } from "../evaluate/evaluation.ts";
import { analyseFaces, type FaceAnalysis, isDetected } from "../evaluate/face-analysis.ts";
import { frechetDistanceOf } from "../evaluate/frechet.ts";
import { openGenerator } from "../evaluate/generator-source.ts";
import { kthNeighbourDistances, MANIFOLD_K, shareInside } from "../evaluate/manifold.ts";
import { nearestNeighbours } from "../evaluate/memorisation.ts";
import { shuffled } from "../evaluate/real-faces.ts";
import { writeGrid } from "../train/sample-grid.ts";
import { CANDIDATE_SEED_START, copyThreshold, drawFaces, matchReferences, ranking } from "./curation.ts";
import { realismScores } from "./judges.ts";
import {
  classifierJudge,
  discriminatorJudge,
  type JudgeName,
  judgeReals,
  REALISM_REALS,
  realDescriptors,
} from "./panel.ts";

interface Options {
  candidates: number;
  top: number[];
  out?: string;
  randomDraws: number;
  realismReals: number;
  json?: string;
  models: string;
  pool: string;
  data: string;
  cache: string;
  backend: BackendRequest;
}

/** What a selection of candidates measures, on measures no judge optimised. */
export interface SelectionMetrics {
  faceFd: number;
  /**
   * Kynkäänniemi et al.'s precision against the evaluation's real faces: the share of the selection inside some
   * real face's k = 3 nearest-neighbour ball — per-face realism, measured on reals no judge saw.
   */
  precision: number;
  diversity: number;
  detectionRate: number;
  nearCopyShare: number;
}

/** Selections that are not a judge's top share: random draws, and matching the judge reals' distribution. */
type Selection = JudgeName | "random" | "matched";

export interface JudgeRow extends SelectionMetrics {
  judge: Selection;
  /** The share of the candidates selected. */
  top: number;
  /** For each other judge: the mean percentile (0–100, 100 best) of this selection under that judge. */
  otherJudges: Partial<Record<JudgeName, number>>;
  /** Random rows: the spread (standard deviation) of FD and diversity over the draws. */
  faceFdSpread?: number;
  diversitySpread?: number;
}

export function selectionMetrics(
  chosen: readonly FaceAnalysis[],
  realDescriptors: readonly Float32Array[],
  realRadii: Float64Array,
  trainingDescriptors: readonly Float32Array[],
  copy: number,
): SelectionMetrics {
  const descriptors = chosen.map((a) => a.descriptor);
  const detected = chosen.filter(isDetected);
  const nearest = nearestNeighbours(
    detected.map((a) => a.descriptor),
    trainingDescriptors,
  );
  return {
    faceFd: frechetDistanceOf(descriptors, realDescriptors),
    precision: shareInside(descriptors, realDescriptors, realRadii),
    diversity: meanPairwiseDistance(descriptors),
    detectionRate: detected.length / chosen.length,
    nearCopyShare: nearest.filter((n) => n.distance < copy).length / chosen.length,
  };
}

/** Percentile rank (0–100) of every candidate under `scores`. */
function percentiles(scores: ArrayLike<number>): Float64Array {
  const order = ranking(scores);
  const result = new Float64Array(scores.length);
  order.forEach((index, rank) => {
    result[index] = 100 * (1 - rank / Math.max(1, scores.length - 1));
  });
  return result;
}

const mean = (values: readonly number[]) => values.reduce((a, b) => a + b, 0) / values.length;
const spread = (values: readonly number[]) => {
  const m = mean(values);
  return Math.sqrt(values.reduce((s, v) => s + (v - m) ** 2, 0) / Math.max(1, values.length - 1));
};

interface Comparison {
  rows: JudgeRow[];
  seeds: number[];
  scores: Map<JudgeName, Float32Array>;
  model: Awaited<ReturnType<typeof openGenerator>>;
}

async function compare(spec: string, opts: Options): Promise<Comparison> {
  const source = await openGenerator(spec, { modelsDir: opts.models });
  const bars = phaseProgress();
  try {
    const evaluation = { samples: DEFAULT_SAMPLES, seed: DEFAULT_SEED };
    const references = await loadReferences({
      ...evaluation,
      truncation: null,
      poolDir: opts.pool,
      dataDir: opts.data,
      cacheDir: opts.cache,
      phase: bars.phase,
    });
    const evaluationReals = references.reals.map((r) => r.descriptor);
    const copy = copyThreshold(evaluationReals, references.trainingDescriptors);
    const evaluationRadii = kthNeighbourDistances(evaluationReals, MANIFOLD_K);
    const reals = await judgeReals(opts.pool, evaluation);
    const size = references.pool.images.size;

    const seeds = Array.from({ length: opts.candidates }, (_, i) => CANDIDATE_SEED_START + i);
    const faces = await drawFaces(source.model, seeds, source.truncation, size, bars.phase("candidates", seeds.length));
    const analyses = await analyseFaces(faces, bars.phase("candidates: face-api", seeds.length));

    const scores = new Map<JudgeName, Float32Array>();
    scores.set(
      "detector",
      Float32Array.from(analyses, (a) => a.score),
    );
    const descriptorsForRealism = await realDescriptors(opts.cache, reals, opts.realismReals, bars.phase);
    scores.set("realism", realismScores(analyses, descriptorsForRealism));
    const discriminator = source.version ? await discriminatorJudge(path.join(opts.models, source.version)) : null;
    if (discriminator) {
      scores.set("discriminator", await discriminator.score(faces, bars.phase("discriminator", faces.count)));
      discriminator.dispose();
    }
    const classifier = await classifierJudge(source.model, source.truncation, reals, bars.phase);
    scores.set("classifier", await classifier.score(faces, bars.phase("classifier: scoring", faces.count)));
    console.error(`classifier: ${classifier.label}`);
    classifier.dispose();

    const ranks = new Map([...scores].map(([name, s]) => [name, percentiles(s)]));
    const measure = (picked: number[]) =>
      selectionMetrics(
        picked.map((i) => analyses[i] as FaceAnalysis),
        evaluationReals,
        evaluationRadii,
        references.trainingDescriptors,
        copy,
      );
    const opinion = (picked: number[], except: JudgeName | null) =>
      Object.fromEntries(
        [...ranks]
          .filter(([name]) => name !== except)
          .map(([name, r]) => [name, mean(picked.map((i) => r[i] as number))]),
      );
    const rows: JudgeRow[] = [];
    for (const top of opts.top) {
      const selected = Math.max(2, Math.round(top * opts.candidates));
      for (const [name, s] of scores) {
        const picked = ranking(s).slice(0, selected);
        rows.push({ judge: name, top, ...measure(picked), otherJudges: opinion(picked, name) });
      }
      const matched = matchReferences(
        analyses.map((a) => a.descriptor),
        descriptorsForRealism,
        selected,
      ).picked;
      rows.push({ judge: "matched", top, ...measure(matched), otherJudges: opinion(matched, null) });
      const draws = Array.from({ length: opts.randomDraws }, (_, d) =>
        shuffled(opts.candidates, 100 + d).slice(0, selected),
      );
      const randomMetrics = draws.map(measure);
      rows.push({
        judge: "random",
        top,
        faceFd: mean(randomMetrics.map((m) => m.faceFd)),
        precision: mean(randomMetrics.map((m) => m.precision)),
        faceFdSpread: spread(randomMetrics.map((m) => m.faceFd)),
        diversity: mean(randomMetrics.map((m) => m.diversity)),
        diversitySpread: spread(randomMetrics.map((m) => m.diversity)),
        detectionRate: mean(randomMetrics.map((m) => m.detectionRate)),
        nearCopyShare: mean(randomMetrics.map((m) => m.nearCopyShare)),
        otherJudges: opinion(draws[0] ?? [], null),
      });
    }
    return { rows, seeds, scores, model: source };
  } finally {
    bars.stop();
  }
}

/** One markdown table per selected share: each judge's top share, then random draws of the same size. */
export function formatRows(rows: readonly JudgeRow[], label: string, candidates: number): string {
  const shares = [...new Set(rows.map((r) => r.top))];
  const judges = [...new Set(rows.map((r) => r.judge))].filter(
    (j): j is JudgeName => j !== "random" && j !== "matched",
  );
  const header = [
    "selection",
    "face FD",
    "vs random",
    "precision",
    "diversity",
    "detected",
    "near copies",
    ...judges.map((j) => `${j} %ile`),
  ];
  const tables = shares.map((top) => {
    const group = rows.filter((r) => r.top === top);
    const random = group.find((r) => r.judge === "random");
    const lines = group.map((r) => [
      r.judge === "random"
        ? "random (mean of draws)"
        : r.judge === "matched"
          ? "matched to the judge reals' descriptors"
          : `top ${Math.round(100 * top)} % by ${r.judge}`,
      r.faceFdSpread === undefined ? r.faceFd.toFixed(4) : `${r.faceFd.toFixed(4)} ± ${r.faceFdSpread.toFixed(4)}`,
      random && r !== random
        ? `${r.faceFd - random.faceFd >= 0 ? "+" : ""}${(r.faceFd - random.faceFd).toFixed(4)}`
        : "",
      `${(100 * r.precision).toFixed(1)} %`,
      r.diversitySpread === undefined
        ? r.diversity.toFixed(3)
        : `${r.diversity.toFixed(3)} ± ${r.diversitySpread.toFixed(3)}`,
      `${(100 * r.detectionRate).toFixed(1)} %`,
      `${(100 * r.nearCopyShare).toFixed(1)} %`,
      ...judges.map((j) => (r.otherJudges[j] === undefined ? "–" : (r.otherJudges[j] as number).toFixed(0))),
    ]);
    return [
      `Top ${Math.round(100 * top)} % (${Math.round(top * candidates)} faces):`,
      "",
      `| ${header.join(" | ")} |`,
      `| ${header.map(() => "---").join(" | ")} |`,
      ...lines.map((l) => `| ${l.join(" | ")} |`),
    ].join("\n");
  });
  return [`${label}: ${candidates} candidates (seeds ${CANDIDATE_SEED_START}…)`, "", ...tables].join("\n\n");
}

/** For looking at, as a player would: each judge's best and worst 64 faces, and the first 64 candidates. */
async function writeGrids(comparison: Comparison, dir: string): Promise<void> {
  mkdirSync(dir, { recursive: true });
  const grid = async (seeds: number[], name: string) => {
    await writeGrid(
      await drawFaces(comparison.model.model, seeds, comparison.model.truncation, 64),
      path.join(dir, name),
    );
  };
  await grid(comparison.seeds.slice(0, 64), "random.png");
  for (const [judge, scores] of comparison.scores) {
    const order = ranking(scores).map((i) => comparison.seeds[i] as number);
    await grid(order.slice(0, 64), `${judge}-best.png`);
    await grid(order.slice(-64), `${judge}-worst.png`);
  }
  const scores = Object.fromEntries([...comparison.scores].map(([judge, s]) => [judge, Array.from(s)]));
  writeFileSync(path.join(dir, "scores.json"), `${JSON.stringify({ seeds: comparison.seeds, scores })}\n`);
}

export function judgesProgram(): Command {
  return commandLine("model:judges")
    .description("Compare the realism judges on the same candidates of a version")
    .argument("<version>", "a version in the models folder (or a model.json / checkpoint)")
    .option("-n, --candidates <n>", "random latents every judge scores", positiveInteger, 5000)
    .option("--top <shares>", "shares each judge selects, comma-separated", shares, [0.1, 0.5])
    .option("--random-draws <n>", "random selections of the same size (their spread is the bar)", positiveInteger, 20)
    .option(
      "--realism-reals <n>",
      "real descriptors the realism score measures against",
      positiveInteger,
      REALISM_REALS,
    )
    .option("--json <file>", "also write the rows as JSON")
    .option("--out <dir>", "write each judge's best and worst 64 faces, 64 random ones and every score here")
    .option("--pool <dir>", "quiz pool of held-out real faces", QUIZ_POOL_DIR)
    .option("--data <dir>", "prepared data (training faces)", DATA_DIR)
    .option("--cache <dir>", "cache of real faces' analyses", FACE_CACHE_DIR)
    .option("--models <dir>", "models folder", MODELS_DIR)
    .addOption(new Option("--backend <name>", "tfjs backend").choices(BACKEND_REQUESTS).default("auto"))
    .action(async (version: string, opts: Options) => {
      await selectBackend(opts.backend, { log: (m) => console.error(m) });
      const comparison = await compare(version, opts);
      console.log(formatRows(comparison.rows, version, opts.candidates));
      if (opts.json)
        writeFileSync(opts.json, `${JSON.stringify({ version, ...opts, rows: comparison.rows }, null, 2)}\n`);
      if (opts.out) await writeGrids(comparison, opts.out);
    });
}

if (isEntryPoint(import.meta.url)) runCommand("model:judges", () => judgesProgram().parseAsync());
