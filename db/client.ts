/**
 * Opening and migrating the database. One code path for an embedded file (the default) and for a libsql
 * server (sqld, Turso): several stateless app servers can share one such server. Which database is the
 * caller's to say (the server and `npm start` pass the settings' DATABASE_URL): this layer reads no settings.
 */
import { mkdirSync } from "node:fs";
import path from "node:path";
import { type Client, createClient } from "@libsql/client";
import { drizzle, type LibSQLDatabase } from "drizzle-orm/libsql";
import { migrate } from "drizzle-orm/libsql/migrator";
import { REPO_ROOT } from "../config/settings.ts";
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
  /** Embedded files: "FULL" also survives a power cut, at an fsync per commit (default "NORMAL", see below). */
  synchronous?: "NORMAL" | "FULL" | undefined;
}

/** How long an embedded database waits for another process's write lock before failing. */
const BUSY_TIMEOUT_MS = 5_000;

/**
 * Requests in flight to a libsql server at once. Each is one HTTP exchange; above this they queue in the
 * client, which bounds sqld's load from one app server.
 */
const REMOTE_CONCURRENCY = 64;

export async function openDatabase({ url, authToken, synchronous = "NORMAL" }: DatabaseOptions): Promise<Database> {
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
  if (embedded) await applyEmbeddedPragmas(client, synchronous);
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
async function applyEmbeddedPragmas(client: Client, synchronous: "NORMAL" | "FULL"): Promise<void> {
  await client.execute("PRAGMA journal_mode = WAL");
  await client.execute(`PRAGMA synchronous = ${synchronous}`);
  await client.execute("PRAGMA foreign_keys = ON");
  // Checkpoint every ~16 MB of WAL instead of every 4 MB: a checkpoint syncs the file, and at a thousand
  // answered rounds a second the default would run several times a second.
  await client.execute("PRAGMA wal_autocheckpoint = 4000");
}

/**
 * drizzle's migrator reads the SQL files at run time, also from the built server: not bundled. Found from the
 * repository's root, because once Astro has bundled this module into dist/server/chunks/ a path relative to
 * this file would point into the build.
 */
export const MIGRATIONS_DIR = path.join(REPO_ROOT, "db/migrations");

/**
 * Brings the schema up to date; safe to call on every start, from several servers at once. Two servers
 * migrating together both see "not applied" and one of them then fails on the existing tables; a second
 * pass sees the migration recorded and does nothing.
 */
export async function migrateDatabase(database: Database): Promise<void> {
  try {
    await migrate(database.db, { migrationsFolder: MIGRATIONS_DIR });
  } catch (error) {
    await migrate(database.db, { migrationsFolder: MIGRATIONS_DIR }).catch(() => {
      throw error;
    });
  }
}
