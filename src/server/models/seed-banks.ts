/**
 * The versions' seed banks (`<MODELS_DIR>/<version>/bank.json`, format in src/core/seed-bank.ts), read once
 * and re-checked at most once a second by size, mtime and inode: the curation tool may write a bank for a
 * version already in play, and the server picks it up without a restart. A missing, half-written or invalid
 * bank counts as none (that version's curated share then plays random), and a valid one replaced by a bad
 * one keeps serving until a good one arrives.
 */
import { readFileSync, statSync } from "node:fs";
import path from "node:path";
import { SEED_BANK_FILE, type SeedBank, SeedBankSchema } from "../../core/seed-bank.ts";

const RECHECK_MS = 1_000;

interface Entry {
  bank: SeedBank | null;
  signature: string;
  checkedAt: number;
}

export class SeedBanks {
  readonly #entries = new Map<string, Entry>();

  constructor(readonly modelsDir: string) {}

  /** The version's bank, or null when it has none. */
  get(version: string, now = Date.now()): SeedBank | null {
    let entry = this.#entries.get(version);
    if (!entry) {
      entry = { bank: null, signature: "", checkedAt: Number.NEGATIVE_INFINITY };
      this.#entries.set(version, entry);
    }
    if (now - entry.checkedAt >= RECHECK_MS) {
      entry.checkedAt = now;
      this.#reloadIfChanged(version, entry);
    }
    return entry.bank;
  }

  #reloadIfChanged(version: string, entry: Entry): void {
    const file = path.join(this.modelsDir, version, SEED_BANK_FILE);
    let signature: string;
    try {
      const stat = statSync(file);
      signature = `${stat.ino}:${stat.size}:${stat.mtimeMs}`;
    } catch {
      entry.bank = null;
      entry.signature = "";
      return;
    }
    if (signature === entry.signature) return;
    try {
      const bank = SeedBankSchema.parse(JSON.parse(readFileSync(file, "utf8")));
      if (bank.version !== version) throw new Error(`it names version "${bank.version}"`);
      entry.bank = bank;
      entry.signature = signature;
    } catch (error) {
      console.warn(`ignoring seed bank ${file}:`, (error as Error).message);
    }
  }
}
