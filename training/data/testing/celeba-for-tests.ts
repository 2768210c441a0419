/**
 * The CelebA folder, for tests that read real faces. Where it is missing they fail with one message naming
 * CELEBA_DIR and the folder looked in, rather than with an ENOENT from deep inside a copy or a crop.
 */
import { existsSync } from "node:fs";
import path from "node:path";
import { CELEBA_DIR } from "../../../config/settings.ts";
import { IDENTITY_FILE, IMAGE_FOLDER } from "../celeba.ts";

/** `dir` and `setting` (null: unset) default to what the tests use; a test of the message passes its own. */
export function celebaForTests(
  dir: string = CELEBA_DIR,
  setting: string | null = process.env.CELEBA_DIR ?? null,
): string {
  const missing = [`${IMAGE_FOLDER}/`, IDENTITY_FILE].filter((name) => !existsSync(path.join(dir, name)));
  if (missing.length === 0) return dir;
  const where =
    setting === null
      ? `CELEBA_DIR is not set, so it looked in ${dir}`
      : `CELEBA_DIR=${setting}, so it looked in ${dir}`;
  throw new Error(
    `This test needs the CelebA folder: ${where}, which has no ${missing.join(" and no ")}. ` +
      `Set CELEBA_DIR to the folder holding ${IMAGE_FOLDER}/ and ${IDENTITY_FILE}.`,
  );
}
