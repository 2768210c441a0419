import { mkdirSync, mkdtempSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { buildIsStale } from "./build-freshness.ts";

function project(): string {
  const root = mkdtempSync(path.join(tmpdir(), "stf-fresh-"));
  mkdirSync(path.join(root, "src/pages"), { recursive: true });
  writeFileSync(path.join(root, "src/pages/index.astro"), "---\n---\n");
  return root;
}

function build(root: string, at: Date): void {
  mkdirSync(path.join(root, "dist/server"), { recursive: true });
  writeFileSync(path.join(root, "dist/server/entry.mjs"), "");
  utimesSync(path.join(root, "dist/server/entry.mjs"), at, at);
}

describe("buildIsStale", () => {
  it("asks for a build when there is none", () => {
    expect(buildIsStale(project())).toBe("no build yet");
  });

  it("accepts a build newer than every input", () => {
    const root = project();
    build(root, new Date(Date.now() + 60_000));
    expect(buildIsStale(root)).toBeNull();
  });

  it("names the input that changed after the build", () => {
    const root = project();
    build(root, new Date(Date.now() - 60_000));
    expect(buildIsStale(root)).toBe(`${path.join("src", "pages", "index.astro")} changed since the last build`);
  });

  it("rebuilds for settings, not for tests, test helpers or the Node-only native addon", () => {
    const root = project();
    const later = (relative: string) => {
      mkdirSync(path.dirname(path.join(root, relative)), { recursive: true });
      writeFileSync(path.join(root, relative), "");
    };
    build(root, new Date(Date.now() - 60_000));
    const old = new Date(Date.now() - 120_000);
    utimesSync(path.join(root, "src/pages/index.astro"), old, old);
    later("src/server/rounds/rounds.test.ts");
    later("src/server/testing/fixtures.ts");
    later("src/tfjs-accel/node/native/addon/build/Release/dnnl.node");
    expect(buildIsStale(root)).toBeNull();
    later("config/settings.ts");
    expect(buildIsStale(root)).toBe(`${path.join("config", "settings.ts")} changed since the last build`);
  });
});
