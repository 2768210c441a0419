/**
 * The evaluation's results: a table for the terminal, and where they are kept — the version's
 * metadata.json (and its copy in the registry), or evaluation.json beside a checkpoint or bare model.
 */
import type { ModelMetrics } from "../../src/core/model-manifest.ts";
import { formatTable } from "../cli/text-table.ts";
import { writeJsonAtomic } from "../registry/atomic-file.ts";
import { recordEvaluation } from "../registry/operations.ts";
import { SAME_PERSON_THRESHOLD } from "./distance.ts";
import type { GeneratorSource } from "./generator-source.ts";
import { MANIFOLD_K } from "./manifold.ts";
import { NEAR_COPY_QUANTILE } from "./memorisation.ts";

export function formatMetrics(label: string, m: ModelMetrics): string {
  const realN = m.realSamples ?? m.samples;
  const trainingN = m.trainingFaces ?? "?";
  const rows = [
    ["face detection rate", pct(m.detectionRate), pct(m.realDetectionRate), "higher is better"],
    [
      "mean detector score",
      num(m.meanDetectionScore, 3),
      opt(m.realMeanDetectionScore, 3),
      "best score per face, 0 if none",
    ],
    ["face FD", num(m.faceFd, 4), "—", `all ${m.samples} fakes vs all ${realN} real faces: the number deploys compare`],
    [
      "face FD, half size",
      opt(m.halfFaceFd, 4),
      num(m.realVsRealFd, 4),
      "vs one real half; reals: the other half (no shared person)",
    ],
    [
      `memorised (< ${SAME_PERSON_THRESHOLD})`,
      pct(m.memorisationShare),
      optPct(m.realMemorisationShare),
      `detected faces with one of the ${trainingN} sampled training faces that close (look-alikes count)`,
    ],
    [
      `near copies (< ${opt(m.copyThreshold, 3)})`,
      optPct(m.nearCopyShare),
      pct(NEAR_COPY_QUANTILE),
      "closer to a training face than 99 % of unseen people get",
    ],
    [
      "median nearest training",
      opt(m.nearestTrainingMedian, 3),
      opt(m.realNearestTrainingMedian, 3),
      "descriptor distance",
    ],
    ["diversity", num(m.diversity, 3), num(m.realDiversity, 3), "mean pairwise distance; low = mode collapse"],
    [
      `precision (k = ${MANIFOLD_K})`,
      optPct(m.precision),
      "—",
      "fakes inside the real faces' manifold, face by face (the descriptors place many broken faces inside)",
    ],
    [
      "precision, half size",
      optPct(m.halfPrecision),
      optPct(m.realPrecision),
      "vs one real half; reals: the other half",
    ],
    [
      `recall (k = ${MANIFOLD_K})`,
      optPct(m.recall),
      "—",
      "real faces inside the fakes' manifold: low = kinds of face missing",
    ],
    ["recall, half size", optPct(m.halfRecall), optPct(m.realRecall), "vs one real half; reals: the other half"],
  ];
  const truncation = m.truncation === null ? "none" : String(m.truncation);
  const facts = [
    `${label}: ${m.samples} fakes (seeds ${m.seed ?? "?"}…, truncation ${truncation}) vs ${realN} held-out real faces`,
    `memorisation against ${trainingSample(m)}; protocol ${m.protocol ?? "?"}; ${m.wallSeconds?.toFixed(0) ?? "?"} s`,
  ];
  const closest = (m.closestPairs ?? []).map((p) => `seed ${p.seed} ~ ${p.source} (${p.distance.toFixed(3)})`);
  const pairs = closest.length > 0 ? `\n\nClosest to a training face: ${closest.join(", ")}` : "";
  return `${facts.join("\n")}\n\n${formatTable(["metric", "fakes", "real faces", "note"], rows)}${pairs}`;
}

/** Says whether the training faces compared with were all of them or a sample (older metrics lack the total). */
function trainingSample(m: ModelMetrics): string {
  if (m.trainingFaces === undefined) return "? training faces";
  if (m.trainingFacesTotal === undefined || m.trainingFacesTotal === m.trainingFaces)
    return `all ${m.trainingFaces} training faces`;
  return `a fixed sample of ${m.trainingFaces} of the ${m.trainingFacesTotal} training faces, spread over people`;
}

/** Keeps the metrics; returns where they went (null: nowhere, e.g. a random init). */
export async function saveMetrics(
  source: GeneratorSource,
  metrics: ModelMetrics,
  modelsDir: string,
): Promise<string | null> {
  if (source.metadata && source.metadataFile) {
    writeJsonAtomic(source.metadataFile, { ...source.metadata, metrics });
    if (source.version) await recordEvaluation(modelsDir, source.version);
    return source.metadataFile;
  }
  if (source.resultFile) {
    writeJsonAtomic(source.resultFile, { source: source.label, metrics });
    return source.resultFile;
  }
  return null;
}

const pct = (share: number) => `${(share * 100).toFixed(1)} %`;
const num = (value: number, digits: number) => value.toFixed(digits);
const opt = (value: number | undefined, digits: number) => (value === undefined ? "—" : value.toFixed(digits));
const optPct = (value: number | undefined) => (value === undefined ? "—" : pct(value));
