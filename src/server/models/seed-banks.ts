/**
 * The versions' seed banks (`<MODELS_DIR>/<version>/bank.json`, format in src/core/seed-bank.ts), each
 * followed as watched-file.ts says: the curation tool may write a bank for a version already in play, and
 * the server picks it up without a restart. A missing, half-written or invalid bank counts as none (that
 * version's curated share then plays random), and a valid one replaced by a bad one keeps serving until a
 * good one arrives.
 */
import path from "node:path";
import { SEED_BANK_FILE, type SeedBank, SeedBankSchema } from "../../core/seed-bank.ts";
import { WatchedFile } from "../watched-file.ts";

export class SeedBanks {
  readonly #banks = new Map<string, WatchedFile<SeedBank | null>>();

  constructor(readonly modelsDir: string) {}

  /** The version's bank, or null when it has none. */
  get(version: string, now = Date.now()): SeedBank | null {
    let bank = this.#banks.get(version);
    if (!bank) {
      bank = new WatchedFile(
        path.join(this.modelsDir, version, SEED_BANK_FILE),
        (json) => {
          const parsed = SeedBankSchema.parse(json);
          if (parsed.version !== version) throw new Error(`it names version "${parsed.version}"`);
          return parsed;
        },
        () => null,
      );
      this.#banks.set(version, bank);
    }
    return bank.current(now);
  }
}
