/**
 * Outputs are built in a staging folder beside their target and renamed over it when complete, so a reader —
 * or whatever an interrupted run leaves — sees the old folder or the new one, never half of one.
 */
import { mkdirSync, renameSync, rmSync } from "node:fs";
import path from "node:path";

/** A fresh, empty staging folder for `target`. */
export function stagingFor(target: string): string {
  const staging = `${target}.partial`;
  rmSync(staging, { recursive: true, force: true });
  mkdirSync(staging, { recursive: true });
  return staging;
}

export function replaceDir(staging: string, target: string): void {
  rmSync(target, { recursive: true, force: true });
  mkdirSync(path.dirname(target), { recursive: true });
  renameSync(staging, target);
}

/** Builds `target` through a staging folder; on failure the staging folder goes and `target` is untouched. */
export async function buildDirAtomically<R>(target: string, build: (staging: string) => Promise<R>): Promise<R> {
  const staging = stagingFor(target);
  try {
    const result = await build(staging);
    replaceDir(staging, target);
    return result;
  } catch (error) {
    rmSync(staging, { recursive: true, force: true });
    throw error;
  }
}
