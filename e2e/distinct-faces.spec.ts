/**
 * No face twice in a game: a whole game in each mode, watching what the page is sent. Fakes are compared by
 * (model, seed, truncation) from the rounds' JSON, real faces by the bytes of their images (their URLs
 * differ every round by design, so only the picture itself can show a repeat). Only rounds the
 * player answered count: the page may prepare one more round than the game shows.
 */
import { createHash } from "node:crypto";
import { expect, test } from "@playwright/test";
import { ROUND_MODES } from "../src/core/round-modes.ts";
import type { RoundView } from "../src/core/rounds-api.ts";
import { answer, nextRound, ROUNDS, startGame, waitForRound } from "./support/game-driver.ts";

for (const mode of ROUND_MODES) {
  test(`a ${mode} game shows ${ROUNDS} different fakes and real faces`, async ({ page }) => {
    // A whole game and then every real face fetched again: on two busy cores a game alone can take most of the
    // default minute (game.spec.ts measured 49–58 s at load average 8), so this one gets the slow allowance.
    test.slow();
    const rounds = new Map<string, RoundView>();
    const answered: string[] = [];
    const reading: Promise<void>[] = [];
    page.on("request", (request) => {
      const answerOf = /^\/api\/rounds\/([\w-]+)\/answer$/.exec(new URL(request.url()).pathname);
      if (answerOf?.[1] && request.method() === "POST") answered.push(answerOf[1]);
    });
    page.on("response", (response) => {
      const { pathname } = new URL(response.url());
      if (pathname === "/api/rounds" && response.status() === 201) {
        reading.push(response.json().then((round: RoundView) => void rounds.set(round.id, round)));
      }
    });

    await startGame(page, mode, "mouse");
    for (let round = 0; round < ROUNDS; round++) {
      await waitForRound(page, round);
      await answer(page, mode, "mouse", round);
      await nextRound(page, "mouse");
    }
    await expect(page.getByTestId("final-score")).toBeVisible();
    await Promise.all(reading);

    expect(answered).toHaveLength(ROUNDS);
    const shown = answered.map((id) => rounds.get(id));
    expect(shown.every(Boolean)).toBe(true);
    const fakes = shown.flatMap((round) =>
      (round?.faces ?? []).filter((f) => f.source === "generated").map((f) => `${f.model}/${f.seed}/${f.truncation}`),
    );
    // The page's own image responses cannot be read back here (their bodies come back empty), so the test
    // fetches the same per-round URLs, which stay valid for an hour after the round.
    const reals: string[] = [];
    for (const round of shown) {
      for (const face of (round?.faces ?? []).filter((f) => f.source === "real")) {
        const image = await page.request.get(face.url ?? "");
        expect(image.status()).toBe(200);
        reals.push(
          createHash("sha256")
            .update(await image.body())
            .digest("hex"),
        );
      }
    }
    expect(fakes.length + reals.length).toBe(mode === "pair" ? 2 * ROUNDS : ROUNDS);
    expect(new Set(fakes).size, `fakes: ${fakes.join(" ")}`).toBe(fakes.length);
    expect(new Set(reals).size, "real faces").toBe(reals.length);
  });
}
