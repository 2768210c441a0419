/**
 * What the end-to-end server needs before it starts, made fresh in the run's temporary folder:
 * - a small quiz pool: data preparation on the first 120 CelebA images (a dozen identity-disjoint real faces
 *   in about a second), the same code path as the real pool;
 * - a generator, only when none is shipped in public/models yet: a tiny untrained one (see playwright.config.ts).
 */

import { CELEBA_DIR, DATA_DIR, MODELS_DIR, QUIZ_POOL_DIR } from "../../config/settings.ts";
import { activeModel } from "../../scripts/active-model.ts";
import { prepareData } from "../../training/data/prepare.ts";
import { writeRandomGenerator, writeRegistry } from "./random-generator.ts";

const E2E_IMAGES = 120;
const STAND_IN_VERSION = "e2e-untrained";

if (!activeModel(MODELS_DIR)) {
  await writeRandomGenerator(MODELS_DIR, STAND_IN_VERSION);
  writeRegistry(MODELS_DIR, [STAND_IN_VERSION]);
  console.log(`e2e generator: no model shipped yet, using an untrained stand-in in ${MODELS_DIR}`);
}

const summary = await prepareData({
  celebaDir: CELEBA_DIR,
  dataDir: DATA_DIR,
  poolDir: QUIZ_POOL_DIR,
  // Real faces at the generator's size, as npm start cuts them.
  imageSize: activeModel(MODELS_DIR)?.metadata.architecture.imageSize ?? 64,
  limit: E2E_IMAGES,
});
console.log(`e2e quiz pool: ${summary.pool} real faces in ${QUIZ_POOL_DIR}`);
