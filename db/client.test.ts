/**
 * Opening and migrating: idempotent, safe when several servers migrate one fresh database at once, and
 * the embedded file's durability settings in place.
 */
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Database, type DatabaseOptions, MIGRATIONS_DIR, migrateDatabase, openDatabase } from "./client.ts";
import { type SqldServer, startSqld } from "./testing/sqld.ts";

const TABLES = [
  "fake_face_stats",
  "judgments",
  "player_model_stats",
  "players",
  "real_face_stats",
  "rounds",
  "sums_cursor",
];
const MIGRATIONS: number = JSON.parse(readFileSync(path.join(MIGRATIONS_DIR, "meta/_journal.json"), "utf8")).entries
  .length;

async function tables(database: Database): Promise<string[]> {
  const result = await database.client.execute(
    "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE '\\_%' ESCAPE '\\' AND name <> 'sqlite_sequence' ORDER BY name",
  );
  return result.rows.map((row) => String(row.name));
}

async function migrationsApplied(database: Database): Promise<number> {
  const result = await database.client.execute("SELECT count(*) AS n FROM __drizzle_migrations");
  return Number(result.rows[0]?.n);
}

/** Several "servers" (clients) migrating one fresh database at the same moment. */
async function migrateTogether(options: DatabaseOptions, servers: number): Promise<Database[]> {
  const databases = await Promise.all(Array.from({ length: servers }, () => openDatabase(options)));
  await Promise.all(databases.map((database) => migrateDatabase(database)));
  return databases;
}

describe("migrateDatabase on an embedded file", () => {
  let folder: string;
  beforeAll(() => {
    folder = mkdtempSync(path.join(os.tmpdir(), "stf-migrate-"));
  });
  afterAll(() => rmSync(folder, { recursive: true, force: true }));

  it("creates the folder and the schema, and a second run changes nothing", async () => {
    const database = await openDatabase({ url: `file:${path.join(folder, "nested/dir/game.db")}` });
    await migrateDatabase(database);
    await migrateDatabase(database);
    expect(await tables(database)).toEqual(TABLES);
    expect(await migrationsApplied(database)).toBe(MIGRATIONS);
    const triggers = await database.client.execute(
      "SELECT name FROM sqlite_master WHERE type = 'trigger' ORDER BY name",
    );
    expect(triggers.rows.map((row) => row.name)).toEqual([
      "judgments_mark_round_answered",
      "judgments_timed_staircase",
    ]);
    const mode = await database.client.execute("PRAGMA journal_mode");
    const sync = await database.client.execute("PRAGMA synchronous");
    const keys = await database.client.execute("PRAGMA foreign_keys");
    expect([mode.rows[0]?.journal_mode, Number(sync.rows[0]?.synchronous), Number(keys.rows[0]?.foreign_keys)]).toEqual(
      ["wal", 1, 1],
    );
    database.close();
  });

  it("survives several processes' clients migrating one new file at once", async () => {
    const databases = await migrateTogether({ url: `file:${path.join(folder, "shared.db")}` }, 3);
    expect(await tables(databases[0] as Database)).toEqual(TABLES);
    expect(await migrationsApplied(databases[0] as Database)).toBe(MIGRATIONS);
    for (const database of databases) database.close();
  });
});

describe("migrateDatabase on a sqld server", () => {
  let server: SqldServer;
  beforeAll(async () => {
    server = await startSqld();
  });
  afterAll(() => server.stop());

  it("migrates once when several app servers start together, with the auth token", async () => {
    const options = { url: server.url, authToken: server.authToken };
    const databases = await migrateTogether(options, 4);
    expect(await tables(databases[0] as Database)).toEqual(TABLES);
    expect(await migrationsApplied(databases[0] as Database)).toBe(MIGRATIONS);
    for (const database of databases) database.close();
  });

  it("refuses a client without the right token", async () => {
    const intruder = await openDatabase({ url: server.url, authToken: "not-a-token" });
    await expect(intruder.client.execute("SELECT 1")).rejects.toThrow(/401/);
    intruder.close();
  });
});
