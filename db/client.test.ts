/**
 * Opening and migrating: idempotent, safe when several servers migrate one fresh database at once, and
 * the embedded file's durability settings in place.
 */
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { migrate } from "drizzle-orm/libsql/migrator";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Database, type DatabaseOptions, MIGRATIONS_DIR, migrateDatabase, openDatabase } from "./client.ts";
import { type SqldServer, startSqld } from "./testing/sqld.ts";

const TABLES = [
  "expired_rounds",
  "fake_face_stats",
  "judgments",
  "player_model_stats",
  "players",
  "rate_buckets",
  "real_face_stats",
  "rounds",
  "secrets",
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

  it("gives rounds and running sums from before sampling policies the policy random, keeping every count", async () => {
    // The schema as it was before migration 0005: the first five migrations only.
    const before = path.join(folder, "migrations-0004");
    cpSync(MIGRATIONS_DIR, before, { recursive: true });
    const journal = JSON.parse(readFileSync(path.join(before, "meta/_journal.json"), "utf8"));
    journal.entries = journal.entries.filter((entry: { idx: number }) => entry.idx <= 4);
    writeFileSync(path.join(before, "meta/_journal.json"), JSON.stringify(journal));
    const database = await openDatabase({ url: `file:${path.join(folder, "old/game.db")}` });
    await migrate(database.db, { migrationsFolder: before });
    await database.client.batch([
      "INSERT INTO players (id, token_hash, exposure_ms, created_at) VALUES (1, 'h', 500, 0)",
      `INSERT INTO rounds (id, player_id, mode, model_version, seed, truncation, real_face_id, slots, created_at, expires_at)
        VALUES ('r1', 1, 'pair', 'v1', 42, 0.7, 'f1', '["real","fake"]', 0, 1)`,
      `INSERT INTO player_model_stats (model_version, mode, player_id, judged, fakes_shown, fakes_judged_real)
        VALUES ('v1', 'pair', 1, 3, 3, 2)`,
      "INSERT INTO fake_face_stats (model_version, seed, truncation_key, shown, judged_real) VALUES ('v1', 42, 0.7, 6, 5)",
    ]);
    await migrateDatabase(database);
    expect(await migrationsApplied(database)).toBe(MIGRATIONS);
    const read = async (query: string) => (await database.client.execute(query)).rows.map((row) => ({ ...row }));
    expect(await read("SELECT id, policy FROM rounds")).toEqual([{ id: "r1", policy: "random" }]);
    expect(await read("SELECT policy, judged, fakes_judged_real FROM player_model_stats")).toEqual([
      { policy: "random", judged: 3, fakes_judged_real: 2 },
    ]);
    expect(await read("SELECT policy, seed, shown, judged_real FROM fake_face_stats")).toEqual([
      { policy: "random", seed: 42, shown: 6, judged_real: 5 },
    ]);
    // The re-created table keeps its expression index, and the same fake under the other policy is a new row.
    const indexes = await read("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'fake_face_stats'");
    expect(indexes.map((row) => row.name)).toContain("fake_face_stats_convincing");
    await database.client.execute(
      "INSERT INTO fake_face_stats (model_version, policy, seed, truncation_key, shown) VALUES ('v1', 'curated', 42, 0.7, 1)",
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
