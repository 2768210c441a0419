/**
 * Which folder may import which: the README's "How it fits together", checked on every `npm run lint` and
 * `npm run test:unit` (`npm run lint:deps`). Imports run one way:
 *
 *   config/, testing/     settings and test helpers that import nothing of the project: every layer may use them
 *   db/                   the database: may use only those
 *   src/                  the site (src/core/: pure modules the browser, the server and training share): may use db/
 *   training/             the pipeline, stage by stage (below): may use src/, not db/
 *   scripts/, e2e/        the commands around it all: may use anything
 *
 * Test files obey the same rules as the code beside them: a test that needs a higher layer lives in that layer.
 * dependency-cruiser cannot read .astro files: scripts/astro-imports.test.ts applies these rules to their imports.
 */

/** training/'s folders, each of which may import only those before it: the pipeline's order, as imports. */
const STAGES = ["cli", "backends", "data", "train", "export", "registry", "evaluate", "curate"];

const forbid = (name, comment, from, to) => ({ name, comment, severity: "error", from: { path: from }, to });

module.exports = {
  forbidden: [
    forbid(
      "foundations-import-nothing",
      "config/ and testing/ are imported by every layer, so they may import no layer themselves.",
      "^(config|testing)/",
      { path: "^(db|src|training|scripts|e2e)/" },
    ),
    forbid(
      "db-below-src",
      "db/ is the bottom layer of the site: src/ may import it, not the other way round.",
      "^db/",
      { path: "^(src|training|scripts|e2e)/" },
    ),
    forbid(
      "src-below-training-and-scripts",
      "The site never imports the training pipeline or the scripts; a test that needs them belongs under training/ or scripts/.",
      "^src/",
      { path: "^(training|scripts|e2e)/" },
    ),
    forbid(
      "training-without-db-and-scripts",
      "Training ends in public/models/; it has no business with the game's database or the scripts around it.",
      "^training/",
      { path: "^(db|scripts|e2e)/" },
    ),
    forbid(
      "core-is-pure",
      "src/core/ is shared by the browser, the server and training: only its own modules and npm packages, no Node built-ins.",
      "^src/core/",
      { pathNot: "^(src/core/|node_modules/)" },
    ),
    forbid(
      "core-patches-no-backend",
      "Backends and their patches live in src/tfjs-accel/ and training/backends/, never in src/core/.",
      "^src/core/",
      { path: "^node_modules/@tensorflow/tfjs-(backend-|node)" },
    ),
    ...STAGES.slice(0, -1).map((stage, i) =>
      forbid(
        `training-${stage}-imports-no-later-stage`,
        `training/${stage}/ comes before ${STAGES.slice(i + 1).join(", ")} (.dependency-cruiser.cjs: STAGES).`,
        `^training/${stage}/`,
        { path: `^training/(${STAGES.slice(i + 1).join("|")})/` },
      ),
    ),
    {
      name: "no-circular",
      comment: "A cycle makes two modules one: merge them, or move what both need below both.",
      severity: "error",
      from: {},
      to: { circular: true },
    },
    {
      name: "not-to-unresolvable",
      comment: "An import that resolves to nothing (a moved file) is a broken build waiting for its first run.",
      severity: "error",
      from: {},
      // Astro's virtual modules and Vite's ?url imports are resolved by the build, not on disk.
      to: { couldNotResolve: true, pathNot: ["^astro:", "\\?url$"] },
    },
  ],
  options: {
    doNotFollow: { path: "node_modules" },
    // node_modules may be a link (a git worktree sharing another checkout's): name packages by where they are found.
    preserveSymlinks: true,
    exclude: { path: "^(node_modules|dist|public|data|runs)/" },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: "tsconfig.json" },
    enhancedResolveOptions: {
      exportsFields: ["exports"],
      conditionNames: ["import", "require", "node", "default", "types"],
      extensions: [".ts", ".tsx", ".mjs", ".js", ".cjs", ".json"],
    },
    reporterOptions: { text: { highlightFocused: true } },
  },
};
