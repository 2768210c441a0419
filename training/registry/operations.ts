/**
 * The registry's commands, each one locked read-modify-write of the manifest: deploy (through the gate),
 * retire, rollback, and recording fresh metadata after an evaluation.
 */
import { rotation } from "../../src/core/in-rotation.ts";
import type { Manifest, ManifestEntry } from "../../src/core/model-manifest.ts";
import { UserError } from "../cli/user-error.ts";
import { DEFAULT_MARGINS, type Evaluated, judge, type Margins, type Verdict } from "./gate.ts";
import { updateManifest } from "./manifest-store.ts";
import { deployVersion, recordMetadata, retireVersion, rollback } from "./rotation.ts";
import { readVersionMetadata } from "./versions.ts";

export class DeployRefused extends UserError {
  constructor(
    readonly version: string,
    readonly verdict: Verdict,
  ) {
    super(`Refused to deploy ${version}:\n  ${verdict.lines.join("\n  ")}\nUse --force to deploy it anyway.`);
  }
}

export interface DeployOptions {
  weight?: number;
  force?: boolean;
  margins?: Margins;
  now?: Date;
}

export interface DeployResult {
  verdict: Verdict;
  /** True when the gate refused and --force overrode it. */
  forced: boolean;
  manifest: Manifest;
}

export async function deploy(modelsDir: string, version: string, options: DeployOptions = {}): Promise<DeployResult> {
  const metadata = readVersionMetadata(modelsDir, version);
  let verdict: Verdict = { accepted: true, lines: [] };
  const manifest = await updateManifest(modelsDir, (current) => {
    verdict = judge(
      { version, metrics: metadata.metrics },
      rotation(current).map(freshMetrics(modelsDir)),
      options.margins ?? DEFAULT_MARGINS,
    );
    if (!verdict.accepted && !options.force) throw new DeployRefused(version, verdict);
    return deployVersion(current, metadata, options.weight ?? 1, options.now ?? new Date());
  });
  return { verdict, forced: !verdict.accepted, manifest };
}

export interface RetireOptions {
  /** Allow retiring the last version in rotation, which leaves the game without generated faces. */
  force?: boolean;
  now?: Date;
}

export function retire(modelsDir: string, version: string, options: RetireOptions = {}): Promise<Manifest> {
  return updateManifest(modelsDir, (current) => {
    const remaining = rotation(current).filter((e) => e.version !== version);
    if (remaining.length === 0 && !options.force) {
      throw new UserError(
        `${version} is the last version in rotation: retiring it leaves the game without fakes. Use --force.`,
      );
    }
    return retireVersion(current, version, options.now ?? new Date());
  });
}

export function rollbackRotation(modelsDir: string): Promise<Manifest> {
  return updateManifest(modelsDir, rollback);
}

/** Copies a version's metadata.json (e.g. just-written metrics) into the manifest. */
export function recordEvaluation(modelsDir: string, version: string, now: Date = new Date()): Promise<Manifest> {
  const metadata = readVersionMetadata(modelsDir, version);
  return updateManifest(modelsDir, (current) => recordMetadata(current, metadata, now));
}

/** An active version's metrics as its metadata.json has them now, else as the manifest last copied them. */
function freshMetrics(modelsDir: string): (entry: ManifestEntry) => Evaluated {
  return (entry) => {
    try {
      return { version: entry.version, metrics: readVersionMetadata(modelsDir, entry.version).metrics };
    } catch {
      return { version: entry.version, metrics: entry.metadata?.metrics };
    }
  };
}
