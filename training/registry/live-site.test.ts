/**
 * Retrain → redeploy against the running site: the built server keeps serving while the registry tools
 * change the rotation, and new rounds, the model files and the /models page follow within seconds.
 */
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { REPO_ROOT } from "../../config/settings.ts";
import { buildServer, type RunningServer, startServer } from "../../src/server/testing/built-server.ts";
import { makeQuizPool } from "../../src/server/testing/fixtures.ts";
import { deploy, retire, rollbackRotation } from "./operations.ts";
import { testMetrics, writeVersion } from "./testing/versions.ts";

let folder: string;
let models: string;
let server: RunningServer;

beforeAll(async () => {
  folder = mkdtempSync(path.join(os.tmpdir(), "stf-live-"));
  models = path.join(folder, "models");
  await makeQuizPool(path.join(folder, "pool"), 4);
  await writeVersion(models, "v1", testMetrics({ faceFd: 0.3, detectionRate: 0.7 }));
  await deploy(models, "v1");
  // A build folder of its own: other suites build the shared one, and a build under way breaks a server started from it.
  server = await startServer(buildServer(path.join(REPO_ROOT, "node_modules/.cache/stf-live-build")), {
    DATABASE_URL: `file:${path.join(folder, "game.db")}`,
    QUIZ_POOL_DIR: path.join(folder, "pool"),
    MODELS_DIR: models,
    RATE_LIMIT_SCALE: "100",
  });
}, 240_000);

afterAll(async () => {
  await server?.stop();
  rmSync(folder, { recursive: true, force: true });
});

/**
 * The models whose fakes a few new pair rounds (each from a new player) showed. Pair rounds, because each
 * holds exactly one fake: a single round is real or fake on an even draw, so six of them came back without
 * any fake once in 64 runs and failed the test though the rotation was right.
 */
async function roundModels(count = 6): Promise<Set<string>> {
  const models = new Set<string>();
  for (let i = 0; i < count; i++) {
    const response = await fetch(`${server.url}/api/rounds`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ mode: "pair" }),
    });
    expect(response.status).toBe(201);
    const round = (await response.json()) as { faces: { source: string; model?: string }[] };
    const fakes = round.faces.filter((face) => face.source === "generated");
    expect(fakes).toHaveLength(1);
    for (const face of fakes) models.add(face.model ?? "(unnamed)");
  }
  return models;
}

/**
 * Polls until the rounds name exactly `expected`; returns how long that took. One poll of six rounds could
 * miss a version still wrongly in play (one at even weight, once in 64 polls), so a larger sample must then
 * agree too: 24 more rounds, which such a version escapes once in 16 million.
 */
async function settlesOn(expected: string[], timeoutMs = 5_000): Promise<number> {
  const started = Date.now();
  for (;;) {
    const seen = [...(await roundModels())].sort();
    if (JSON.stringify(seen) === JSON.stringify(expected)) {
      const took = Date.now() - started;
      expect([...(await roundModels(24))].sort()).toEqual(expected);
      return took;
    }
    if (Date.now() - started > timeoutMs) throw new Error(`rounds still use ${seen.join(", ")}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

const page = async () => (await fetch(`${server.url}/models`)).text();
const cardStatus = (html: string, version: string) =>
  new RegExp(`data-version="${version}" data-status="(\\w+)"`).exec(html)?.[1];

describe("redeploying while the site runs", () => {
  it("serves rounds, files and the model card of the version in rotation", async () => {
    expect([...(await roundModels())]).toEqual(["v1"]);
    const model = await fetch(`${server.url}/models/v1/model.json`);
    expect(model.status).toBe(200);
    expect(((await model.json()) as { modelTopology: unknown }).modelTopology).toBeTruthy();
    expect(cardStatus(await page(), "v1")).toBe("active");
  });

  it("puts a newly exported version into play within seconds, files included", async () => {
    await writeVersion(models, "v2", testMetrics({ faceFd: 0.2, detectionRate: 0.8 }));
    const weights = await fetch(`${server.url}/models/v2/weights.bin`);
    expect(weights.status).toBe(200);
    expect(weights.headers.get("content-type")).toBe("application/octet-stream");
    expect((await fetch(`${server.url}/models/v2/samples.png`)).headers.get("content-type")).toBe("image/png");

    await deploy(models, "v2");
    await retire(models, "v1");
    expect(await settlesOn(["v2"])).toBeLessThan(3_000);
    const html = await page();
    expect(cardStatus(html, "v2")).toBe("active");
    expect(cardStatus(html, "v1")).toBe("retired");
  });

  it("rolls back to the earlier rotation just as fast", async () => {
    await rollbackRotation(models);
    await rollbackRotation(models);
    expect(await settlesOn(["v1"])).toBeLessThan(3_000);
    expect(cardStatus(await page(), "v2")).toBe("candidate");
  });

  it("serves no file outside a version's plain files", async () => {
    // ..%2F up to /models/manifest.json would reach the build's static copy, public anyway: climb out of it.
    for (const url of [
      "/models/v1/..%2F..%2F..%2Fpackage.json",
      "/models/v1/.manifest.json.1.tmp",
      "/models/v1/model.exe",
      "/models/NOPE/model.json",
    ]) {
      expect((await fetch(`${server.url}${url}`)).status).toBe(404);
    }
  });
});
