/** The game on a phone-sized touch screen: everything fits the width, faces and answers are reachable by tap. */
import { expect, test } from "@playwright/test";
import { playGame, snap, startGame, waitForRound } from "./support/game-driver.ts";

test("a full single game on a phone", async ({ page }, testInfo) => {
  await playGame(page, testInfo, "single", "mouse");
});

test("a pair round fits a phone screen", async ({ page }, testInfo) => {
  await startGame(page, "pair", "mouse");
  await waitForRound(page, 0);
  await snap(page, testInfo, "phone-pair-round");
  const fits = await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth);
  expect(fits).toBe(true);
  for (const name of ["Left face", "Right face"]) {
    const box = await page.getByRole("button", { name }).boundingBox();
    expect(box).not.toBeNull();
    expect((box?.y ?? 0) + (box?.height ?? 0)).toBeLessThanOrEqual(page.viewportSize()?.height ?? 0);
  }
});
