/**
 * Which judged fakes a new round may show again. Rather than ask the database on every round, each server
 * keeps, per model version, a sample of judged fakes read from a random point of the seed order, and
 * refreshes it every few seconds. The sample is blind to how the fakes did, so replays do not bias the
 * fool-rate; it only has to be big enough that one fake does not dominate the replays. Only fakes the random
 * policy drew are replayed, so random rounds stay random (curated rounds draw from their bank anyway).
 */
import { and, asc, eq, gte, lt } from "drizzle-orm";
import type { Db } from "../../../db/client.ts";
import { fakeFaceStats } from "../../../db/schema.ts";
import type { Randomness } from "./randomness.ts";
import { truncationFromKey } from "./truncation-key.ts";

export interface Fake {
  readonly seed: number;
  readonly truncation: number | null;
}

const SAMPLE_SIZE = 512;
const REFRESH_MS = 5_000;
/** Draws from the sample before giving up on a fake the player has not seen (then: a fresh seed). */
const DRAWS = 8;

interface Sample {
  fakes: readonly Fake[];
  loadedAt: number;
  loading: Promise<void> | null;
}

export class ReplaySample {
  readonly #samples = new Map<string, Sample>();

  constructor(
    readonly db: Db,
    readonly random: Randomness,
  ) {}

  /**
   * A judged fake of this version that `unseen` accepts, or null when none is known yet (or a few draws
   * found only fakes the player saw). Never waits on the database: a stale sample is refreshed in the
   * background, and the very first call for a version only starts the load.
   */
  pick(version: string, unseen: (fake: Fake) => boolean = () => true, now = Date.now()): Fake | null {
    let sample = this.#samples.get(version);
    if (!sample) {
      sample = { fakes: [], loadedAt: Number.NEGATIVE_INFINITY, loading: null };
      this.#samples.set(version, sample);
    }
    if (now - sample.loadedAt >= REFRESH_MS && sample.loading === null) this.#refresh(version, sample, now);
    if (sample.fakes.length === 0) return null;
    for (let draw = 0; draw < DRAWS; draw++) {
      const fake = sample.fakes[this.random.below(sample.fakes.length)] as Fake;
      if (unseen(fake)) return fake;
    }
    return null;
  }

  /** Loads the sample now (tests, and the first round of a version when the caller wants it filled). */
  async load(version: string, now = Date.now()): Promise<void> {
    this.pick(version, undefined, now);
    await this.#samples.get(version)?.loading;
  }

  #refresh(version: string, sample: Sample, now: number): void {
    sample.loading = this.#read(version)
      .then((fakes) => {
        sample.fakes = fakes;
        sample.loadedAt = now;
      })
      .catch((error) => console.error(`replay sample of ${version} not refreshed:`, error))
      .finally(() => {
        sample.loading = null;
      });
  }

  async #read(version: string): Promise<Fake[]> {
    const pivot = this.random.seed();
    const rows = await replayRangeQuery(this.db, version, pivot, Number.MAX_SAFE_INTEGER, SAMPLE_SIZE);
    // Near the top of the seed range: wrap round to the start.
    const more =
      rows.length < SAMPLE_SIZE ? await replayRangeQuery(this.db, version, 0, pivot, SAMPLE_SIZE - rows.length) : [];
    return [...rows, ...more].map((row) => ({ seed: row.seed, truncation: truncationFromKey(row.truncationKey) }));
  }
}

/** Judged random-policy fakes with from ≤ seed < to, in seed order (a primary-key range scan). */
export function replayRangeQuery(db: Db, version: string, from: number, to: number, limit: number) {
  const t = fakeFaceStats;
  return db
    .select({ seed: t.seed, truncationKey: t.truncationKey })
    .from(t)
    .where(and(eq(t.modelVersion, version), eq(t.policy, "random"), gte(t.seed, from), lt(t.seed, to)))
    .orderBy(asc(t.seed))
    .limit(limit);
}
