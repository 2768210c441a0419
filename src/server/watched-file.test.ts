/** Following a JSON file on disk: missing, appearing, replaced, broken, removed. */
import { mkdtempSync, renameSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { WatchedFile } from "./watched-file.ts";

describe("WatchedFile", () => {
  let dir: string;
  let file: string;
  const parse = (json: unknown) => {
    if (typeof (json as { n?: unknown }).n !== "number") throw new Error("no n");
    return (json as { n: number }).n;
  };
  beforeEach(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), "stf-watched-"));
    file = path.join(dir, "value.json");
  });
  afterEach(() => {
    vi.restoreAllMocks();
    rmSync(dir, { recursive: true, force: true });
  });

  it("reads as empty while missing, then follows the file at most once a second", () => {
    const watched = new WatchedFile(file, parse, () => -1);
    expect(watched.current(0)).toBe(-1);
    writeFileSync(file, '{"n": 1}');
    expect(watched.current(999)).toBe(-1);
    expect(watched.current(1_000)).toBe(1);
  });

  it("sees a replacement by rename, keeps the last good value over a broken file, and empties when removed", () => {
    const warn = vi.spyOn(console, "warn").mockImplementation(() => {});
    writeFileSync(file, '{"n": 1}');
    const watched = new WatchedFile(file, parse, () => -1);
    expect(watched.current(0)).toBe(1);
    // Same size, and possibly the same mtime: only the inode tells the new file apart.
    writeFileSync(`${file}.tmp`, '{"n": 2}');
    renameSync(`${file}.tmp`, file);
    expect(watched.current(1_000)).toBe(2);
    writeFileSync(file, '{"n": ');
    expect(watched.current(2_000)).toBe(2);
    writeFileSync(file, '{"m": 3}');
    expect(watched.current(3_000)).toBe(2);
    expect(warn).toHaveBeenCalledTimes(2);
    rmSync(file);
    expect(watched.current(4_000)).toBe(-1);
  });
});
