/**
 * dependency-cruiser cannot read .astro files, so the pages' and layouts' imports escape `npm run lint:deps`.
 * This applies the same forbidden rules (.dependency-cruiser.cjs, the one place they are written) to the
 * imports in every .astro file's frontmatter, and checks that each relative import exists.
 */
import { execFileSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { createRequire, isBuiltin } from "node:module";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { REPO_ROOT } from "../config/settings.ts";

interface PathCondition {
  readonly path?: string | readonly string[];
  readonly pathNot?: string | readonly string[];
  readonly circular?: boolean;
  readonly couldNotResolve?: boolean;
}
interface Rule {
  readonly name: string;
  readonly from: PathCondition;
  readonly to: PathCondition;
}

const { forbidden } = createRequire(import.meta.url)(path.join(REPO_ROOT, ".dependency-cruiser.cjs")) as {
  forbidden: readonly Rule[];
};

const anyMatch = (patterns: string | readonly string[], target: string) =>
  (typeof patterns === "string" ? [patterns] : patterns).some((pattern) => new RegExp(pattern).test(target));

/** Whether a path condition of dependency-cruiser (path / pathNot only) holds for a file. */
function holds(condition: PathCondition, file: string): boolean {
  if (condition.path !== undefined && !anyMatch(condition.path, file)) return false;
  if (condition.pathNot !== undefined && anyMatch(condition.pathNot, file)) return false;
  return true;
}

/** The module specifiers a component's frontmatter imports (static and dynamic). */
function frontmatterImports(source: string): string[] {
  const match = /^---\r?\n([\s\S]*?)\r?\n---/.exec(source);
  if (!match) return [];
  const code = match[1] as string;
  const statics = [...code.matchAll(/^\s*import\s+(?:[\s\S]*?\s+from\s+)?["']([^"']+)["']/gm)];
  const dynamics = [...code.matchAll(/import\(\s*["']([^"']+)["']\s*\)/g)];
  return [...statics, ...dynamics].map((m) => m[1] as string);
}

/** What an import names, as a repository path like dependency-cruiser's (packages under node_modules/). */
function target(file: string, specifier: string): string | null {
  if (specifier.startsWith("astro:")) return null;
  // Built-ins by their own name, as dependency-cruiser names them ("node:fs").
  if (isBuiltin(specifier)) return specifier;
  if (!specifier.startsWith(".")) return `node_modules/${specifier}`;
  return path.posix.normalize(path.posix.join(path.posix.dirname(file), specifier.replace(/\?.*$/, "")));
}

/** "file → import: rule" for every import of `file` (a repository path) that breaks a rule or resolves to nothing. */
function violations(file: string, source: string, exists = (p: string) => existsSync(path.join(REPO_ROOT, p))) {
  const found: string[] = [];
  for (const specifier of frontmatterImports(source)) {
    const to = target(file, specifier);
    if (to === null) continue;
    if (specifier.startsWith(".") && !exists(to)) found.push(`${file} → ${specifier}: not-to-unresolvable`);
    for (const rule of forbidden) {
      if (rule.to.circular || rule.to.couldNotResolve) continue;
      if (holds(rule.from, file) && holds(rule.to, to)) found.push(`${file} → ${specifier}: ${rule.name}`);
    }
  }
  return found;
}

const astroFiles = () =>
  execFileSync("git", ["ls-files", "*.astro"], { cwd: REPO_ROOT, encoding: "utf8" }).split("\n").filter(Boolean);

describe(".astro imports obey the dependency rules", () => {
  it("finds every page's imports and no violation", () => {
    const files = astroFiles();
    expect(files.length).toBeGreaterThanOrEqual(6);
    const all = files.flatMap((file) => {
      const source = readFileSync(path.join(REPO_ROOT, file), "utf8");
      // Every page and layout here imports something: an empty list would mean the parser missed them.
      expect(frontmatterImports(source).length, file).toBeGreaterThan(0);
      return violations(file, source);
    });
    expect(all).toEqual([]);
  });

  it("catches a page that imports the training pipeline, a Node-only module into core, or a missing file", () => {
    const page = `---\nimport { train } from "../../training/train/train.ts";\nimport type { X } from '../gone.ts';\n---\n<p/>`;
    expect(violations("src/pages/bad.astro", page, () => false)).toEqual([
      "src/pages/bad.astro → ../../training/train/train.ts: not-to-unresolvable",
      "src/pages/bad.astro → ../../training/train/train.ts: src-below-training-and-scripts",
      "src/pages/bad.astro → ../gone.ts: not-to-unresolvable",
    ]);
    const core = `---\nconst fs = await import("node:fs");\n---\n`;
    expect(violations("src/core/widget.astro", core)).toEqual(["src/core/widget.astro → node:fs: core-is-pure"]);
  });
});
