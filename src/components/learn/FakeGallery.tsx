/**
 * "Practise on fresh fakes": six faces the current generator draws in the visitor's browser, on request (the
 * model and TensorFlow.js are only downloaded when asked). Every face here is fake, so the tells can be looked
 * for without guessing.
 */
import { useState } from "preact/hooks";
import type { FacePixels } from "../../client/faces/face-pixels.ts";
import { activeModelVersion } from "../../client/generator/active-model.ts";
import { chooseBackend } from "../../client/generator/backend.ts";
import { generateFacePixels } from "../../client/generator/generate.ts";
import { loadGenerator } from "../../client/generator/model.ts";
import { FaceTile } from "../game/FaceTile.tsx";
import "../game/game.css";

const COUNT = 6;

export default function FakeGallery() {
  const [faces, setFaces] = useState<FacePixels[] | null>(null);
  const [status, setStatus] = useState<string | null>(null);
  const draw = async () => {
    try {
      setStatus("Waking up the generator…");
      await chooseBackend();
      const generator = await loadGenerator(await activeModelVersion(), (fraction) =>
        setStatus(`Downloading the generator… ${Math.round(fraction * 100)}%`),
      );
      const seeds = Array.from({ length: COUNT }, () => ({
        seed: (Math.random() * 0xffffffff) >>> 0,
        truncation: null,
      }));
      setFaces(await generateFacePixels(generator, seeds));
      setStatus(null);
    } catch (error) {
      setStatus(error instanceof Error ? error.message : String(error));
    }
  };
  return (
    <div class="gallery">
      {faces && (
        <div class="gallery-grid">
          {faces.map((face, i) => (
            <FaceTile key={i} pixels={face} label={`Fake face ${i + 1}`} badge={{ text: "Fake", tone: "fake" }} />
          ))}
        </div>
      )}
      <button class="button button-primary" type="button" onClick={() => void draw()}>
        {faces ? "Draw six more" : "Show me six fresh fakes"}
      </button>
      {status && (
        <p class="status" role="status">
          {status}
        </p>
      )}
    </div>
  );
}
