/**
 * A full game in every mode, once with the mouse and once with the keyboard only, against the real server,
 * database and generator. Screenshots of every screen are attached to the report (and kept in test-results/).
 */
import { expect, test } from "@playwright/test";
import { type Input, type Mode, playGame, snap } from "./support/game-driver.ts";

const MODES: Mode[] = ["pair", "single", "timed"];
const INPUTS: Input[] = ["mouse", "keyboard"];

for (const mode of MODES) {
  for (const input of INPUTS) {
    test(`a full ${mode} game with the ${input}`, async ({ page }, testInfo) => {
      const errors: string[] = [];
      page.on("pageerror", (error) => errors.push(error.message));
      await playGame(page, testInfo, mode, input);
      expect(errors).toEqual([]);
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
  await snap(page, testInfo, "how-to-spot");
});

test("pages are cross-origin isolated, so wasm may use threads", async ({ page }) => {
  await page.goto("/");
  expect(await page.evaluate(() => window.crossOriginIsolated)).toBe(true);
});
