/**
 * The shape of `public/models/manifest.json` (the registry of shipped generators) and of each version's
 * `metadata.json`. Pure schemas: the server, the browser and the training tools validate the same files
 * with them.
 */
import { z } from "zod";
import { PolicyMixSchema } from "./sampling-policy.ts";

export const VERSION_PATTERN = /^[a-z0-9][a-z0-9._-]{0,63}$/;

export const ModelMetricsSchema = z.object({
  evaluatedAt: z.string(),
  samples: z.number().int(),
  detectionRate: z.number(),
  meanDetectionScore: z.number(),
  realDetectionRate: z.number(),
  faceFd: z.number(),
  realVsRealFd: z.number(),
  /** Share of the detected fakes whose nearest training face is within the same-person distance. */
  memorisationShare: z.number(),
  /** Mean pairwise descriptor distance of the fakes. */
  diversity: z.number(),
  realDiversity: z.number(),
  truncation: z.number().nullable(),
  // Optional so metadata written before these existed still validates.
  /** Detector, framing and descriptor settings: numbers are only comparable under the same protocol. */
  protocol: z.string().optional(),
  /** First seed of the generated faces (seed, seed + 1, …). */
  seed: z.number().int().optional(),
  realSamples: z.number().int().optional(),
  /**
   * FD of as many fakes as one real half against the other half: the same sample sizes as realVsRealFd,
   * which the full-size faceFd is not (FD shrinks as samples grow).
   */
  halfFaceFd: z.number().optional(),
  realMeanDetectionScore: z.number().optional(),
  /** The same share for held-out real faces: people look alike, so this is the floor, not zero. */
  realMemorisationShare: z.number().optional(),
  nearestTrainingMedian: z.number().optional(),
  realNearestTrainingMedian: z.number().optional(),
  /** Training faces the fakes were compared with: a fixed sample (training/evaluate/real-faces.ts)… */
  trainingFaces: z.number().int().optional(),
  /** …of this many in the prepared training set. */
  trainingFacesTotal: z.number().int().optional(),
  /** Near-copy distance: the 1st percentile of held-out real faces' nearest-training distances. */
  copyThreshold: z.number().optional(),
  /** Share of the detected fakes closer than that to a training face (held-out reals: 1 % by design). */
  nearCopyShare: z.number().optional(),
  /** The fakes nearest to a training face, to look at: seed, training file, descriptor distance. */
  closestPairs: z.array(z.object({ seed: z.number().int(), source: z.string(), distance: z.number() })).optional(),
  /**
   * Improved precision and recall (Kynkäänniemi et al., k = 3) over face descriptors
   * (training/evaluate/manifold.ts): the share of fakes inside the real faces' manifold — per face, so broken
   * faces count, which FD hides — and the share of real faces inside the fakes'.
   */
  precision: z.number().optional(),
  recall: z.number().optional(),
  /** The same with the sample sizes of the real reference: as many fakes as one real half, vs the other half… */
  halfPrecision: z.number().optional(),
  halfRecall: z.number().optional(),
  /** …and one real half against the other: the ceiling. */
  realPrecision: z.number().optional(),
  realRecall: z.number().optional(),
  wallSeconds: z.number().optional(),
});
export type ModelMetrics = z.infer<typeof ModelMetricsSchema>;

export const ModelMetadataSchema = z.object({
  version: z.string().regex(VERSION_PATTERN),
  createdAt: z.string(),
  architecture: z.object({
    kind: z.literal("dcgan"),
    imageSize: z.number().int(),
    ngf: z.number().int(),
    ndf: z.number().int(),
    zDim: z.number().int(),
    generatorParams: z.number().int(),
    /** G's last layer (src/core/dcgan.ts's TO_RGB); absent on cards written before the option: "upsample". */
    toRgb: z.enum(["upsample", "conv"]).optional(),
    /** G's upsampling (UPSAMPLINGS); absent on older cards: "transpose". */
    upsampling: z.enum(["transpose", "resize"]).optional(),
  }),
  /** Truncation the game samples with by default (null: plain normal noise). */
  truncation: z.number().nullable(),
  /** Whether the exported weights are the EMA of G's weights. */
  ema: z.boolean(),
  data: z.object({ images: z.number().int(), identities: z.number().int(), source: z.string() }),
  training: z.object({
    steps: z.number().int(),
    imagesSeen: z.number().int(),
    wallSeconds: z.number(),
    backend: z.string(),
    threads: z.number().int(),
    hyperParameters: z.record(z.string(), z.unknown()),
  }),
  quantization: z.object({
    dtype: z.enum(["uint8", "float16", "float32"]),
    maxPixelError: z.number(),
    meanPixelError: z.number(),
    bytes: z.number().int(),
  }),
  /** File names beside model.json. */
  sampleGrid: z.string(),
  lossCurve: z.string().optional(),
  metrics: ModelMetricsSchema.optional(),
});
export type ModelMetadata = z.infer<typeof ModelMetadataSchema>;

export const ManifestEntrySchema = z.object({
  version: z.string().regex(VERSION_PATTERN),
  status: z.enum(["active", "retired", "candidate"]),
  /** Relative share of new rounds among active versions. */
  weight: z.number().nonnegative(),
  addedAt: z.string(),
  /** A copy of the version's metadata.json (metrics included), so one file describes the registry. */
  metadata: ModelMetadataSchema.optional(),
  /**
   * How this version's rounds sample their fakes, as relative weights (src/core/sampling-policy.ts);
   * absent: random only. `curated` needs the version's bank.json, else those rounds play (and record) random.
   */
  policies: PolicyMixSchema.optional(),
});
export type ManifestEntry = z.infer<typeof ManifestEntrySchema>;

export const ManifestSchema = z.object({
  versions: z.array(ManifestEntrySchema),
  /** Earlier rotations, newest last, so `model:rollback` can restore the one before. */
  history: z.array(z.object({ at: z.string(), versions: z.array(ManifestEntrySchema) })).default([]),
});
export type Manifest = z.infer<typeof ManifestSchema>;
