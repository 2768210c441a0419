/**
 * The open-data export as a visitor gets it: the leaderboard's link downloads a CSV file (not a page), whose
 * rows have the documented columns. The numbers themselves are checked against the leaderboard by the API
 * contract test, where no other test is adding judgments at the same time.
 */
import { readFile } from "node:fs/promises";
import { expect, test } from "@playwright/test";
import { ROUND_MODES } from "../src/core/round-modes.ts";

const COLUMNS = "time,player,version,mode,policy,faces,seed,truncation,verdict,correct,response_ms,elapsed_ms";

test("the leaderboard links a CSV of every counted judgment", async ({ page }) => {
  // A few counted judgments of our own (slower than the response floor), so the file has rows to check.
  const rounds = [];
  for (let i = 0; i < 3; i++)
    rounds.push(await (await page.request.post("/api/rounds", { data: { mode: "single" } })).json());
  await page.waitForTimeout(400);
  for (const round of rounds) {
    const reply = await page.request.post(`/api/rounds/${round.id}/answer`, { data: { verdict: "real" } });
    expect(reply.status()).toBe(200);
  }
  await page.goto("/leaderboard");
  const link = page.getByRole("link", { name: /Download every counted judgment/ });
  await expect(link).toBeVisible();
  const [download] = await Promise.all([page.waitForEvent("download"), link.click()]);
  expect(download.suggestedFilename()).toBe("spot-the-fake-judgments.csv");
  const text = await readFile((await download.path()) as string, "utf8");
  const [header, ...rows] = text.trimEnd().split("\n");
  expect(header).toBe(COLUMNS);
  expect(rows.length).toBeGreaterThanOrEqual(rounds.length);
  for (const row of rows) {
    const [time, player, version, mode, policy, faces, , , verdict, correct] = row.split(",");
    expect(Number.isNaN(Date.parse(time ?? ""))).toBe(false);
    expect(player).toMatch(/^p[\w-]{12}$/);
    expect(version).toMatch(/^[a-z0-9][a-z0-9._-]*$/);
    expect(ROUND_MODES).toContain(mode);
    expect(["random", "curated"]).toContain(policy);
    expect(["fake+real", "fake", "real"]).toContain(faces);
    expect(["real", "fake"]).toContain(verdict);
    expect(["0", "1"]).toContain(correct);
  }
});
