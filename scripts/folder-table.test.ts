/**
 * The README's folder table ("How it fits together") is the map of the repository: it names every top-level
 * folder and every folder of src/ and training/, and only folders that are there.
 */
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { REPO_ROOT } from "../config/settings.ts";

const git = (...args: string[]) => execFileSync("git", args, { cwd: REPO_ROOT, encoding: "utf8" });

/** The folders in the table's first column: `src/core/`, and each of `src/layouts/`, `src/styles/`, … */
function tableFolders(): string[] {
  const readme = readFileSync(path.join(REPO_ROOT, "README.md"), "utf8");
  const table = readme.slice(readme.indexOf("| folder | what lives there |"));
  const rows = table.slice(0, table.indexOf("\n\n")).split("\n").slice(2);
  return rows.flatMap((row) => [...(row.split("|")[1] ?? "").matchAll(/`([^`]+\/)`/g)].map((m) => m[1] as string));
}

/** Tracked folders: each top-level one, and those directly inside src/ and training/. */
function trackedFolders(): string[] {
  const folders = new Set<string>();
  for (const file of git("ls-files").split("\n").filter(Boolean)) {
    const parts = file.split("/");
    if (parts.length > 1) folders.add(`${parts[0]}/`);
    if ((parts[0] === "src" || parts[0] === "training") && parts.length > 2) folders.add(`${parts[0]}/${parts[1]}/`);
  }
  return [...folders].sort();
}

/** Folders the tools make at the top and .gitignore keeps out of git (`/data/`, `/runs/`). */
function ignoredFolders(): string[] {
  const lines = readFileSync(path.join(REPO_ROOT, ".gitignore"), "utf8").split("\n");
  return lines.filter((line) => /^\/[^/]+\/$/.test(line)).map((line) => line.slice(1));
}

describe("the README's folder table", () => {
  it("names every folder of the tree (src/ by its folders)", () => {
    const named = tableFolders();
    const unnamed = trackedFolders().filter((folder) => !named.some((entry) => entry.startsWith(folder)));
    expect(unnamed).toEqual([]);
  });

  it("names only folders that are there, or that the tools make and git ignores", () => {
    const files = git("ls-files").split("\n");
    const ignored = ignoredFolders();
    const gone = tableFolders().filter(
      (folder) => !ignored.includes(folder) && !files.some((file) => file.startsWith(folder)),
    );
    expect(gone).toEqual([]);
  });
});
