/**
 * The /models page's cards (src/model-cards/) as this registry's tools leave the models folder: deploys,
 * weights, retirements and evaluations.
 */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { modelCards } from "../../src/model-cards/model-cards.ts";
import { deploy, recordEvaluation, retire } from "./operations.ts";
import { testMetrics, writeVersion } from "./testing/versions.ts";

describe("model cards", () => {
  it("lists the rotation first with its shares, then candidates, then retired versions", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "stf-cards-"));
    for (const version of ["old", "main", "side", "next"]) await writeVersion(dir, version, testMetrics());
    await deploy(dir, "old");
    await deploy(dir, "main", { weight: 3 });
    await deploy(dir, "side");
    await retire(dir, "old");
    await recordEvaluation(dir, "next");
    const human = new Map([
      [
        "main",
        [
          {
            mode: "pair",
            policy: "curated",
            rounds: 40,
            players: 6,
            foolRate: { estimate: 0.3, low: 0.2, high: 0.4 },
            errorOnReals: "n/a" as const,
            hype: "n/a" as const,
          },
        ],
      ],
    ]);
    const cards = modelCards(dir, human);
    expect(cards.map((c) => `${c.version}:${c.status}:${c.share}`)).toEqual([
      "main:active:0.75",
      "side:active:0.25",
      "next:candidate:0",
      "old:retired:0",
    ]);
    expect(cards[0]?.human[0]?.foolRate?.estimate).toBe(0.3);
    expect(cards[0]?.sampleGridUrl).toBe("/models/main/samples.png");
  });

  it("shows the metrics of metadata.json even before the manifest's copy catches up", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "stf-cards-"));
    await writeVersion(dir, "v1", testMetrics({ faceFd: 0.3 }));
    await deploy(dir, "v1");
    await writeVersion(dir, "v1", testMetrics({ faceFd: 0.1 }));
    expect(modelCards(dir)[0]?.metadata?.metrics?.faceFd).toBe(0.1);
    writeFileSync(path.join(dir, "v1", "metadata.json"), "{ broken");
    expect(modelCards(dir)[0]?.metadata?.metrics?.faceFd).toBe(0.3);
  });

  it("is empty before the first deploy", () => {
    expect(modelCards(mkdtempSync(path.join(tmpdir(), "stf-cards-")))).toEqual([]);
  });
});
