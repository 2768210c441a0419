/**
 * The HTTP API contract, against the built server (astro build + its production entry, src/server/entry.ts) on an
 * embedded database: every status code of the contract, exactly-once answers under concurrent duplicates,
 * the cookie and security headers, and nicknames rendered as text.
 */
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Database, openDatabase } from "../../db/client.ts";
import { buildServer, type RunningServer, startServer } from "./testing/built-server.ts";
import { makeQuizPool, writeModels } from "./testing/fixtures.ts";

interface Reply {
  status: number;
  headers: Headers;
  body: unknown;
  text: string;
}

/** One browser-like client: keeps its player cookie between requests. */
class Client {
  cookie: string | null = null;

  constructor(readonly base: string) {}

  async send(
    method: string,
    url: string,
    body?: string | object,
    headers: Record<string, string> = {},
  ): Promise<Reply> {
    const response = await fetch(`${this.base}${url}`, {
      method,
      headers: {
        ...(body !== undefined ? { "content-type": "application/json" } : {}),
        ...(this.cookie ? { cookie: this.cookie } : {}),
        ...headers,
      },
      body: body === undefined ? undefined : typeof body === "string" ? body : JSON.stringify(body),
    });
    const setCookie = response.headers.get("set-cookie");
    if (setCookie) this.cookie = setCookie.split(";")[0] ?? null;
    const text = await response.text();
    let parsed: unknown = null;
    try {
      parsed = JSON.parse(text);
    } catch {
      parsed = null;
    }
    return { status: response.status, headers: response.headers, body: parsed, text };
  }
}

interface Round {
  id: string;
  mode: string;
  faces: { slot: number; source: string; url?: string; model?: string; seed?: number; truncation?: number | null }[];
  expiresAt: string;
  exposureMs?: number;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const realSlot = (round: Round) => round.faces.find((face) => face.source === "real")?.slot ?? 0;

describe("HTTP API (built server, embedded database)", () => {
  let folder: string;
  let server: RunningServer;
  let database: Database;
  const client = () => new Client(server.url);

  beforeAll(async () => {
    folder = mkdtempSync(path.join(os.tmpdir(), "stf-api-"));
    await makeQuizPool(path.join(folder, "pool"), 8);
    writeModels(path.join(folder, "models"), [{ version: "v1", truncation: 0.75 }]);
    const databaseUrl = `file:${path.join(folder, "game.db")}`;
    server = await startServer(buildServer(), {
      DATABASE_URL: databaseUrl,
      QUIZ_POOL_DIR: path.join(folder, "pool"),
      MODELS_DIR: path.join(folder, "models"),
    });
    // The test reads and ages rows directly: same file, second connection (WAL allows it).
    await client().send("GET", "/api/players/me");
    database = await openDatabase({ url: databaseUrl });
  }, 180_000);

  afterAll(async () => {
    database?.close();
    await server?.stop();
    rmSync(folder, { recursive: true, force: true });
  });

  it("creates a pair round by default: 201, an HttpOnly SameSite cookie, faces decided by the server", async () => {
    const player = client();
    const reply = await player.send("POST", "/api/rounds", {});
    expect(reply.status).toBe(201);
    const round = reply.body as Round;
    expect(round.mode).toBe("pair");
    expect(round.faces).toHaveLength(2);
    expect(round.faces.find((f) => f.source === "real")?.url).toBe(`/api/faces/${round.id}/${realSlot(round)}`);
    expect(round.faces.find((f) => f.source === "generated")).toMatchObject({ model: "v1", truncation: 0.75 });
    expect(Date.parse(round.expiresAt)).toBeGreaterThan(Date.now());
    const cookie = reply.headers.get("set-cookie") ?? "";
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/SameSite=Strict/i);
    const empty = await player.send("POST", "/api/rounds");
    expect(empty.status).toBe(201);
  });

  it("gives timed rounds an exposure and single rounds one face", async () => {
    const player = client();
    const timed = (await player.send("POST", "/api/rounds", { mode: "timed" })).body as Round;
    expect(timed.exposureMs).toBe(500);
    expect(timed.faces).toHaveLength(1);
    const single = (await player.send("POST", "/api/rounds", { mode: "single" })).body as Round;
    expect(single.faces).toHaveLength(1);
    expect(single.exposureMs).toBeUndefined();
  });

  it("refuses bad round requests with 400, 413 and 422, as JSON", async () => {
    const player = client();
    const malformed = await player.send("POST", "/api/rounds", "{mode:");
    expect(malformed.status).toBe(400);
    expect(malformed.body).toEqual({ error: expect.any(String) });
    expect((await player.send("POST", "/api/rounds", { mode: "blitz" })).status).toBe(422);
    expect((await player.send("POST", "/api/rounds", { mode: "pair", cheat: true })).status).toBe(422);
    expect((await player.send("POST", "/api/rounds", [1, 2])).status).toBe(422);
    const huge = await player.send("POST", "/api/rounds", { mode: "pair", pad: "x".repeat(5_000) });
    expect(huge.status).toBe(413);
    expect(huge.body).toEqual({ error: expect.any(String) });
  });

  it("scores an answer once: 200, then 409 with the first answer standing", async () => {
    const player = client();
    const round = (await player.send("POST", "/api/rounds", { mode: "pair" })).body as Round;
    await sleep(300);
    const first = await player.send("POST", `/api/rounds/${round.id}/answer`, {
      choice: realSlot(round),
      responseMs: 1200,
    });
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ correct: true, fakeSlots: [1 - realSlot(round)] });
    const second = await player.send("POST", `/api/rounds/${round.id}/answer`, { choice: 1 - realSlot(round) });
    expect(second.status).toBe(409);
    const rows = await database.client.execute({
      sql: "SELECT correct FROM judgments WHERE round_id = ?",
      args: [round.id],
    });
    expect(rows.rows.map((row) => Number(row.correct))).toEqual([1]);
  });

  it("answers 404, 403, 410, 400, 422 and 413 as the contract says", async () => {
    const owner = client();
    const stranger = client();
    await stranger.send("POST", "/api/rounds", {});
    const round = (await owner.send("POST", "/api/rounds", { mode: "single" })).body as Round;
    const answerUrl = `/api/rounds/${round.id}/answer`;
    expect((await owner.send("POST", "/api/rounds/AAAAAAAAAAAAAAAAAAAAAA/answer", { verdict: "real" })).status).toBe(
      404,
    );
    expect((await stranger.send("POST", answerUrl, { verdict: "real" })).status).toBe(403);
    expect((await client().send("POST", answerUrl, { verdict: "real" })).status).toBe(403);
    expect((await owner.send("POST", answerUrl, "not json")).status).toBe(400);
    expect((await owner.send("POST", answerUrl, { choice: 0 })).status).toBe(422);
    expect((await owner.send("POST", answerUrl, { verdict: "maybe" })).status).toBe(422);
    expect((await owner.send("POST", answerUrl, { verdict: "real", responseMs: -5 })).status).toBe(422);
    expect((await owner.send("POST", answerUrl, { verdict: "real", pad: "y".repeat(4_000) })).status).toBe(413);
    await database.client.execute({ sql: "UPDATE rounds SET expires_at = 0 WHERE id = ?", args: [round.id] });
    const expired = await owner.send("POST", answerUrl, { verdict: "real" });
    expect(expired.status).toBe(410);
    expect(expired.body).toEqual({ error: expect.any(String) });
  });

  it("accepts exactly one of 20 parallel answers to one round", async () => {
    const player = client();
    const round = (await player.send("POST", "/api/rounds", { mode: "pair" })).body as Round;
    const replies = await Promise.all(
      Array.from({ length: 20 }, (_, i) => player.send("POST", `/api/rounds/${round.id}/answer`, { choice: i % 2 })),
    );
    const statuses = replies.map((reply) => reply.status).sort();
    expect(statuses).toEqual([200, ...Array(19).fill(409)]);
    const rows = await database.client.execute({
      sql: "SELECT count(*) AS n FROM judgments WHERE round_id = ?",
      args: [round.id],
    });
    expect(Number(rows.rows[0]?.n)).toBe(1);
  });

  it("rate-limits round creation with 429 and Retry-After, and keeps that client's answers out of the statistics", async () => {
    const player = client();
    const early = (await player.send("POST", "/api/rounds", { mode: "pair" })).body as Round;
    let limited: Reply | undefined;
    for (let i = 0; i < 60 && !limited; i++) {
      const reply = await player.send("POST", "/api/rounds", {});
      if (reply.status === 429) limited = reply;
    }
    expect(limited?.status).toBe(429);
    expect(Number(limited?.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
    expect(limited?.body).toEqual({ error: expect.any(String) });
    const answer = await player.send("POST", `/api/rounds/${early.id}/answer`, {
      choice: realSlot(early),
      responseMs: 2000,
    });
    expect(answer.status).toBe(200);
    const rows = await database.client.execute({
      sql: "SELECT excluded FROM judgments WHERE round_id = ?",
      args: [early.id],
    });
    expect(rows.rows[0]?.excluded).toBe("rate_limited");
  });

  it("refuses state-changing requests from other origins", async () => {
    const player = client();
    const evil = await player.send("POST", "/api/rounds", {}, { origin: "https://evil.example" });
    expect(evil.status).toBe(403);
    expect(evil.body).toEqual({ error: expect.any(String) });
    expect(
      (await player.send("PUT", "/api/players/me", { nickname: "x" }, { "sec-fetch-site": "cross-site" })).status,
    ).toBe(403);
    const own = await player.send("POST", "/api/rounds", {}, { origin: server.url, "sec-fetch-site": "same-origin" });
    expect(own.status).toBe(201);
  });

  it("serves real faces as PNG with the same headers for every face, and nothing for a fake slot", async () => {
    const player = client();
    const round = (await player.send("POST", "/api/rounds", { mode: "pair" })).body as Round;
    const image = await fetch(`${server.url}/api/faces/${round.id}/${realSlot(round)}`);
    expect(image.status).toBe(200);
    expect(image.headers.get("content-type")).toBe("image/png");
    expect(image.headers.get("cache-control")).toBe("private, max-age=3600");
    expect(image.headers.get("etag")).toBeNull();
    expect(image.headers.get("last-modified")).toBeNull();
    expect(image.headers.get("cross-origin-resource-policy")).toBe("same-origin");
    const fake = await fetch(`${server.url}/api/faces/${round.id}/${1 - realSlot(round)}`);
    expect(fake.status).toBe(404);
  });

  it("puts a CSP, cross-origin isolation and hardening headers on pages and API responses", async () => {
    const page = await fetch(`${server.url}/leaderboard`);
    const csp = page.headers.get("content-security-policy") ?? "";
    expect(csp).toContain("'wasm-unsafe-eval'");
    expect(csp).toMatch(/worker-src[^;]*blob:/);
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).toMatch(/script-src 'self'/);
    expect(csp).not.toMatch(/script-src[^;]*'unsafe-inline'/);
    const api = await fetch(`${server.url}/api/leaderboard`);
    for (const response of [page, api]) {
      expect(response.headers.get("cross-origin-opener-policy")).toBe("same-origin");
      expect(response.headers.get("cross-origin-embedder-policy")).toBe("require-corp");
      expect(response.headers.get("x-content-type-options")).toBe("nosniff");
      expect(response.headers.get("content-security-policy")).toBeTruthy();
    }
    expect(api.headers.get("content-security-policy")).toContain("default-src 'none'");
    const missing = await fetch(`${server.url}/api/nothing/here`);
    expect(missing.status).toBe(404);
    expect(await missing.json()).toEqual({ error: expect.any(String) });
  });

  it("answers the leaderboard with per-model statistics", async () => {
    const reply = await client().send("GET", "/api/leaderboard");
    expect(reply.status).toBe(200);
    expect(reply.body).toMatchObject({
      models: expect.any(Array),
      excluded: { total: expect.any(Number), tooFast: expect.any(Number), rateLimited: expect.any(Number) },
      convincingFakes: expect.any(Array),
      doubtedReals: expect.any(Array),
      detectors: expect.any(Array),
    });
  });

  it("validates nicknames and renders hostile ones as text on the leaderboard", async () => {
    const player = client();
    expect((await player.send("PUT", "/api/players/me", { nickname: "   " })).status).toBe(422);
    expect((await player.send("PUT", "/api/players/me", { nickname: "x".repeat(25) })).status).toBe(422);
    expect((await player.send("PUT", "/api/players/me", { name: "x" })).status).toBe(422);
    const hostile = "<img src=x onerror=1>";
    const set = await player.send("PUT", "/api/players/me", { nickname: `  ${hostile} ` });
    expect(set.status).toBe(200);
    expect(set.body).toEqual({ nickname: hostile });
    // Twenty counted rounds make a detector: answered after the response floor, well inside the rate limit.
    const rounds = await Promise.all(
      Array.from({ length: 20 }, () => player.send("POST", "/api/rounds", { mode: "pair" })),
    );
    await sleep(400);
    for (const reply of rounds) {
      const round = reply.body as Round;
      expect((await player.send("POST", `/api/rounds/${round.id}/answer`, { choice: realSlot(round) })).status).toBe(
        200,
      );
    }
    let html = "";
    for (let attempt = 0; attempt < 60 && !html.includes("onerror=1"); attempt++) {
      html = await (await fetch(`${server.url}/leaderboard`)).text();
      if (!html.includes("onerror=1")) await sleep(500);
    }
    expect(html).toContain("&lt;img src=x onerror=1&gt;");
    expect(html).not.toContain(hostile);
  });

  it("answers 503 with a clear error while no model version is active", async () => {
    writeModels(path.join(folder, "models"), [{ version: "v1", status: "retired", truncation: 0.75 }]);
    await sleep(1_200);
    const paused = await client().send("POST", "/api/rounds", {});
    expect(paused.status).toBe(503);
    expect((paused.body as { error: string }).error).toMatch(/no model version is active/);
    writeModels(path.join(folder, "models"), [{ version: "v1", truncation: 0.75 }]);
    await sleep(1_200);
    expect((await client().send("POST", "/api/rounds", {})).status).toBe(201);
  });
});
