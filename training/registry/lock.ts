/**
 * A lock file held around every read-modify-write of the manifest, so two operators deploying at once
 * cannot lose each other's change. The lock names its holder's pid; a lock whose holder has died is
 * taken over rather than waited for.
 */
import { closeSync, openSync, readFileSync, rmSync, writeSync } from "node:fs";
import { setTimeout as sleep } from "node:timers/promises";
import { UserError } from "../cli/user-error.ts";
import { isAlive } from "./atomic-file.ts";

export class LockTimeoutError extends UserError {}

export async function withLock<T>(lockFile: string, action: () => T | Promise<T>, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  while (!tryAcquire(lockFile)) {
    if (Date.now() > deadline) {
      throw new LockTimeoutError(`${lockFile} is held by process ${holder(lockFile)}; try again when it has finished.`);
    }
    await sleep(50);
  }
  try {
    return await action();
  } finally {
    rmSync(lockFile, { force: true });
  }
}

function tryAcquire(lockFile: string): boolean {
  try {
    const fd = openSync(lockFile, "wx");
    writeSync(fd, String(process.pid));
    closeSync(fd);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
    const pid = holder(lockFile);
    // An empty file is a holder caught between creating and writing it: not stale.
    if (pid !== null && !isAlive(pid)) rmSync(lockFile, { force: true });
    return false;
  }
}

function holder(lockFile: string): number | null {
  try {
    const text = readFileSync(lockFile, "utf8").trim();
    return text === "" ? null : Number(text);
  } catch {
    return null;
  }
}
