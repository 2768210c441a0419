/**
 * Reading the CelebA "aligned & cropped" folder: identities, image files, and the face crop.
 *
 * The crop frames the face like the classic CelebA-64 sets: the 70×70 square at (10, 20) of the
 * 89×109 half-resolution images (platform notes), scaled for other resolutions of the same framing.
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import sharp, { type Metadata } from "sharp";
import { UserError } from "../cli/user-error.ts";

export const IMAGE_FOLDER = "img_align_celeba";
export const IDENTITY_FILE = "identity_CelebA.txt";

/** The aligned images' framing, measured on the 89×109 copies; 178×218 originals scale by 2. */
const ALIGNED = { width: 89, height: 109, crop: { left: 10, top: 20, side: 70 } } as const;

export interface CelebaFace {
  source: string;
  identity: number;
}

export function readIdentities(celebaDir: string): Map<string, number> {
  const file = path.join(celebaDir, IDENTITY_FILE);
  if (!existsSync(file)) {
    throw new UserError(
      `${file} is missing: the identity split needs CelebA's identity_CelebA.txt beside ${IMAGE_FOLDER}/.`,
    );
  }
  const identities = new Map<string, number>();
  for (const line of readFileSync(file, "utf8").split(/\r?\n/)) {
    const [name, id] = line.trim().split(/\s+/);
    if (name && id) identities.set(name, Number(id));
  }
  return identities;
}

/** Every .jpg in the image folder that has an identity, sorted by name so the order is reproducible. */
export function listFaces(celebaDir: string): CelebaFace[] {
  const folder = path.join(celebaDir, IMAGE_FOLDER);
  if (!existsSync(folder)) {
    throw new UserError(
      `No CelebA images at ${folder}. Point --celeba (or CELEBA_DIR) at a folder holding ${IMAGE_FOLDER}/ and ${IDENTITY_FILE}.`,
    );
  }
  const identities = readIdentities(celebaDir);
  const names = readdirSync(folder)
    .filter((name) => name.toLowerCase().endsWith(".jpg"))
    .sort();
  if (names.length === 0) throw new UserError(`${folder} holds no .jpg images.`);
  return names.map((source) => {
    const identity = identities.get(source);
    if (identity === undefined) {
      throw new UserError(`${source} has no line in ${IDENTITY_FILE}: is this folder really CelebA's aligned set?`);
    }
    return { source, identity };
  });
}

/**
 * Crop the face square and resize it to `size`×`size` RGB (uint8, HWC). Images must have the aligned
 * set's proportions; anything else would crop the wrong region, so it is refused with the file named.
 */
export async function cropFace(file: string, size: number): Promise<Buffer> {
  let meta: Metadata;
  try {
    meta = await sharp(file).metadata();
  } catch (error) {
    throw new UserError(`${file} is not a readable image (${(error as Error).message}). Replace or remove it.`);
  }
  const { width = 0, height = 0 } = meta;
  const scale = width / ALIGNED.width;
  if (Math.abs(height - ALIGNED.height * scale) > 1.5 * scale || scale < 0.95) {
    throw new UserError(
      `${file} is ${width}×${height}; expected CelebA aligned images (89×109 or 178×218). ` +
        "Use the img_align_celeba set, or remove this file.",
    );
  }
  const side = Math.round(ALIGNED.crop.side * scale);
  const region = {
    left: Math.round(ALIGNED.crop.left * scale),
    top: Math.round(ALIGNED.crop.top * scale),
    width: side,
    height: side,
  };
  return sharp(file)
    .extract(region)
    .resize(size, size, { kernel: "lanczos3" })
    .removeAlpha()
    .toColorspace("srgb")
    .raw()
    .toBuffer();
}
