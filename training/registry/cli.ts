/**
 * The model registry from the command line:
 *
 *   npm run model:list
 *   npm run model:deploy -- <version> [--weight 1] [--force] [--fd-margin 0.1] [--detection-margin 0.02]
 *   npm run model:retire -- <version> [--force]
 *   npm run model:rollback
 *
 * Each change rewrites public/models/manifest.json atomically; the running site re-reads it by itself.
 */
import type { Command } from "commander";
import { MODELS_DIR } from "../../config/settings.ts";
import { readManifest } from "../../src/model-manifest-file.ts";
import { nonNegativeNumber } from "../cli/numbers.ts";
import { commandLine, isEntryPoint, runCommand } from "../cli/run-command.ts";
import { DEFAULT_MARGINS } from "./gate.ts";
import { formatRegistry, listedVersions } from "./list.ts";
import { deploy, retire, rollbackRotation } from "./operations.ts";
import { listVersionFolders, readVersionMetadata } from "./versions.ts";

function printRegistry(modelsDir: string): void {
  const manifest = readManifest(modelsDir);
  const readMetadata = (version: string) => {
    try {
      return readVersionMetadata(modelsDir, version);
    } catch {
      return undefined;
    }
  };
  console.log(formatRegistry(manifest, listedVersions(manifest, listVersionFolders(modelsDir), readMetadata)));
}

export function registryProgram(): Command {
  const program = commandLine("model")
    .description("The registry of shipped generators")
    .option("--models <dir>", "models folder", MODELS_DIR);
  const modelsDir = () => program.opts<{ models: string }>().models;

  program
    .command("list")
    .description("Print every version with its status, weight and metrics")
    .action(() => printRegistry(modelsDir()));

  program
    .command("deploy")
    .description("Put a version into rotation if it is not worse than the best active one")
    .argument("<version>")
    .option("--weight <w>", "relative share of new rounds", nonNegativeNumber, 1)
    .option("--force", "deploy even if the gate refuses", false)
    .option(
      "--fd-margin <r>",
      "allowed face-FD excess over the best active, relative",
      nonNegativeNumber,
      DEFAULT_MARGINS.fdRelative,
    )
    .option(
      "--detection-margin <d>",
      "allowed detection-rate shortfall, absolute",
      nonNegativeNumber,
      DEFAULT_MARGINS.detectionAbsolute,
    )
    .action(
      async (version: string, opts: { weight: number; force: boolean; fdMargin: number; detectionMargin: number }) => {
        const margins = { fdRelative: opts.fdMargin, detectionAbsolute: opts.detectionMargin };
        const result = await deploy(modelsDir(), version, { weight: opts.weight, force: opts.force, margins });
        for (const line of result.verdict.lines) console.log(`  ${line}`);
        console.log(
          result.forced
            ? `Deployed ${version} despite the gate (--force).\n`
            : `Deployed ${version} with weight ${opts.weight}.\n`,
        );
        printRegistry(modelsDir());
      },
    );

  program
    .command("retire")
    .description("Take a version out of rotation (it stays listed)")
    .argument("<version>")
    .option("--force", "allow retiring the last version in rotation", false)
    .action(async (version: string, opts: { force: boolean }) => {
      await retire(modelsDir(), version, { force: opts.force });
      console.log(`Retired ${version}.\n`);
      printRegistry(modelsDir());
    });

  program
    .command("rollback")
    .description("Return to the rotation before the last deploy or retire (repeat to go further back)")
    .action(async () => {
      await rollbackRotation(modelsDir());
      console.log("Rolled back to the previous rotation.\n");
      printRegistry(modelsDir());
    });

  return program;
}

if (isEntryPoint(import.meta.url)) runCommand("model", () => registryProgram().parseAsync());
