/**
 * The deploy gate: the game must only get better, so a candidate whose face FD or detection rate is worse
 * than the best active version's, beyond a margin, is refused (unless the operator forces it).
 */
import type { ModelMetrics } from "../../src/core/model-manifest.ts";

export interface Margins {
  /** Allowed FD excess, relative to the best active FD (0.1: up to 10 % higher). */
  fdRelative: number;
  /** Allowed detection-rate shortfall, absolute (0.02: up to 2 points lower). */
  detectionAbsolute: number;
}

/**
 * Wide enough that an equally good model usually passes, narrow enough to catch a real step back.
 * FD: one checkpoint evaluated with seeds 1 and 1001 (N = 1,000) gave 0.3715 and 0.3745 (0.8 % apart).
 * Detection on 1,000 fakes is binomial: at 65 % its standard error is 1.5 points, so two equally good models
 * differ by more than 3 points about 8 % of the time (2 points: 17 %).
 */
export const DEFAULT_MARGINS: Margins = { fdRelative: 0.1, detectionAbsolute: 0.03 };

export interface Evaluated {
  version: string;
  metrics?: ModelMetrics | undefined;
}

export interface Verdict {
  accepted: boolean;
  /** One line per check, with the numbers. */
  lines: string[];
}

export function judge(candidate: Evaluated, active: readonly Evaluated[], margins: Margins = DEFAULT_MARGINS): Verdict {
  const metrics = candidate.metrics;
  if (!metrics) {
    return refuse([`${candidate.version} has no metrics: run npm run model:evaluate -- ${candidate.version}`]);
  }
  const others = active.filter((a) => a.version !== candidate.version);
  if (others.length === 0) return { accepted: true, lines: ["nothing in rotation to compare with"] };
  const unevaluated = others.filter((a) => !a.metrics).map((a) => a.version);
  const rivals = others.flatMap((a) =>
    a.metrics && comparable(a.metrics, metrics) ? [{ version: a.version, metrics: a.metrics }] : [],
  );
  const incomparable = others.filter((a) => a.metrics && !comparable(a.metrics, metrics)).map((a) => a.version);
  const notes = [
    ...unevaluated.map((v) => `${v} (active) has no metrics and is not compared`),
    ...incomparable.map(
      (v) => `${v} (active) was evaluated under another protocol or sample size: re-evaluate it to compare`,
    ),
  ];
  if (rivals.length === 0) return refuse([...notes, "no active version can be compared with this one"]);
  const bestFd = rivals.reduce((best, r) => (r.metrics.faceFd < best.metrics.faceFd ? r : best));
  const bestDetection = rivals.reduce((best, r) => (r.metrics.detectionRate > best.metrics.detectionRate ? r : best));
  const fdLimit = bestFd.metrics.faceFd * (1 + margins.fdRelative);
  const detectionLimit = bestDetection.metrics.detectionRate - margins.detectionAbsolute;
  const fdOk = metrics.faceFd <= fdLimit;
  const detectionOk = metrics.detectionRate >= detectionLimit;
  const lines = [
    ...notes,
    `face FD ${metrics.faceFd.toFixed(4)} vs best active ${bestFd.metrics.faceFd.toFixed(4)} (${bestFd.version}); ` +
      `limit ${fdLimit.toFixed(4)} (+${pct(margins.fdRelative)}): ${fdOk ? "ok" : "WORSE"}`,
    `detection ${pct(metrics.detectionRate)} vs best active ${pct(bestDetection.metrics.detectionRate)} (${bestDetection.version}); ` +
      `limit ${pct(detectionLimit)} (−${(margins.detectionAbsolute * 100).toFixed(1)} points): ${detectionOk ? "ok" : "WORSE"}`,
  ];
  return { accepted: fdOk && detectionOk, lines };
}

/** FD depends on the sample sizes and every number on the protocol: only like is compared with like. */
export function comparable(a: ModelMetrics, b: ModelMetrics): boolean {
  return a.protocol === b.protocol && a.samples === b.samples && a.realSamples === b.realSamples;
}

function refuse(lines: string[]): Verdict {
  return { accepted: false, lines };
}

const pct = (share: number) => `${(share * 100).toFixed(1)} %`;
