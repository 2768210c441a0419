/**
 * How a round's fake was sampled. `random`: a uniform latent seed (or a replay of one). `curated`: a seed
 * from the version's seed bank (seed-bank.ts), picked offline by a realism judge. Recorded with every
 * round so the statistics can be split by policy; never sent to the player. Pure: the server, the
 * statistics and the curation tool share it.
 */
import { z } from "zod";

export const SAMPLING_POLICIES = ["random", "curated"] as const;
export type SamplingPolicy = (typeof SAMPLING_POLICIES)[number];

/**
 * A version's mix of policies in the rotation config: relative weights, e.g. `{"curated": 1, "random": 1}`.
 * Absent means random only; all-zero weights are refused, because they would leave the version unplayable.
 */
export const PolicyMixSchema = z
  .partialRecord(z.enum(SAMPLING_POLICIES), z.number().nonnegative().finite())
  .refine((mix) => Object.values(mix).some((weight) => (weight ?? 0) > 0), {
    message: "a policy mix needs at least one positive weight",
  });
export type PolicyMix = z.infer<typeof PolicyMixSchema>;

export const RANDOM_ONLY: PolicyMix = { random: 1 };
