/**
 * The shape of `<quiz pool>/manifest.json`: the real faces the game shows, written by data preparation
 * (training/data/quiz-pool.ts), read by the server (src/server/faces/quiz-pool.ts) and by evaluation.
 * One schema, so a pool the tools accept is one the game can serve.
 */
import { z } from "zod";

export const PoolManifestSchema = z.object({
  imageSize: z.number().int().positive(),
  faces: z.array(
    z.object({
      // Opaque hex ids: they name nothing about the person or the source image, and they appear in no URL.
      id: z.string().regex(/^[0-9a-f]{6,64}$/),
      file: z.string().regex(/^[\w.-]+\.png$/),
      identity: z.number().int(),
      /** The CelebA file it was cropped from: never sent to a player. */
      source: z.string(),
    }),
  ),
});
export type PoolManifest = z.infer<typeof PoolManifestSchema>;
export type PoolFace = PoolManifest["faces"][number];
