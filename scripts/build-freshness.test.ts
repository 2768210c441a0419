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
});
