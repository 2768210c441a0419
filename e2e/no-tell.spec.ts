/**
 * Real and fake faces must reach the page identically: same element, same attributes, same size and scaling,
 * no image URLs or file names in the DOM. Checked on live pair rounds, where one face of each kind is on screen.
 */
import { expect, test } from "@playwright/test";
import { answer, modelImageSize, nextRound, startGame, waitForRound } from "./support/game-driver.ts";

test("real and fake faces are indistinguishable in the DOM", async ({ page }) => {
  const size = modelImageSize();
  await startGame(page, "pair", "mouse");
  for (let round = 0; round < 3; round++) {
    await waitForRound(page, round);
    const tiles = await page.locator(".faces > .face-tile").evaluateAll((nodes) =>
      nodes.map((node) => {
        const canvas = node.querySelector("canvas") as HTMLCanvasElement;
        const style = getComputedStyle(canvas);
        return {
          // Position is the only allowed difference: the neutral label says left or right.
          html: node.outerHTML.replace(/aria-label="(Left|Right) face"/, 'aria-label="…"'),
          width: canvas.width,
          height: canvas.height,
          cssWidth: style.width,
          cssHeight: style.height,
          rendering: style.imageRendering,
        };
      }),
    );
    expect(tiles).toHaveLength(2);
    const [left, right] = tiles;
    expect(left).toEqual(right);
    expect(left?.width).toBe(size);
    expect(left?.rendering).toBe("pixelated");
    expect(left?.html).not.toMatch(/src=|href=|\.png|real|fake|generated|seed/i);
    expect(await page.locator("main img").count()).toBe(0);
    await answer(page, "pair", "mouse", round);
    await nextRound(page, "mouse");
  }
});
