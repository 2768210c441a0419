/**
 * A JSON file a running server follows without a restart: the quiz pool's manifest, the model rotation, the
 * seed banks. The tools replace these files while the site runs, so each read re-checks the file at most
 * once a second by its inode, size and mtime (a replacement by rename changes the inode even when size and
 * mtime match) and parses it again only when that changed. A file caught half-written, or otherwise
 * invalid, is ignored with a warning and the last good value kept; a missing file reads as `empty()`.
 */
import { readFileSync, statSync } from "node:fs";

const RECHECK_MS = 1_000;

export class WatchedFile<T> {
  #value: T;
  #signature = "";
  #checkedAt = Number.NEGATIVE_INFINITY;

  /**
   * `parse` validates the file's JSON and returns what the owner keeps of it (caches derived from one
   * version of the file belong in that value: they are dropped with it); it throws on anything invalid.
   */
  constructor(
    readonly file: string,
    private readonly parse: (json: unknown) => T,
    private readonly empty: () => T,
  ) {
    this.#value = empty();
  }

  /** The file's value as of the last check, `now` in epoch milliseconds. */
  current(now = Date.now()): T {
    if (now - this.#checkedAt >= RECHECK_MS) {
      this.#checkedAt = now;
      this.#reloadIfChanged();
    }
    return this.#value;
  }

  #reloadIfChanged(): void {
    let signature: string;
    try {
      const stat = statSync(this.file);
      signature = `${stat.ino}:${stat.size}:${stat.mtimeMs}`;
    } catch {
      // Gone (or never there): nothing to serve, and whatever appears next is new.
      if (this.#signature !== "") this.#value = this.empty();
      this.#signature = "";
      return;
    }
    if (signature === this.#signature) return;
    try {
      this.#value = this.parse(JSON.parse(readFileSync(this.file, "utf8")));
      this.#signature = signature;
    } catch (error) {
      console.warn(`ignoring unreadable ${this.file}, keeping what it said before:`, (error as Error).message);
    }
  }
}
