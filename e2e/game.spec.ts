/**
 * A full game in every mode, once with the mouse and once with the keyboard only, against the real server,
 * database and generator. Screenshots of every screen are attached to the report (and kept in test-results/).
 */
import { expect, test } from "@playwright/test";
import { ROUND_MODES } from "../src/core/round-modes.ts";
import { expectFacesDrawn, type Input, modelImageSize, playGame, snap, waitForIslands } from "./support/game-driver.ts";

const INPUTS: Input[] = ["mouse", "keyboard"];

for (const mode of ROUND_MODES) {
  for (const input of INPUTS) {
    test(`a full ${mode} game with the ${input}`, async ({ page }, testInfo) => {
      const errors: string[] = [];
      page.on("pageerror", (error) => errors.push(error.message));
      await playGame(page, testInfo, mode, input);
      expect(errors).toEqual([]);
      if (mode === "pair" && input === "mouse") {
        // No sign-up: the cookie the server set is the player; a nickname is optional.
        await page.getByLabel(/Put a name on the leaderboard/).fill(`Tester${Date.now() % 10_000}`);
        await page.getByRole("button", { name: "Save" }).click();
        await expect(page.getByRole("status").filter({ hasText: "on the leaderboard as" })).toBeVisible();
      }
    });
  }
}

test("the start screen and the lessons page", async ({ page }, testInfo) => {
  await page.goto("/");
  await expect(page.getByRole("radio", { name: /^Pair/ })).toBeChecked();
  await snap(page, testInfo, "start");
  await page.getByRole("link", { name: "How to spot a fake" }).first().click();
  await expect(page.getByRole("heading", { level: 1, name: "How to spot a fake" })).toBeVisible();
  await expect(page.locator(".tells li")).toHaveCount(8);
  await page.getByRole("button", { name: "Show me six fresh fakes" }).scrollIntoViewIfNeeded();
  await waitForIslands(page);
  await page.getByRole("button", { name: "Show me six fresh fakes" }).click();
  await expect(page.getByRole("button", { name: "Draw six more" })).toBeVisible({ timeout: 30_000 });
  await expectFacesDrawn(page, 6, modelImageSize());
  await snap(page, testInfo, "how-to-spot");
});

test("pages are cross-origin isolated, so wasm may use threads", async ({ page }) => {
  await page.goto("/");
  expect(await page.evaluate(() => window.crossOriginIsolated)).toBe(true);
});
