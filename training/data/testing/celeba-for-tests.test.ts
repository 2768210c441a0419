import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { IDENTITY_FILE, IMAGE_FOLDER } from "../celeba.ts";
import { celebaForTests } from "./celeba-for-tests.ts";

const temp = () => mkdtempSync(path.join(tmpdir(), "stf-celeba-"));

describe("the CelebA folder for tests", () => {
  it("when missing, says so in one line naming CELEBA_DIR and the folder it looked in", () => {
    const dir = path.join(temp(), "celeba");
    expect(() => celebaForTests(dir, "../elsewhere/celeba")).toThrow(
      new RegExp(
        `^This test needs the CelebA folder: CELEBA_DIR=\\.\\./elsewhere/celeba, so it looked in ${dir}, which has no ` +
          `${IMAGE_FOLDER}/ and no ${IDENTITY_FILE}\\. Set CELEBA_DIR to the folder holding [^\\n]*$`,
      ),
    );
  });

  it("says when CELEBA_DIR is unset and names only what is missing", () => {
    const dir = temp();
    mkdirSync(path.join(dir, IMAGE_FOLDER));
    expect(() => celebaForTests(dir, null)).toThrow(
      `CELEBA_DIR is not set, so it looked in ${dir}, which has no ${IDENTITY_FILE}.`,
    );
  });

  it("returns the folder when it holds the images and the identity file", () => {
    const dir = temp();
    mkdirSync(path.join(dir, IMAGE_FOLDER));
    writeFileSync(path.join(dir, IDENTITY_FILE), "000001.jpg 1\n");
    expect(celebaForTests(dir, dir)).toBe(dir);
  });
});
