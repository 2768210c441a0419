/**
 * The two kinds of database the data-layer tests run against: an embedded file and a real sqld server
 * (reached over HTTP with a JWT, as production reaches Turso). Each backend is one database per test file;
 * `resetDatabase` empties it between tests.
 */
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { sql } from "drizzle-orm";
import { type Database, migrateDatabase, openDatabase } from "../client.ts";
import { type SqldServer, startSqld } from "./sqld.ts";

export interface TestBackend {
  readonly name: "file" | "sqld";
  /** Opens (and migrates) this backend's database; call once per test file, in beforeAll. */
  open(): Promise<Database>;
  /**
   * Another connection to the same database, as a second app server would open (after open()); closed by
   * close().
   */
  another(): Promise<Database>;
  /** Closes the database and removes what open() made. */
  close(): Promise<void>;
}

export function fileBackend(): TestBackend {
  let folder: string | undefined;
  let database: Database | undefined;
  const others: Database[] = [];
  return {
    name: "file",
    async open() {
      folder = mkdtempSync(path.join(os.tmpdir(), "stf-db-"));
      database = await openDatabase({ url: `file:${path.join(folder, "game.db")}` });
      await migrateDatabase(database);
      return database;
    },
    async another() {
      if (!database) throw new Error("open() first");
      const other = await openDatabase({ url: database.url });
      others.push(other);
      return other;
    },
    async close() {
      for (const other of others.splice(0)) other.close();
      database?.close();
      if (folder) rmSync(folder, { recursive: true, force: true });
    },
  };
}

export function sqldBackend(): TestBackend {
  let server: SqldServer | undefined;
  let database: Database | undefined;
  const others: Database[] = [];
  return {
    name: "sqld",
    async open() {
      server = await startSqld();
      database = await openDatabase({ url: server.url, authToken: server.authToken });
      await migrateDatabase(database);
      return database;
    },
    async another() {
      if (!server) throw new Error("open() first");
      const other = await openDatabase({ url: server.url, authToken: server.authToken });
      others.push(other);
      return other;
    },
    async close() {
      for (const other of others.splice(0)) other.close();
      database?.close();
      await server?.stop();
    },
  };
}

export const testBackends = (): TestBackend[] => [fileBackend(), sqldBackend()];

/** Children before parents, for the foreign keys. */
const TABLES = [
  "judgments",
  "player_model_stats",
  "fake_face_stats",
  "real_face_stats",
  "rounds",
  "expired_rounds",
  "players",
  "secrets",
  "rate_buckets",
];

export async function resetDatabase(database: Database): Promise<void> {
  await database.db.batch([
    database.db.run(sql.raw(`DELETE FROM ${TABLES[0]}`)),
    ...TABLES.slice(1).map((table) => database.db.run(sql.raw(`DELETE FROM ${table}`))),
    // Judgment ids start again at 1 only if AUTOINCREMENT's memory of the old ones goes too.
    database.db.run(sql`DELETE FROM sqlite_sequence WHERE name = 'judgments'`),
    database.db.run(sql`UPDATE sums_cursor SET folded_through = 0, token = NULL`),
  ]);
}
