/**
 * A blind check, as a player sees it: pairs of one held-out real face and one fake of a version, side by side
 * at the game's pair size (320 px, nearest-neighbour, like the game's canvases), order drawn at random.
 *
 *   npm run model:blind-check -- <version> [--pairs 40] [--seed 7] [--out runs/blind-check/<version>]
 *
 * Writes sheets pairs-1.png… (8 numbered pairs each) to look at, and the answers to key.json in the same
 * folder: look at the sheets, write down "left" or "right" for the fake of each pair, then read the key. A
 * second check needs another --seed: the same seed draws the same real faces and the same sides.
 */
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import * as tf from "@tensorflow/tfjs";
import sharp, { type OverlayOptions } from "sharp";
import { MODELS_DIR, QUIZ_POOL_DIR, RUNS_DIR } from "../../config/settings.ts";
import { generateFaces } from "../../src/core/generate-faces.ts";
import { seededUniform } from "../../src/core/noise.ts";
import { selectBackend } from "../backends/select.ts";
import { positiveInteger } from "../cli/numbers.ts";
import { commandLine, isEntryPoint, runCommand } from "../cli/run-command.ts";
import { UserError } from "../cli/user-error.ts";
import { readPoolManifest } from "../data/prepared.ts";
import { FAKES_PER_BATCH, openGenerator } from "./generator-source.ts";

const SHOWN = 320;
const GAP = 16;
const PER_SHEET = 8;

async function main(): Promise<void> {
  const program = commandLine("model:blind-check")
    .argument("<version>", "a version in the models folder")
    .option("--pairs <n>", "pairs to show", positiveInteger, 40)
    .option("--seed <n>", "draws the real faces, the fake seeds and the sides", positiveInteger, 7)
    .option("--out <dir>", "where the sheets and the key go")
    .parse();
  const [version] = program.args as [string];
  const opts = program.opts<{ pairs: number; seed: number; out?: string }>();
  const out = path.resolve(opts.out ?? path.join(RUNS_DIR, "blind-check", version));
  const pool = readPoolManifest(QUIZ_POOL_DIR);
  if (pool === null)
    throw new UserError(`No quiz pool at ${QUIZ_POOL_DIR}: run npm start or npm run data:prepare first.`);

  await selectBackend("auto", { log: () => {} });
  const generator = await openGenerator(version, { modelsDir: MODELS_DIR });
  const random = seededUniform(opts.seed);
  const reals = Array.from({ length: opts.pairs }, () => pool.faces[Math.floor(random() * pool.faces.length)]);
  // Seeds far from the sample grid's (0–63) and the evaluation's (1…1000).
  const seeds = Array.from({ length: opts.pairs }, () => 1_000_000 + Math.floor(random() * 1_000_000));
  const fakes = await generateFaces(
    tf,
    generator.model,
    seeds.map((seed) => ({ seed, truncation: generator.truncation })),
    { size: pool.imageSize, batchSize: FAKES_PER_BATCH },
  );
  const fakeOnLeft = Array.from({ length: opts.pairs }, () => random() < 0.5);

  mkdirSync(out, { recursive: true });
  const size = pool.imageSize;
  const shown = async (raw: Buffer) =>
    sharp(raw, { raw: { width: size, height: size, channels: 3 } })
      .resize(SHOWN, SHOWN, { kernel: "nearest" })
      .png()
      .toBuffer();
  for (let sheet = 0; sheet * PER_SHEET < opts.pairs; sheet++) {
    const rows = Math.min(PER_SHEET, opts.pairs - sheet * PER_SHEET);
    const layers: OverlayOptions[] = [];
    for (let row = 0; row < rows; row++) {
      const i = sheet * PER_SHEET + row;
      const real = readFileSync(path.join(QUIZ_POOL_DIR, reals[i]?.file ?? ""));
      const realRaw = await sharp(real).removeAlpha().raw().toBuffer();
      const fakeRaw = Buffer.from(fakes.pixels.subarray(i * size * size * 3, (i + 1) * size * size * 3));
      const [left, right] = fakeOnLeft[i] ? [fakeRaw, realRaw] : [realRaw, fakeRaw];
      const top = row * (SHOWN + GAP) + GAP;
      const label = Buffer.from(
        `<svg width="60" height="${SHOWN}"><text x="8" y="${SHOWN / 2}" font-size="28" font-family="sans-serif" fill="#222">${i + 1}</text></svg>`,
      );
      layers.push({ input: label, left: 0, top });
      layers.push({ input: await shown(left), left: 60, top });
      layers.push({ input: await shown(right), left: 60 + SHOWN + GAP, top });
    }
    const height = rows * (SHOWN + GAP) + GAP;
    await sharp({ create: { width: 60 + 2 * SHOWN + 2 * GAP, height, channels: 3, background: "#f4f1ea" } })
      .composite(layers)
      .png()
      .toFile(path.join(out, `pairs-${sheet + 1}.png`));
  }
  const key = fakeOnLeft.map((left, i) => ({ pair: i + 1, fake: left ? "left" : "right", seed: seeds[i] }));
  writeFileSync(path.join(out, "key.json"), `${JSON.stringify({ version, seed: opts.seed, key }, null, 1)}\n`);
  console.log(`${opts.pairs} pairs in ${out}/pairs-*.png; the key is in ${path.join(out, "key.json")} — look first.`);
}

if (isEntryPoint(import.meta.url)) runCommand("model:blind-check", main);
