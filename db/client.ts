/**
 * Opening and migrating the database. One code path for an embedded file (the default) and for a libsql
 * server (sqld, Turso) named by DATABASE_URL: several stateless app servers can share one such server.
 */
import { mkdirSync } from "node:fs";
import path from "node:path";
import { type Client, createClient } from "@libsql/client";
import { drizzle, type LibSQLDatabase } from "drizzle-orm/libsql";
import { migrate } from "drizzle-orm/libsql/migrator";
import { DATABASE_AUTH_TOKEN, DATABASE_URL, REPO_ROOT } from "../config/settings.ts";
import { GroupCommit } from "./group-commit.ts";
import * as schema from "./schema.ts";

export type Db = LibSQLDatabase<typeof schema>;

export interface Database {
  readonly url: string;
  readonly client: Client;
  readonly db: Db;
  /** The hot writes (rounds, judgments) go through here: one transaction per burst (group-commit.ts). */
  readonly writes: GroupCommit;
  /** True for an embedded file: writes then block this process, and only this process may write freely. */
  readonly embedded: boolean;
  close(): void;
}

export interface DatabaseOptions {
  url: string;
  authToken?: string | undefined;
}

/** How long an embedded database waits for another process's write lock before failing. */
const BUSY_TIMEOUT_MS = 5_000;

/**
 * Requests in flight to a libsql server at once. Each is one HTTP exchange; above this they queue in the
 * client, which bounds sqld's load from one app server.
 */
const REMOTE_CONCURRENCY = 64;

export async function openDatabase({ url, authToken }: DatabaseOptions): Promise<Database> {
  const embedded = url.startsWith("file:");
  if (embedded) ensureParentFolder(url);
  const client = createClient({
    url,
    authToken,
    // One connection for a file: the client runs every statement synchronously anyway, and per-connection
    // pragmas (below) would silently be missing on any extra connection its pool might open.
    concurrency: embedded ? 1 : REMOTE_CONCURRENCY,
    timeout: embedded ? BUSY_TIMEOUT_MS : undefined,
  });
  if (embedded) await applyEmbeddedPragmas(client);
  return {
    url,
    client,
    db: drizzle(client, { schema }),
    writes: new GroupCommit(client),
    embedded,
    close: () => client.close(),
  };
}

function ensureParentFolder(url: string): void {
  const file = url.slice("file:".length);
  if (file === ":memory:" || file.startsWith(":memory:?")) return;
  mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
}

/**
 * Embedded files only (a server manages its own storage):
 * - WAL lets readers run during a write, and with synchronous=NORMAL a commit is in the WAL before the
 *   statement returns, so a crashed or SIGKILLed server loses nothing it acknowledged; only a power cut or
 *   kernel crash can roll back the last commits (FULL would fsync every commit to close that too).
 * - foreign_keys is off by default in SQLite.
 */
async function applyEmbeddedPragmas(client: Client): Promise<void> {
  await client.execute("PRAGMA journal_mode = WAL");
  await client.execute(`PRAGMA synchronous = ${process.env.DATABASE_SYNCHRONOUS === "FULL" ? "FULL" : "NORMAL"}`);
  await client.execute("PRAGMA foreign_keys = ON");
  // Checkpoint every ~16 MB of WAL instead of every 4 MB: a checkpoint syncs the file, and at a thousand
  // answered rounds a second the default would run several times a second.
  await client.execute("PRAGMA wal_autocheckpoint = 4000");
}

/** drizzle's migrator reads the SQL files at run time, also from the built server: not bundled. */
export const MIGRATIONS_DIR = path.join(REPO_ROOT, "db/migrations");

/**
 * Brings the schema up to date; safe to call on every start, from several servers at once. Two servers
 * migrating together both see "not applied" and one of them then fails on the existing tables; a second
 * pass sees the migration recorded and does nothing. Without an argument: the process's shared database.
 */
export async function migrateDatabase(database?: Database): Promise<void> {
  if (!database) {
    await databaseReady();
    return;
  }
  try {
    await migrate(database.db, { migrationsFolder: MIGRATIONS_DIR });
  } catch (error) {
    await migrate(database.db, { migrationsFolder: MIGRATIONS_DIR }).catch(() => {
      throw error;
    });
  }
}

let sharedReady: Promise<Database> | undefined;

/**
 * The process-wide database named by the settings (DATABASE_URL, DATABASE_AUTH_TOKEN), opened and
 * migrated once per process: what request handlers await.
 */
export function databaseReady(): Promise<Database> {
  if (!sharedReady) {
    const opening = (async () => {
      const database = await openDatabase({ url: DATABASE_URL, authToken: DATABASE_AUTH_TOKEN });
      try {
        await migrateDatabase(database);
      } catch (error) {
        database.close();
        throw error;
      }
      return database;
    })();
    sharedReady = opening;
    // A failed start (database unreachable) must not be cached: the next caller tries again.
    opening.catch(() => {
      if (sharedReady === opening) sharedReady = undefined;
    });
  }
  return sharedReady;
}
