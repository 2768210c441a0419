/**
 * The most convincing fakes are stored as (model, seed, truncation), never as images: each one is drawn
 * again here by the same generator and noise the game used, onto canvases the page marks with those three.
 */
import { drawFace } from "../faces/draw.ts";
import { chooseBackend } from "../generator/backend.ts";
import { generateFacePixels } from "../generator/generate.ts";
import { loadGenerator } from "../generator/model.ts";

export async function regenerateFakes(canvases: readonly HTMLCanvasElement[]): Promise<void> {
  if (canvases.length === 0) return;
  await chooseBackend();
  const byModel = new Map<string, HTMLCanvasElement[]>();
  for (const canvas of canvases) {
    const model = canvas.dataset.model ?? "";
    byModel.set(model, [...(byModel.get(model) ?? []), canvas]);
  }
  for (const [model, group] of byModel) {
    try {
      const generator = await loadGenerator(model);
      const requests = group.map((canvas) => ({
        seed: Number(canvas.dataset.seed),
        truncation: canvas.dataset.truncation ? Number(canvas.dataset.truncation) : null,
      }));
      const faces = await generateFacePixels(generator, requests);
      faces.forEach((face, i) => {
        const canvas = group[i];
        if (canvas && face) drawFace(canvas, face);
      });
    } catch (error) {
      // A retired version's files may be gone; its entries keep their numbers and lose only the picture.
      console.warn(`could not regenerate fakes of ${model}:`, error);
    }
  }
}
