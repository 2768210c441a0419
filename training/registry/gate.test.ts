import { describe, expect, it } from "vitest";
import { judge } from "./gate.ts";
import { testMetrics } from "./testing/versions.ts";

const active = [
  { version: "a", metrics: testMetrics({ faceFd: 0.3, detectionRate: 0.9 }) },
  { version: "b", metrics: testMetrics({ faceFd: 0.2, detectionRate: 0.8 }) },
];

describe("deploy gate", () => {
  it("accepts a version no worse than the best active one on either measure", () => {
    const verdict = judge({ version: "c", metrics: testMetrics({ faceFd: 0.19, detectionRate: 0.91 }) }, active);
    expect(verdict.accepted).toBe(true);
  });

  it("compares each measure with its own best (FD with b, detection with a)", () => {
    const verdict = judge({ version: "c", metrics: testMetrics({ faceFd: 0.25, detectionRate: 0.9 }) }, active);
    expect(verdict.accepted).toBe(false);
    expect(verdict.lines.join("\n")).toContain(
      "face FD 0.2500 vs best active 0.2000 (b); limit 0.2200 (+10.0 %): WORSE",
    );
    expect(verdict.lines.join("\n")).toContain("detection 90.0 % vs best active 90.0 % (a)");
  });

  it("allows the margins and no more", () => {
    const within = judge({ version: "c", metrics: testMetrics({ faceFd: 0.219, detectionRate: 0.871 }) }, active);
    expect(within.accepted).toBe(true);
    const beyond = judge({ version: "c", metrics: testMetrics({ faceFd: 0.19, detectionRate: 0.86 }) }, active);
    expect(beyond.accepted).toBe(false);
    expect(beyond.lines.at(-1)).toMatch(/WORSE$/);
    const wider = judge({ version: "c", metrics: testMetrics({ faceFd: 0.19, detectionRate: 0.86 }) }, active, {
      fdRelative: 0.1,
      detectionAbsolute: 0.05,
    });
    expect(wider.accepted).toBe(true);
  });

  it("refuses a version that was never evaluated", () => {
    const verdict = judge({ version: "c" }, active);
    expect(verdict.accepted).toBe(false);
    expect(verdict.lines[0]).toContain("npm run model:evaluate -- c");
  });

  it("accepts the first version when nothing is in rotation", () => {
    expect(judge({ version: "c", metrics: testMetrics() }, []).accepted).toBe(true);
  });

  it("refuses to compare numbers measured differently", () => {
    const verdict = judge({ version: "c", metrics: testMetrics({ faceFd: 0.01, samples: 200 }) }, active);
    expect(verdict.accepted).toBe(false);
    expect(verdict.lines.join("\n")).toContain("re-evaluate it");
  });

  it("does not compare a version with itself when it is redeployed with a new weight", () => {
    const verdict = judge({ version: "b", metrics: testMetrics({ faceFd: 0.2, detectionRate: 0.8 }) }, [
      active[1] as (typeof active)[number],
    ]);
    expect(verdict.accepted).toBe(true);
  });
});
