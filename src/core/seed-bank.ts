/**
 * The seed bank: `<models folder>/<version>/bank.json`, written by the curation tool, read by the server
 * for the `curated` sampling policy. The tool draws `candidates` random latents, has a realism judge score
 * each, and keeps the best as `seeds`; the server then serves fakes only from this list. A version without
 * a (valid) bank plays `random` only.
 */
import { z } from "zod";
import { VERSION_PATTERN } from "./model-manifest.ts";
import { MAX_SEED } from "./noise.ts";

export const SEED_BANK_FILE = "bank.json";

export const SeedBankSchema = z.object({
  /** Must name the folder it sits in: a bank copied to another version would describe other faces. */
  version: z.string().regex(VERSION_PATTERN),
  /** Which judge scored the candidates (name and version), so banks from different judges are told apart. */
  judge: z.string().min(1),
  /** How many random latents were scored to pick these. */
  candidates: z.number().int().positive(),
  seeds: z
    .array(
      z.object({
        seed: z.number().int().min(0).max(MAX_SEED),
        /** The truncation the seed was scored at (null: plain normal noise, as noise.ts reads it). */
        truncation: z.number().positive().nullable(),
        /** The judge's realism score (higher: more convincing); kept for analysis, not used to weight. */
        score: z.number().finite(),
      }),
    )
    .min(1),
});
export type SeedBank = z.infer<typeof SeedBankSchema>;
export type BankSeed = SeedBank["seeds"][number];
