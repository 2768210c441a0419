/**
 * Turns a round from the server into pixels, ready to show: fakes generated in the browser, reals decoded
 * from the pool. Nothing is shown until every face of the round is ready, and a round without a fake still
 * runs one (discarded) generation, so how long a round takes to appear says nothing about what is in it.
 */

import type { RoundFace, RoundView } from "../../core/rounds-api.ts";
import { decodeRealFace } from "../faces/decode-real.ts";
import type { FacePixels } from "../faces/face-pixels.ts";
import { generateFacePixels } from "../generator/generate.ts";
import { type LoadedGenerator, loadGenerator } from "../generator/model.ts";

export interface PreparedRound {
  round: RoundView;
  /** In slot order, the order the page shows them in. */
  faces: FacePixels[];
}

type GeneratedFace = Extract<RoundFace, { source: "generated" }>;

/** `fallback` is the warmed-up generator: it sets the pixel size of all-real rounds and runs their decoy. */
export async function prepareRound(round: RoundView, fallback: LoadedGenerator): Promise<PreparedRound> {
  const slots = [...round.faces].sort((a, b) => a.slot - b.slot);
  const fakes = slots.filter((face): face is GeneratedFace => face.source === "generated");
  const generated = await generateByModel(fakes, fallback);
  const size = generated.values().next().value?.size ?? fallback.imageSize;
  const faces = await Promise.all(
    slots.map((face) =>
      face.source === "real" ? decodeRealFace(face.url, size) : Promise.resolve(generated.get(face)),
    ),
  );
  return { round, faces: faces.map((face) => face as FacePixels) };
}

async function generateByModel(
  fakes: GeneratedFace[],
  fallback: LoadedGenerator,
): Promise<Map<GeneratedFace, FacePixels>> {
  const pixels = new Map<GeneratedFace, FacePixels>();
  if (fakes.length === 0) {
    await generateFacePixels(fallback, [{ seed: (Math.random() * 0xffffffff) >>> 0, truncation: null }]);
    return pixels;
  }
  for (const version of new Set(fakes.map((face) => face.model))) {
    const batch = fakes.filter((face) => face.model === version);
    const generator = await loadGenerator(version);
    const images = await generateFacePixels(generator, batch);
    batch.forEach((face, i) => {
      pixels.set(face, images[i] as FacePixels);
    });
  }
  return pixels;
}
