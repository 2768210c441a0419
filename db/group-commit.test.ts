/**
 * Group commit on a real embedded database: writes submitted together commit together (one batch), each
 * caller learns its own result, and one failing statement fails only itself.
 */
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { type Client, createClient } from "@libsql/client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GroupCommit } from "./group-commit.ts";

describe("GroupCommit", () => {
  const folder = mkdtempSync(path.join(os.tmpdir(), "stf-group-commit-"));
  let real: Client;
  /** The real client, with its batch calls counted (GroupCommit uses only batch and execute). */
  let client: Client;
  let batches: number[];

  beforeAll(async () => {
    real = createClient({ url: `file:${path.join(folder, "g.db")}` });
    await real.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT NOT NULL UNIQUE)");
    batches = [];
    client = {
      batch: (...args: Parameters<Client["batch"]>) => {
        batches.push(args[0].length);
        return real.batch(...args);
      },
      execute: (statement: Parameters<Client["execute"]>[0]) => real.execute(statement),
    } as unknown as Client;
  });
  afterAll(() => {
    real.close();
    rmSync(folder, { recursive: true, force: true });
  });

  it("commits the writes of one moment as one batch, each caller getting its own result", async () => {
    const writes = new GroupCommit(client);
    const results = await Promise.all(
      Array.from({ length: 10 }, (_, i) => writes.execute({ sql: "INSERT INTO t (v) VALUES (?)", args: [`a${i}`] })),
    );
    expect(batches).toEqual([10]);
    expect(results.map((r) => r.rowsAffected)).toEqual(Array(10).fill(1));
    expect(new Set(results.map((r) => Number(r.lastInsertRowid))).size).toBe(10);
    const count = await real.execute("SELECT count(*) AS n FROM t");
    expect(Number(count.rows[0]?.n)).toBe(10);
  });

  it("splits a burst at the batch limit", async () => {
    batches.length = 0;
    const writes = new GroupCommit(client, 4);
    await Promise.all(
      Array.from({ length: 10 }, (_, i) => writes.execute({ sql: "INSERT INTO t (v) VALUES (?)", args: [`b${i}`] })),
    );
    expect(batches).toEqual([4, 4, 2]);
  });

  it("fails only the statement that fails: the rest of its batch is still committed", async () => {
    const writes = new GroupCommit(client);
    const outcomes = await Promise.allSettled(
      ["c1", "a0", "c2"].map((v) => writes.execute({ sql: "INSERT INTO t (v) VALUES (?)", args: [v] })),
    );
    expect(outcomes.map((o) => o.status)).toEqual(["fulfilled", "rejected", "fulfilled"]);
    expect(String((outcomes[1] as PromiseRejectedResult).reason)).toMatch(/UNIQUE/);
    const stored = await real.execute("SELECT v FROM t WHERE v LIKE 'c%' ORDER BY v");
    expect(stored.rows.map((row) => row.v)).toEqual(["c1", "c2"]);
  });

  it("keeps one batch in flight: writes arriving during a slow commit go together in the next", async () => {
    let inFlight = 0;
    let mostInFlight = 0;
    const sizes: number[] = [];
    // The real client behind a slow link (as a libsql server across a network would be).
    const slow = {
      batch: async (...args: Parameters<Client["batch"]>) => {
        inFlight++;
        mostInFlight = Math.max(mostInFlight, inFlight);
        sizes.push(args[0].length);
        await new Promise((resolve) => setTimeout(resolve, 30));
        const results = await real.batch(...args);
        inFlight--;
        return results;
      },
      execute: (statement: Parameters<Client["execute"]>[0]) => real.execute(statement),
    } as unknown as Client;
    const writes = new GroupCommit(slow);
    const insert = (v: string) => writes.execute({ sql: "INSERT INTO t (v) VALUES (?)", args: [v] });
    const first = [insert("d1")];
    await new Promise((resolve) => setTimeout(resolve, 5));
    const during = ["d2", "d3", "d4"].map(insert);
    await Promise.all([...first, ...during]);
    expect(mostInFlight).toBe(1);
    expect(sizes).toEqual([1, 3]);
  });
});
