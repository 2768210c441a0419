/**
 * Plays the game the way a person does: with the mouse (or a finger) or with the keyboard only. No test
 * hook in the page: everything goes through visible controls, roles and labels.
 */
import path from "node:path";
import { expect, type Page, type TestInfo } from "@playwright/test";
import { activeModel } from "../../scripts/active-model.ts";
import { ROUND_MODES, type RoundMode } from "../../src/core/round-modes.ts";

export type Input = "mouse" | "keyboard";

const MODE_LABEL: Record<RoundMode, RegExp> = { pair: /^Pair/, single: /^Single/, timed: /^Timed/ };
export const ROUNDS = 10;

/** The side of the faces: the active generator's output size (the server's MODELS_DIR, see the config). */
export function modelImageSize(): number {
  const active = activeModel(path.resolve(process.env.E2E_MODELS_DIR ?? "public/models"));
  if (!active) throw new Error("no active generator for the end-to-end server");
  return active.metadata.architecture.imageSize;
}

/** Islands are server-rendered first; a click before they hydrate would hit a button with no handler yet. */
export async function waitForIslands(page: Page): Promise<void> {
  await expect(page.locator("astro-island[ssr]")).toHaveCount(0);
}

export async function startGame(page: Page, mode: RoundMode, input: Input): Promise<void> {
  await page.goto("/");
  await expect(page.getByRole("heading", { name: "Which face is real?" })).toBeVisible();
  await waitForIslands(page);
  if (input === "mouse") {
    await page.getByLabel(MODE_LABEL[mode]).check();
    await page.getByRole("button", { name: /^Play/ }).click();
    return;
  }
  // Tab to the mode radios (the checked one takes focus), arrow to the mode, Tab to Play, Enter.
  for (let tab = 0; tab < 20; tab++) {
    await page.keyboard.press("Tab");
    if (await page.evaluate(() => (document.activeElement as HTMLInputElement | null)?.name === "mode")) break;
  }
  for (let step = 0; step < ROUND_MODES.indexOf(mode); step++) await page.keyboard.press("ArrowRight");
  await expect(page.getByLabel(MODE_LABEL[mode])).toBeChecked();
  await page.keyboard.press("Tab");
  await expect(page.getByRole("button", { name: /^Play/ })).toBeFocused();
  await page.keyboard.press("Enter");
}

/** Waits until a round's faces are on screen and answers are accepted. */
export async function waitForRound(page: Page, round: number): Promise<void> {
  await expect(page.locator(".round-count")).toContainText(`Round ${round + 1} of ${ROUNDS}`, { timeout: 30_000 });
  await expect(page.locator("section.round")).toHaveAttribute("aria-busy", "false", { timeout: 30_000 });
}

/**
 * Every face canvas has the model's size and holds a picture: opaque everywhere (a cleared canvas is
 * transparent) and not one flat colour. Even an untrained stand-in generator draws a few dozen colours.
 */
export async function expectFacesDrawn(page: Page, count: number, size: number): Promise<void> {
  const faces = await page.locator("canvas.face-canvas").evaluateAll((canvases) =>
    canvases.map((node) => {
      const canvas = node as HTMLCanvasElement;
      const data =
        canvas.getContext("2d")?.getImageData(0, 0, canvas.width, canvas.height).data ?? new Uint8ClampedArray();
      let opaque = data.length > 0;
      const colours = new Set<number>();
      for (let i = 0; i < data.length; i += 4) {
        if (data[i + 3] !== 255) opaque = false;
        colours.add(((data[i] ?? 0) << 16) | ((data[i + 1] ?? 0) << 8) | (data[i + 2] ?? 0));
      }
      return { width: canvas.width, height: canvas.height, opaque, colours: colours.size };
    }),
  );
  expect(faces).toHaveLength(count);
  for (const face of faces) {
    expect(face).toMatchObject({ width: size, height: size, opaque: true });
    expect(face.colours).toBeGreaterThan(8);
  }
}

/** Answers the current round: alternates sides and verdicts so games mix right and wrong answers. */
export async function answer(page: Page, mode: RoundMode, input: Input, round: number): Promise<boolean> {
  const left = round % 2 === 0;
  const real = round % 3 !== 0;
  if (mode === "pair") {
    if (input === "mouse") await page.getByRole("button", { name: left ? "Left face" : "Right face" }).click();
    else await page.keyboard.press(left ? "ArrowLeft" : "ArrowRight");
  } else if (input === "mouse") {
    await page.getByRole("button", { name: real ? /^Real/ : /^Fake/ }).click();
  } else {
    await page.keyboard.press(real ? "r" : "f");
  }
  await expect(page.locator(".reveal")).toBeVisible();
  await expect(page.locator(".face-badge")).toHaveCount(mode === "pair" ? 2 : 1);
  return (await page.locator(".verdict strong").textContent()) === "Right!";
}

export async function nextRound(page: Page, input: Input): Promise<void> {
  const next = page.locator(".next-button");
  if (input === "mouse") await next.click();
  else {
    // The reveal puts focus on "Next"; Enter is the keyboard player's way on.
    await expect(next).toBeFocused();
    await page.keyboard.press("Enter");
  }
}

export async function snap(page: Page, testInfo: TestInfo, name: string): Promise<void> {
  const file = testInfo.outputPath(`${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  await testInfo.attach(name, { path: file, contentType: "image/png" });
}

/** Plays a whole game; the summary must show as many right answers as the reveals said. */
export async function playGame(page: Page, testInfo: TestInfo, mode: RoundMode, input: Input): Promise<void> {
  const size = modelImageSize();
  let right = 0;
  await startGame(page, mode, input);
  for (let round = 0; round < ROUNDS; round++) {
    await waitForRound(page, round);
    // Timed faces are masked after their flash; the reveal shows the face again, so check it there.
    if (mode !== "timed") await expectFacesDrawn(page, mode === "pair" ? 2 : 1, size);
    if (round === 0) await snap(page, testInfo, `${mode}-${input}-round`);
    if (await answer(page, mode, input, round)) right++;
    if (mode === "timed") await expectFacesDrawn(page, 1, size);
    if (round === 0) await snap(page, testInfo, `${mode}-${input}-reveal`);
    await nextRound(page, input);
  }
  await expect(page.getByTestId("final-score")).toHaveText(`${right}/${ROUNDS}`);
  await expect(page.getByTestId("share-card")).toBeVisible();
  await snap(page, testInfo, `${mode}-${input}-summary`);
}
