/**
 * The HTTP API contract, against the built server (astro build + its production entry, src/server/entry.ts) on an
 * embedded database: every status code of the contract, exactly-once answers under concurrent duplicates,
 * the cookie and security headers, and nicknames rendered as text. Then two server processes sharing one
 * sqld: one rate-limit allowance between them, and rounds answered on either.
 */
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Database, openDatabase } from "../../db/client.ts";
import { type SqldServer, startSqld } from "../../db/testing/sqld.ts";
import type { RoundView } from "../core/rounds-api.ts";
import { DEFAULT_RULES } from "./http/rate-limits.ts";
import { buildServer, type RunningServer, startServer } from "./testing/built-server.ts";
import { fixtureBank, makeQuizPool, writeModels } from "./testing/fixtures.ts";

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

/** One build for both groups of tests below (a build takes a while on a busy machine). */
let builtEntry: string | undefined;
const entry = () => {
  builtEntry ??= buildServer();
  return builtEntry;
};

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const realSlot = (round: RoundView) => round.faces.find((face) => face.source === "real")?.slot ?? 0;

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
    server = await startServer(entry(), {
      DATABASE_URL: databaseUrl,
      QUIZ_POOL_DIR: path.join(folder, "pool"),
      MODELS_DIR: path.join(folder, "models"),
    });
    // The test reads and ages rows directly: same file, second connection (WAL allows it).
    await client().send("GET", "/api/players/me");
    database = await openDatabase({ url: databaseUrl });
    // The build alone takes minutes on a busy 2-core machine.
  }, 600_000);

  afterAll(async () => {
    database?.close();
    await server?.stop();
    rmSync(folder, { recursive: true, force: true });
  });

  it("creates a pair round by default: 201, an HttpOnly SameSite cookie, faces decided by the server", async () => {
    const player = client();
    const reply = await player.send("POST", "/api/rounds", {});
    expect(reply.status).toBe(201);
    const round = reply.body as RoundView;
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
    const timed = (await player.send("POST", "/api/rounds", { mode: "timed" })).body as RoundView;
    expect(timed.exposureMs).toBe(500);
    expect(timed.faces).toHaveLength(1);
    const single = (await player.send("POST", "/api/rounds", { mode: "single" })).body as RoundView;
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
    const round = (await player.send("POST", "/api/rounds", { mode: "pair" })).body as RoundView;
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
    const round = (await owner.send("POST", "/api/rounds", { mode: "single" })).body as RoundView;
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
    const round = (await player.send("POST", "/api/rounds", { mode: "pair" })).body as RoundView;
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
    const early = (await player.send("POST", "/api/rounds", { mode: "pair" })).body as RoundView;
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
    const round = (await player.send("POST", "/api/rounds", { mode: "pair" })).body as RoundView;
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
      const round = reply.body as RoundView;
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

  it("mixes sampling policies without a tell, and exports judgments from which the leaderboard is recomputed", async () => {
    const models = path.join(folder, "models");
    const bank = fixtureBank(200, 0.5);
    writeModels(models, [{ version: "v1", truncation: 0.75, policies: { curated: 1, random: 1 }, bank }]);
    await sleep(1_200);
    const players = Array.from({ length: 6 }, () => client());
    const made: RoundView[] = [];
    for (const [p, player] of players.entries()) {
      // One after the other: the first reply sets the cookie that makes the rest this player's.
      const rounds: RoundView[] = [];
      for (let i = 0; i < 20; i++)
        rounds.push((await player.send("POST", "/api/rounds", { mode: "pair" })).body as RoundView);
      await sleep(300);
      for (const [i, round] of rounds.entries()) {
        // Each player is fooled now and then, on a pattern of their own.
        const choice = (i + p) % 4 === 0 ? 1 - realSlot(round) : realSlot(round);
        const answer = await player.send("POST", `/api/rounds/${round.id}/answer`, { choice, responseMs: 900 });
        expect(answer.status).toBe(200);
      }
      made.push(...rounds);
    }

    // The JSON has the same shape whichever policy drew the fake; only the database knows which did.
    const stored = await database.client.execute(
      `SELECT id, policy, seed FROM rounds WHERE id IN (${made.map((r) => `'${r.id}'`).join(",")})`,
    );
    const policyOf = new Map(stored.rows.map((row) => [String(row.id), String(row.policy)]));
    const shape = (round: RoundView) => JSON.stringify([Object.keys(round), round.faces.map((f) => Object.keys(f))]);
    const shapes = (policy: string) => new Set(made.filter((r) => policyOf.get(r.id) === policy).map(shape));
    expect(shapes("curated").size).toBeGreaterThan(0);
    expect(shapes("curated")).toEqual(shapes("random"));
    const bankSeeds = new Set(bank.map((entry) => entry.seed));
    for (const row of stored.rows.filter((r) => r.policy === "curated"))
      expect(bankSeeds.has(Number(row.seed))).toBe(true);

    const download = await fetch(`${server.url}/api/judgments.csv`);
    expect(download.status).toBe(200);
    expect(download.headers.get("content-type")).toBe("text/csv; charset=utf-8");
    expect(download.headers.get("content-disposition")).toMatch(/attachment/);
    const text = await download.text();
    const head = await fetch(`${server.url}/api/judgments.csv`, { method: "HEAD" });
    expect([head.status, head.headers.get("content-type"), await head.text()]).toEqual([
      200,
      "text/csv; charset=utf-8",
      "",
    ]);
    const [header, ...lines] = text.trimEnd().split("\n");
    const columns = (header ?? "").split(",");
    const rows = lines.map((line) => Object.fromEntries(line.split(",").map((value, i) => [columns[i], value])));
    const counted = await database.client.execute(
      "SELECT count(*) AS n, count(DISTINCT player_id) AS players FROM judgments WHERE excluded IS NULL",
    );
    expect(rows).toHaveLength(Number(counted.rows[0]?.n));
    expect(new Set(rows.map((row) => row.player)).size).toBe(Number(counted.rows[0]?.players));
    for (const row of rows) expect(row.player).toMatch(/^p[A-Za-z0-9_-]{12}$/);
    for (const player of players) expect(text).not.toContain((player.cookie ?? "=").split("=")[1]);

    // Recompute each policy's fool-rate from the file and find the leaderboard's number.
    const group = (policy: string) =>
      rows.filter((r) => r.version === "v1" && r.mode === "pair" && r.policy === policy);
    const fromCsv = (policy: string) => {
      const fakes = group(policy).filter((row) => row.seed !== "");
      return {
        rounds: group(policy).length,
        judgments: fakes.length,
        players: new Set(fakes.map((row) => row.player)).size,
        foolRate: fakes.filter((row) => row.verdict === "real").length / fakes.length,
      };
    };
    type Row = { model: string; mode: string; policy: string; rounds: number; foolRate: Record<string, number | null> };
    let board: Row[] = [];
    const upToDate = () =>
      ["random", "curated"].every(
        (policy) =>
          board.find((r) => r.model === "v1" && r.mode === "pair" && r.policy === policy)?.rounds ===
          fromCsv(policy).rounds,
      );
    for (let attempt = 0; attempt < 60 && !upToDate(); attempt++) {
      await sleep(500);
      board = ((await client().send("GET", "/api/leaderboard")).body as { models: Row[] }).models;
    }
    for (const policy of ["random", "curated"]) {
      const expected = fromCsv(policy);
      const row = board.find((r) => r.model === "v1" && r.mode === "pair" && r.policy === policy);
      expect(expected.judgments, policy).toBeGreaterThanOrEqual(30);
      expect(row?.foolRate.judgments, policy).toBe(expected.judgments);
      expect(row?.foolRate.players, policy).toBe(expected.players);
      expect(row?.foolRate.estimate, policy).toBeCloseTo(expected.foolRate, 12);
    }

    const page = await (await fetch(`${server.url}/leaderboard`)).text();
    expect(page).toContain('href="/api/judgments.csv"');
    expect(page).toMatch(/<td[^>]*>curated<\/td>/);
    // The model cards split the human statistics by policy too.
    expect(await (await fetch(`${server.url}/models`)).text()).toMatch(/<td[^>]*>curated<\/td>/);
    expect((await client().send("POST", "/api/judgments.csv", {})).status).toBe(405);
    // The export reads every judgment: a few in a row, then 429 for a while.
    const statuses = [];
    for (let i = 0; i < 6; i++) {
      const reply = await fetch(`${server.url}/api/judgments.csv`);
      await reply.body?.cancel();
      statuses.push(reply.status);
    }
    expect(statuses.at(-1)).toBe(429);
  }, 120_000);

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

describe("several app servers on one sqld", () => {
  let folder: string;
  let sqld: SqldServer;
  let servers: RunningServer[];
  let database: Database;

  beforeAll(async () => {
    folder = mkdtempSync(path.join(os.tmpdir(), "stf-servers-"));
    await makeQuizPool(path.join(folder, "pool"), 8);
    writeModels(path.join(folder, "models"), [{ version: "v1", truncation: 0.75 }]);
    sqld = await startSqld();
    const env = {
      DATABASE_URL: sqld.url,
      DATABASE_AUTH_TOKEN: sqld.authToken,
      QUIZ_POOL_DIR: path.join(folder, "pool"),
      MODELS_DIR: path.join(folder, "models"),
    };
    // Two processes, two ports: the test, not a load balancer, decides which one each request reaches.
    servers = [await startServer(entry(), env), await startServer(entry(), env)];
    database = await openDatabase({ url: sqld.url, authToken: sqld.authToken });
  }, 600_000);

  afterAll(async () => {
    database?.close();
    await Promise.all((servers ?? []).map((server) => server.stop()));
    await sqld?.stop();
    rmSync(folder, { recursive: true, force: true });
  });

  /** One player (one cookie) whose every request names the server it goes to. */
  const newPlayer = () => {
    let cookie: string | null = null;
    return async (server: RunningServer, method: string, url: string, body?: object) => {
      const there = new Client(server.url);
      there.cookie = cookie;
      const reply = await there.send(method, url, body);
      cookie ??= there.cookie;
      return reply;
    };
  };

  it("answers a round on either server, exactly once", async () => {
    const [a, b] = servers as [RunningServer, RunningServer];
    const send = newPlayer();
    const onA = (await send(a, "POST", "/api/rounds", {})).body as RoundView;
    const onB = (await send(b, "POST", "/api/rounds", {})).body as RoundView;
    expect((await send(b, "POST", `/api/rounds/${onA.id}/answer`, { choice: realSlot(onA) })).status).toBe(200);
    // A still remembers its round as unanswered; the database's claim says otherwise.
    expect((await send(a, "POST", `/api/rounds/${onA.id}/answer`, { choice: realSlot(onA) })).status).toBe(409);
    expect((await send(a, "POST", `/api/rounds/${onB.id}/answer`, { choice: realSlot(onB) })).status).toBe(200);
  });

  it("takes an answer token only when the answer is not the plain claim of a round its server made", async () => {
    const [a, b] = servers as [RunningServer, RunningServer];
    const send = newPlayer();
    const made = [];
    for (let i = 0; i < 3; i++) made.push((await send(a, "POST", "/api/rounds", {})).body as RoundView);
    const [first, second, third] = made as [RoundView, RoundView, RoundView];
    const owner = await database.client.execute({ sql: "SELECT player_id FROM rounds WHERE id = ?", args: [first.id] });
    const answerTokens = async () => {
      const rows = await database.client.execute({
        sql: "SELECT tokens FROM rate_buckets WHERE rule = 'answers' AND client = ?",
        args: [String(owner.rows[0]?.player_id)],
      });
      return rows.rows.length === 0 ? null : Number(rows.rows[0]?.tokens);
    };
    // Answered where they were made: their rounds paid, no answers bucket yet.
    for (const round of [first, second]) {
      expect((await send(a, "POST", `/api/rounds/${round.id}/answer`, { choice: realSlot(round) })).status).toBe(200);
    }
    expect(await answerTokens()).toBeNull();
    // The other server does not remember the round: a token. A repeat: another.
    expect((await send(b, "POST", `/api/rounds/${third.id}/answer`, { choice: realSlot(third) })).status).toBe(200);
    expect((await send(a, "POST", `/api/rounds/${first.id}/answer`, { choice: realSlot(first) })).status).toBe(409);
    const { burst } = DEFAULT_RULES.answersPerPlayer;
    // Two takes from a full bucket (and a little refill between them).
    expect(await answerTokens()).toBeGreaterThanOrEqual(burst - 2);
    expect(await answerTokens()).toBeLessThanOrEqual(burst - 1);
    // Repeats are refused with 429 once the bucket runs dry.
    const repeats = await Promise.all(
      Array.from({ length: burst + 5 }, () => send(a, "POST", `/api/rounds/${first.id}/answer`, { choice: 0 })),
    );
    expect(repeats.map((reply) => reply.status)).toContain(429);
  });

  it("gives a player one rate-limit allowance across both servers, and keeps their answers out of the statistics", async () => {
    const [a, b] = servers as [RunningServer, RunningServer];
    const send = newPlayer();
    const first = await send(a, "POST", "/api/rounds", {});
    expect(first.status).toBe(201);
    const kept = first.body as RoundView;
    // Twice the burst, alternating servers, all at once: each server alone would allow a burst.
    const { burst, perSecond } = DEFAULT_RULES.roundsPerPlayer;
    const started = performance.now();
    const replies = await Promise.all(
      Array.from({ length: 2 * burst }, (_, i) => send(i % 2 === 0 ? a : b, "POST", "/api/rounds", {})),
    );
    const seconds = (performance.now() - started) / 1000;
    const statuses = replies.map((reply) => reply.status);
    expect(statuses.every((status) => status === 201 || status === 429)).toBe(true);
    const accepted = statuses.filter((status) => status === 201).length;
    // The burst less the first round, plus what refilled while the requests ran (and one for rounding);
    // with a bucket per process, each server alone would have let through nearly a burst.
    expect(accepted).toBeGreaterThanOrEqual(burst - 1);
    expect(accepted).toBeLessThanOrEqual(burst - 1 + Math.ceil(seconds * perSecond) + 1);
    // Refused: the answer is recorded, but flagged.
    const answer = await send(b, "POST", `/api/rounds/${kept.id}/answer`, { choice: realSlot(kept), responseMs: 2000 });
    expect(answer.status).toBe(200);
    const rows = await database.client.execute({
      sql: "SELECT excluded FROM judgments WHERE round_id = ?",
      args: [kept.id],
    });
    expect(rows.rows[0]?.excluded).toBe("rate_limited");
  });
});
