/**
 * Write a version's seed bank: the fakes most likely to fool, by a measured judge (docs/curation.md).
 *
 *   npm run model:curate -- <version> [-n 20000] [--keep 0.1] [--judge classifier|discriminator]
 *
 * Scores n random latents' faces with the judge, shortlists the best, analyses the shortlist with face-api,
 * leaves out near copies of training faces and near duplicates of faces already kept, and writes the best
 * `keep`·n seeds to <models>/<version>/bank.json (which the server reads for the `curated` policy), plus two
 * 64-face grids beside it: the first random candidates and the bank's best.
 */
import path from "node:path";
import { type Command, Option } from "commander";
import { DATA_DIR, FACE_CACHE_DIR, MODELS_DIR, QUIZ_POOL_DIR } from "../../config/settings.ts";
import { SEED_BANK_FILE, type SeedBank, SeedBankSchema } from "../../src/core/seed-bank.ts";
import { BACKEND_REQUESTS, type BackendRequest, selectBackend } from "../backends/select.ts";
import { numberAtLeast, positiveInteger, share } from "../cli/numbers.ts";
import { type PhaseProgress, phaseProgress } from "../cli/phase-progress.ts";
import { commandLine, isEntryPoint, runCommand } from "../cli/run-command.ts";
import { UserError } from "../cli/user-error.ts";
import { DEFAULT_SAMPLES, DEFAULT_SEED, loadReferences } from "../evaluate/evaluation.ts";
import { analyseFaces, type FaceAnalysis } from "../evaluate/face-analysis.ts";
import { openGenerator } from "../evaluate/generator-source.ts";
import { nearestNeighbours } from "../evaluate/memorisation.ts";
import { writeJsonAtomic } from "../registry/atomic-file.ts";
import { writeGrid } from "../train/sample-grid.ts";
import {
  type BankChoice,
  CANDIDATE_SEED_START,
  chooseBank,
  copyThreshold,
  drawFaces,
  matchReferences,
  ranking,
  scoreCandidates,
} from "./curation.ts";
import {
  classifierJudge,
  discriminatorJudge,
  type Judge,
  judgeReals,
  REALISM_REALS,
  type RealismJudge,
  realDescriptors,
  realismJudge,
} from "./panel.ts";

export interface CurateOptions {
  candidates: number;
  /** Pool faces evaluations measure against (never shown to a judge); the rest train the classifier. */
  referenceSamples?: number;
  keep: number;
  /** The shortlist analysed with face-api, as a multiple of the bank's size (room for what is left out). */
  shortlist: number;
  /** "matched": the realism judge's analyses, selected by matching the judge reals' distribution (curation.ts). */
  judge: "matched" | "realism" | "classifier" | "discriminator";
  models: string;
  pool: string;
  data: string;
  cache: string;
  backend: BackendRequest;
  grids: boolean;
}

export interface CurateResult {
  bank: SeedBank;
  file: string;
  nearCopies: number;
  nearDuplicates: number;
  wallSeconds: number;
}

export async function curate(version: string, opts: CurateOptions): Promise<CurateResult> {
  const started = performance.now();
  const source = await openGenerator(version, { modelsDir: opts.models });
  if (source.version === null)
    throw new UserError(`${version} is not a version in ${opts.models}: a bank belongs to one.`);
  const versionDir = path.join(opts.models, source.version);
  const bars = phaseProgress();
  try {
    // The pool faces evaluations measure against: the judges learn only from the rest.
    const evaluation = { samples: opts.referenceSamples ?? DEFAULT_SAMPLES, seed: DEFAULT_SEED };
    const references = await loadReferences({
      ...evaluation,
      truncation: null,
      poolDir: opts.pool,
      dataDir: opts.data,
      cacheDir: opts.cache,
      phase: bars.phase,
    });
    const judge = await openJudge(opts, versionDir, source, evaluation, bars.phase);
    const size = references.pool.images.size;
    const seeds = Array.from({ length: opts.candidates }, (_, i) => CANDIDATE_SEED_START + i);
    const scores = await scoreCandidates(
      source.model,
      seeds,
      source.truncation,
      size,
      judge.score,
      bars.phase(`scoring (${judge.name})`, seeds.length),
    );
    judge.dispose();

    const keep = Math.max(1, Math.round(opts.keep * opts.candidates));
    const copy = copyThreshold(
      references.reals.map((r) => r.descriptor),
      references.trainingDescriptors,
    );
    const choice =
      opts.judge === "matched"
        ? matchedBank(
            judge as RealismJudge,
            seeds,
            scores,
            references.trainingDescriptors,
            copy,
            keep,
            source.truncation,
          )
        : await rankedBank(judge, seeds, scores, {
            source,
            size,
            bars,
            references,
            copy,
            keep,
            shortlist: opts.shortlist,
          });
    if (choice.seeds.length === 0)
      throw new UserError("every shortlisted face was a near copy or duplicate: no bank written");
    const bank = SeedBankSchema.parse({
      version: source.version,
      judge:
        opts.judge === "matched"
          ? `matched to ${(judge as RealismJudge).matchingReals.length} judge reals' face descriptors (nearest untaken candidate each); scores: ${judge.label}`
          : judge.label,
      candidates: opts.candidates,
      seeds: choice.seeds,
    });
    const file = path.join(versionDir, SEED_BANK_FILE);
    writeJsonAtomic(file, bank);
    if (opts.grids) await writeGrids(source.model, source.truncation, bank, versionDir, seeds.slice(0, 64));
    return { bank, file, ...choice, wallSeconds: (performance.now() - started) / 1000 };
  } finally {
    bars.stop();
  }
}

interface RankedContext {
  source: Awaited<ReturnType<typeof openGenerator>>;
  size: number;
  bars: ReturnType<typeof phaseProgress>;
  references: Awaited<ReturnType<typeof loadReferences>>;
  copy: number;
  keep: number;
  shortlist: number;
}

/** The best-scored candidates, analysed with face-api, near copies and duplicates left out. */
async function rankedBank(
  judge: Judge,
  seeds: number[],
  scores: Float32Array,
  { source, size, bars, references, copy, keep, shortlist }: RankedContext,
): Promise<BankChoice> {
  const shortlisted = ranking(scores).slice(0, Math.min(seeds.length, Math.ceil(keep * shortlist)));
  const shortSeeds = shortlisted.map((i) => seeds[i] as number);
  // The realism judge analysed every candidate already; the others' shortlist is analysed here.
  const analyses =
    "analyses" in judge
      ? shortlisted.map((i) => (judge as RealismJudge).analyses[i] as FaceAnalysis)
      : await analyseFaces(
          await drawFaces(source.model, shortSeeds, source.truncation, size),
          bars.phase("shortlist: face-api", shortSeeds.length),
        );
  return chooseBank(
    shortSeeds.map((seed, i) => ({
      seed,
      score: scores[shortlisted[i] as number] as number,
      analysis: analyses[i] as FaceAnalysis,
    })),
    references.trainingDescriptors,
    { copy, duplicate: copy },
    keep,
    source.truncation,
  );
}

/** Candidates matched to the judge reals' distribution (each keeps its realism score), near copies left out. */
function matchedBank(
  judge: RealismJudge,
  seeds: number[],
  scores: Float32Array,
  trainingDescriptors: Float32Array[],
  copy: number,
  keep: number,
  truncation: number | null,
): BankChoice {
  const descriptors = judge.analyses.map((a) => a.descriptor);
  const copies = nearestNeighbours(descriptors, trainingDescriptors).map((n) => n.distance < copy);
  const { picked, nearDuplicates } = matchReferences(descriptors, judge.matchingReals, keep, {
    eligible: (i) => !copies[i],
    duplicate: copy,
  });
  return {
    seeds: picked.map((i) => ({ seed: seeds[i] as number, truncation, score: scores[i] as number })),
    nearCopies: copies.filter(Boolean).length,
    nearDuplicates,
  };
}

async function openJudge(
  opts: CurateOptions,
  versionDir: string,
  source: Awaited<ReturnType<typeof openGenerator>>,
  evaluation: { samples: number; seed: number },
  phase: PhaseProgress,
): Promise<Judge> {
  if (opts.judge === "realism" || opts.judge === "matched") {
    const reals = await judgeReals(opts.pool, evaluation);
    if (opts.judge === "realism") return realismJudge(await realDescriptors(opts.cache, reals, REALISM_REALS, phase));
    // Matching cycles through the reals once per bank-sized share: all of them, fewer second choices. The
    // realism score each kept seed records still uses the usual 1,000 (its cost grows with their number).
    const all = await realDescriptors(opts.cache, reals, reals.count, phase);
    return realismJudge(all.slice(0, REALISM_REALS), all);
  }
  if (opts.judge === "discriminator") {
    const judge = await discriminatorJudge(versionDir);
    if (!judge) throw new UserError(`${versionDir} has no exported discriminator; use --judge classifier`);
    return judge;
  }
  return classifierJudge(source.model, source.truncation, await judgeReals(opts.pool, evaluation), phase);
}

/** grid-random.png (the first 64 candidates, as `random` serves) and grid-curated.png (the bank's 64 best). */
async function writeGrids(
  model: Parameters<typeof drawFaces>[0],
  truncation: number | null,
  bank: SeedBank,
  dir: string,
  randomSeeds: number[],
): Promise<void> {
  for (const [name, seeds] of [
    ["grid-random.png", randomSeeds],
    ["grid-curated.png", bank.seeds.slice(0, 64).map((s) => s.seed)],
  ] as const) {
    await writeGrid(await drawFaces(model, seeds, truncation, 64), path.join(dir, name));
  }
}

// ---- command line -------------------------------------------------------------------------------

export function curateProgram(): Command {
  return commandLine("model:curate")
    .description("Score random latents of a version with a realism judge and write its seed bank")
    .argument("<version>", "a version in the models folder")
    .option("-n, --candidates <n>", "random latents to score", positiveInteger, 20_000)
    .option("--keep <share>", "share of the candidates kept in the bank", share, 0.1)
    .option("--shortlist <x>", "faces analysed with face-api, as a multiple of the bank's size", numberAtLeast(1), 1.5)
    .addOption(
      new Option("--judge <name>", "the realism judge (docs/curation.md: chosen by measurement)")
        .choices(["matched", "realism", "classifier", "discriminator"])
        .default("realism"),
    )
    .option("--pool <dir>", "quiz pool of held-out real faces", QUIZ_POOL_DIR)
    .option("--data <dir>", "prepared data (training faces)", DATA_DIR)
    .option("--cache <dir>", "cache of real faces' analyses", FACE_CACHE_DIR)
    .option("--models <dir>", "models folder", MODELS_DIR)
    .option("--no-grids", "skip the two 64-face grids")
    .addOption(new Option("--backend <name>", "tfjs backend").choices(BACKEND_REQUESTS).default("auto"))
    .action(async (version: string, opts: CurateOptions) => {
      await selectBackend(opts.backend, { log: (m) => console.error(m) });
      const result = await curate(version, opts);
      const { bank } = result;
      const scores = bank.seeds.map((s) => s.score);
      console.log(
        [
          `Bank of ${bank.seeds.length} seeds from ${bank.candidates} candidates written to ${path.relative(process.cwd(), result.file)}`,
          `  judge: ${bank.judge}`,
          `  scores ${Math.min(...scores).toFixed(3)} … ${Math.max(...scores).toFixed(3)}; passed over: ${result.nearCopies} near copies, ${result.nearDuplicates} near duplicates`,
          `  ${result.wallSeconds.toFixed(0)} s in all`,
        ].join("\n"),
      );
    });
}

if (isEntryPoint(import.meta.url)) runCommand("model:curate", () => curateProgram().parseAsync());
