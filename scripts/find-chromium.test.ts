import { chmodSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { ChromiumPathError, findChromium } from "./find-chromium.ts";

/** A real executable file standing in for a browser binary: finding only asks whether it could run. */
function executable(name: string): string {
  const file = path.join(mkdtempSync(path.join(tmpdir(), "stf-chromium-")), name);
  writeFileSync(file, "#!/bin/sh\n");
  chmodSync(file, 0o755);
  return file;
}

const nowhere = "/nonexistent/chromium";

describe("finding Chromium", () => {
  it("takes CHROMIUM_PATH first, then Debian's chromium, then Playwright's own", () => {
    const configured = executable("configured");
    const debian = executable("chromium");
    const playwright = executable("chrome");
    expect(findChromium({ configured, system: [debian], playwright })).toEqual({
      path: configured,
      source: "CHROMIUM_PATH",
    });
    expect(findChromium({ configured: undefined, system: [nowhere, debian], playwright })).toEqual({
      path: debian,
      source: "Debian's chromium",
    });
    expect(findChromium({ configured: "", system: [nowhere], playwright })).toEqual({
      path: playwright,
      source: "Playwright's chromium",
    });
  });

  it("finds nothing where there is nothing, and passes over files that cannot run", () => {
    const notExecutable = executable("chromium");
    chmodSync(notExecutable, 0o644);
    expect(findChromium({ configured: undefined, system: [nowhere, notExecutable], playwright: nowhere })).toBeNull();
  });

  it("reports a CHROMIUM_PATH that cannot run instead of quietly taking another browser", () => {
    const debian = executable("chromium");
    const attempt = () => findChromium({ configured: nowhere, system: [debian], playwright: nowhere });
    expect(attempt).toThrow(ChromiumPathError);
    expect(attempt).toThrow(`CHROMIUM_PATH=${nowhere} is not an executable file`);
  });
});
