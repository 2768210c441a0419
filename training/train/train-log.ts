/**
 * The training log: one JSON line per logged step in <run>/log.jsonl. Appending keeps every line a
 * resumed run wrote before; lines past a resumed checkpoint are dropped so the curve never doubles back.
 */
import { appendFileSync, existsSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";

export interface LogLine {
  step: number;
  imagesSeen: number;
  lossD: number;
  lossG: number;
  dReal: number;
  dFake: number;
  imagesPerSecond: number;
  elapsedSeconds: number;
}

export const logFile = (runDir: string) => path.join(runDir, "log.jsonl");

export function readLog(runDir: string): LogLine[] {
  const file = logFile(runDir);
  if (!existsSync(file)) return [];
  return readFileSync(file, "utf8")
    .split("\n")
    .filter((line) => line.trim() !== "")
    .map((line) => JSON.parse(line) as LogLine);
}

export function appendLog(runDir: string, line: LogLine): void {
  appendFileSync(logFile(runDir), `${JSON.stringify(line)}\n`);
}

/** On resume: forget what was logged after the checkpoint being resumed. */
export function truncateLog(runDir: string, lastStep: number): void {
  const kept = readLog(runDir).filter((line) => line.step <= lastStep);
  writeFileSync(logFile(runDir), kept.map((line) => `${JSON.stringify(line)}\n`).join(""));
}
