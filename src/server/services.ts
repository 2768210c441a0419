/**
 * The composition root: one set of long-lived services per server process, built from the settings on
 * first use. Domain modules take these as arguments, so tests build their own against temporary folders
 * and databases instead.
 */

import {
  DATABASE_AUTH_TOKEN,
  DATABASE_SYNCHRONOUS,
  DATABASE_URL,
  MODELS_DIR,
  QUIZ_POOL_DIR,
} from "../../config/settings.ts";
import { type Database, migrateDatabase, openDatabase } from "../../db/client.ts";
import { ApiError } from "../core/api-error.ts";
import { pseudonymKey } from "./export/pseudonyms.ts";
import { QuizPool } from "./faces/quiz-pool.ts";
import { RateLimits, rateLimitScale } from "./http/rate-limits.ts";
import { ModelRotation } from "./models/rotation.ts";
import { SeedBanks } from "./models/seed-banks.ts";
import { PlayerDirectory } from "./players/players.ts";
import { type Randomness, secureRandomness } from "./rounds/randomness.ts";
import { RecentRounds } from "./rounds/recent-rounds.ts";
import { ReplaySample } from "./rounds/replay-sample.ts";
import { SeenFaces } from "./rounds/seen-faces.ts";
import { LeaderboardCache } from "./stats/leaderboard-cache.ts";
import { SumsFolder } from "./stats/sums-folder.ts";
import { Upkeep } from "./upkeep/upkeep.ts";

export interface Services {
  readonly database: Database;
  /** The database's drizzle handle (what the round functions take). */
  readonly db: Database["db"];
  readonly writes: Database["writes"];
  /** The rounds this process made that await their answer (so answering needs no read). */
  readonly recent: RecentRounds;
  readonly rotation: ModelRotation;
  readonly pool: QuizPool;
  readonly players: PlayerDirectory;
  readonly limits: RateLimits;
  readonly leaderboard: LeaderboardCache;
  /** Folds new judgments into the running sums every second. */
  readonly folder: SumsFolder;
  /** The clean-up every minute: expired rounds to the archive, idle rate-limit buckets, expired memory. */
  readonly upkeep: Upkeep;
  readonly random: Randomness;
  readonly replays: ReplaySample;
  /** The versions' seed banks (the curated policy). */
  readonly banks: SeedBanks;
  /** What each player was shown lately, so rounds do not repeat faces. */
  readonly seen: SeenFaces;
  /** The open-data export's pseudonym key (read or created once per process). */
  exportKey(): Promise<string>;
}

export function buildServices(database: Database, paths: { modelsDir: string; poolDir: string }): Services {
  const rotation = new ModelRotation(paths.modelsDir);
  const statusOf = (version: string) =>
    rotation.entries().find((entry) => entry.version === version)?.status ?? "unlisted";
  const rotationKey = () => JSON.stringify(rotation.entries());
  const folder = new SumsFolder(database.db, secureRandomness);
  folder.start();
  const recent = new RecentRounds();
  const limits = new RateLimits(database.writes, rateLimitScale());
  const upkeep = new Upkeep(database.client, limits.all(), recent);
  upkeep.start();
  return {
    database,
    db: database.db,
    writes: database.writes,
    recent,
    rotation,
    pool: new QuizPool(paths.poolDir),
    players: new PlayerDirectory(database.db),
    limits,
    leaderboard: new LeaderboardCache(database.db, folder, statusOf, rotationKey),
    folder,
    upkeep,
    random: secureRandomness,
    replays: new ReplaySample(database.db, secureRandomness),
    banks: new SeedBanks(paths.modelsDir),
    seen: new SeenFaces(database.db),
    exportKey: once(() => pseudonymKey(database.db)),
  };
}

/** The first call's promise for every later call; a failure is forgotten, so the next call tries again. */
function once<T>(make: () => Promise<T>): () => Promise<T> {
  let pending: Promise<T> | null = null;
  return () => {
    pending ??= make().catch((error) => {
      pending = null;
      throw error;
    });
    return pending;
  };
}

/**
 * The database the settings name (DATABASE_URL, DATABASE_AUTH_TOKEN), opened and migrated once per process; a
 * failed start (database unreachable) is not kept, so the next request tries again.
 */
const databaseReady = once(async () => {
  const database = await openDatabase({
    url: DATABASE_URL,
    authToken: DATABASE_AUTH_TOKEN,
    synchronous: DATABASE_SYNCHRONOUS,
  });
  try {
    await migrateDatabase(database);
  } catch (error) {
    database.close();
    throw error;
  }
  return database;
});

let shared: Services | undefined;

/** This process's services; 503 while the database cannot be opened (the next request tries again). */
export async function services(): Promise<Services> {
  if (shared) return shared;
  let database: Database;
  try {
    database = await databaseReady();
  } catch (error) {
    console.error("database unavailable:", error);
    throw new ApiError(503, "the database is unavailable, try again shortly");
  }
  shared ??= buildServices(database, { modelsDir: MODELS_DIR, poolDir: QUIZ_POOL_DIR });
  return shared;
}
