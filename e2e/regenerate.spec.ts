/**
 * Any fake can be regenerated from (model version, seed, truncation): the face a player is shown in a round
 * is the face Node draws for the round's model, seed and truncation, because both take z from
 * src/core/noise.ts and run the same weights.
 */
import path from "node:path";
import { expect, test } from "@playwright/test";
import * as tf from "@tensorflow/tfjs";
import { generateFaces } from "../src/core/generate-faces.ts";
import type { RoundFace, RoundView } from "../src/core/rounds-api.ts";
import { selectBackend } from "../training/backends/select.ts";
import { loadLayersModelFromDisk } from "../training/export/model-files.ts";
import { modelImageSize, startGame, waitForRound } from "./support/game-driver.ts";

type GeneratedFace = Extract<RoundFace, { source: "generated" }>;

test("the fake a round shows equals Node's for the round's model, seed and truncation", async ({ page }) => {
  const size = modelImageSize();
  // The player's remembered backend is tried first: wasm, so the tolerance below is wasm's against cpu.
  await page.addInitScript(() => localStorage.setItem("spot-the-fake:backend", "wasm"));
  // The first round created is the first one shown (the queue prepares rounds in order).
  const created = page.waitForResponse((r) => r.url().endsWith("/api/rounds") && r.request().method() === "POST");
  await startGame(page, "pair", "mouse");
  const round = (await (await created).json()) as RoundView;
  await waitForRound(page, 0);

  const slots = [...round.faces].sort((a, b) => a.slot - b.slot);
  const fakeIndex = slots.findIndex((face) => face.source === "generated");
  const fake = slots[fakeIndex] as GeneratedFace;
  expect(fake).toMatchObject({ source: "generated" });
  const browserRgba = await page
    .locator(".faces > .face-tile canvas")
    .nth(fakeIndex)
    .evaluate((canvas: HTMLCanvasElement) =>
      Array.from(
        (canvas.getContext("2d") as CanvasRenderingContext2D).getImageData(0, 0, canvas.width, canvas.height).data,
      ),
    );

  await selectBackend("cpu", { log: () => {} });
  const modelsDir = process.env.E2E_MODELS_DIR as string;
  const generator = await loadLayersModelFromDisk(path.join(modelsDir, fake.model, "model.json"));
  const { pixels: nodeRgb } = await generateFaces(tf, generator, [fake]);
  expect(browserRgba).toHaveLength(size * size * 4);
  let worst = 0;
  for (let p = 0; p < size * size; p++) {
    for (let c = 0; c < 3; c++)
      worst = Math.max(worst, Math.abs((browserRgba[p * 4 + c] as number) - (nodeRgb[p * 3 + c] as number)));
  }
  // wasm (browser) and cpu (Node) round floats differently; a different seed would differ by ~100.
  expect(worst).toBeLessThanOrEqual(3);
  // The comparison can tell faces apart: the neighbouring seed's face differs in many pixels.
  const { pixels: otherSeed } = await generateFaces(tf, generator, [{ ...fake, seed: fake.seed + 1 }]);
  const differs = Array.from(otherSeed).filter((v, i) => Math.abs(v - (nodeRgb[i] ?? 0)) > 3).length;
  expect(differs).toBeGreaterThan(size * size);
});
