/**
 * `npm run bench:server`: the built server under load on 127.0.0.1, on this machine's cores.
 *
 * 1. Load: 200 autocannon connections create and answer pair rounds for 30 s at 1,100 rounds/s offered,
 *    spread over 2,000 players (about half a round a second each, inside the production rate limits, which
 *    stay on). Prints answered rounds/s, p50/p99 latency over all requests, errors, the server's CPU per
 *    round, and compares acknowledged answers with the judgments in the database (must be equal, none
 *    doubled).
 * 2. Crash: the same load; the server is killed with SIGKILL mid-load and restarted. Every acknowledged
 *    answer must be in the database exactly once.
 * 3. Leaderboard: a database of 1,000,000 judgments; GET /api/leaderboard latency (p50/p95/p99); then the
 *    open-data export (GET /api/judgments.csv): its size and time, and the leaderboard's latency meanwhile.
 * Between 1 and 2, limits: four greedy players each send round requests as fast as replies come, over 8
 * connections each (spread over every server process); none may get more than the production burst plus
 * its refill, however many processes serve it (the buckets are in the shared database).
 *
 * Options (environment): BENCH_CONNECTIONS (200), BENCH_SECONDS (30), BENCH_RATE (rounds/s offered, 1100,
 * or "max"), BENCH_WORKERS (server processes, 1), BENCH_PHASES (load,limits,crash,leaderboard), BENCH_JUDGMENTS
 * (1000000), BENCH_DATABASE=sqld (start a sqld for phases 1–2: app servers crash, the database lives on) or
 * BENCH_DATABASE_URL / BENCH_DATABASE_AUTH_TOKEN (a libsql server of your own), BENCH_PROFILE=<dir> (the
 * load phase's server writes a .cpuprofile there: open it in Chrome's DevTools to see where time goes).
 */
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { sql } from "drizzle-orm";
import { type Database, migrateDatabase, openDatabase } from "../db/client.ts";
import { players } from "../db/schema.ts";
import { startSqld } from "../db/testing/sqld.ts";
import { hashToken, newPlayerToken, PLAYER_COOKIE } from "../src/server/players/player-cookie.ts";
import { STAIRCASE } from "../src/server/rounds/exposure.ts";
import { buildServer, type RunningServer, startServer } from "../src/server/testing/built-server.ts";
import { fixtureBank, makeQuizPool, writeModels } from "../src/server/testing/fixtures.ts";
import { isEntryPoint, runCommand } from "../training/cli/run-command.ts";
import { processCpuSeconds, processGroupCpuSeconds } from "./bench/cpu-usage.ts";
import { probeLatency } from "./bench/latency-probe.ts";
import { runLimitLoad } from "./bench/limit-load.ts";
import { type RoundLoadResult, runRoundLoad, STOP_ANSWERING_BEFORE_END_MS } from "./bench/round-load.ts";
import { seedJudgments } from "./bench/seed-judgments.ts";

const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 200);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 30);
const JUDGMENTS = Number(process.env.BENCH_JUDGMENTS ?? 1_000_000);
const WORKERS = Number(process.env.BENCH_WORKERS ?? 1);
/**
 * Rounds per second the 200 clients offer: the target plus 10 %, paced like players between rounds. With
 * clients that never pause, 200 connections keep 200 requests queued and any latency target is only a
 * matter of raw speed (latency = 200 / throughput); BENCH_RATE=max measures that saturation instead.
 */
const RATE = process.env.BENCH_RATE === "max" ? undefined : Number(process.env.BENCH_RATE ?? 1_100);
const PROFILE_DIR = process.env.BENCH_PROFILE ? path.resolve(process.env.BENCH_PROFILE) : undefined;
const PHASES = new Set((process.env.BENCH_PHASES ?? "load,limits,crash,leaderboard").split(","));
const PLAYERS = 2_000;
/** Seconds at the start of the load phase left out of the steady-state latency (the whole run is shown too). */
const WARM_UP_S = Number(process.env.BENCH_WARM_UP_S ?? 5);
const CRASH_SECONDS = 14;
/** The limits phase: greedy players, connections each, seconds. */
const GREEDY = { players: 4, connections: 8, seconds: 5 };
const TARGETS = { roundsPerSecond: 1_000, p99Ms: 50, leaderboardP95Ms: 20 };

const say = (line: string) => console.log(line);
const ms = (value: number) => `${value.toFixed(1)} ms`;
const verdict = (ok: boolean) => (ok ? "PASS" : "FAIL");

/** Players made ahead in the database, as if they had played before: the bench needs their cookies. */
async function makePlayers(database: Database, count: number): Promise<string[]> {
  const tokens = Array.from({ length: count }, newPlayerToken);
  for (let i = 0; i < tokens.length; i += 500) {
    const batch = tokens.slice(i, i + 500);
    await database.db
      .insert(players)
      .values(
        batch.map((token) => ({ tokenHash: hashToken(token), exposureMs: STAIRCASE.initialMs, createdAt: Date.now() })),
      );
  }
  return tokens.map((token) => `${PLAYER_COOKIE}=${token}`);
}

interface Integrity {
  readonly rows: number;
  readonly distinctRounds: number;
  readonly missing: number;
}

async function checkIntegrity(database: Database, acknowledged: ReadonlySet<string>): Promise<Integrity> {
  const [counts] = await database.db.all<{ rows: number; rounds: number }>(
    sql`SELECT count(*) AS rows, count(DISTINCT round_id) AS rounds FROM judgments`,
  );
  const stored = new Set(
    (await database.db.all<{ round_id: string }>(sql`SELECT round_id FROM judgments`)).map((row) => row.round_id),
  );
  let missing = 0;
  for (const id of acknowledged) if (!stored.has(id)) missing++;
  return { rows: Number(counts?.rows), distinctRounds: Number(counts?.rounds), missing };
}

function reportLoad(label: string, load: RoundLoadResult): number {
  const perSecond = load.acknowledged.size / load.answeringS;
  say(
    `${label}: ${load.acknowledged.size} answered rounds in ${load.answeringS.toFixed(1)} s = ${perSecond.toFixed(0)} rounds/s`,
  );
  say(
    `  ${load.requests} requests; latency p50 ${ms(load.latency.p50)}, p99 ${ms(load.latency.p99)}, max ${ms(load.latency.max)}` +
      ` (slowest reply in second ${load.slowestSecond.second})`,
  );
  if (load.warmUpS > 0)
    say(
      `  after the first ${load.warmUpS} s: p50 ${ms(load.steadyLatency.p50)}, p99 ${ms(load.steadyLatency.p99)}, max ${ms(load.steadyLatency.max)}`,
    );
  const statuses = Object.entries(load.statuses).map(([status, n]) => `${status}: ${n}`);
  say(
    `  errors: ${load.errors} socket errors, ${load.timeouts} timeouts${statuses.length ? `, ${statuses.join(", ")}` : ", no non-2xx"}`,
  );
  return perSecond;
}

interface Setup {
  readonly entry: string;
  readonly folder: string;
  readonly env: Record<string, string>;
  readonly database: Database;
  readonly cookies: string[];
  readonly poolIds: string[];
  /** Stops the sqld the bench started, if it did. */
  readonly stopDatabase: () => Promise<void>;
  /** The sqld the bench started, if it did: its CPU is part of a round's cost. */
  readonly databasePid: number | undefined;
}

async function setUp(folder: string): Promise<Setup> {
  say("Building the server…");
  const entry = buildServer();
  const poolIds = await makeQuizPool(path.join(folder, "pool"), 64);
  // v1 mixes both sampling policies (a 1,000-seed bank), so both ways of drawing a fake are under load.
  writeModels(path.join(folder, "models"), [
    { version: "v1", truncation: 0.7, policies: { curated: 1, random: 1 }, bank: fixtureBank(1_000, 0.7) },
    { version: "v2", truncation: null },
  ]);
  const sqld = process.env.BENCH_DATABASE === "sqld" ? await startSqld() : undefined;
  const databaseUrl = sqld?.url ?? process.env.BENCH_DATABASE_URL ?? `file:${path.join(folder, "game.db")}`;
  const env = {
    DATABASE_URL: databaseUrl,
    DATABASE_AUTH_TOKEN: sqld?.authToken ?? process.env.BENCH_DATABASE_AUTH_TOKEN ?? "",
    QUIZ_POOL_DIR: path.join(folder, "pool"),
    MODELS_DIR: path.join(folder, "models"),
  };
  const database = await openDatabase({ url: databaseUrl, authToken: env.DATABASE_AUTH_TOKEN || undefined });
  await migrateDatabase(database);
  const cookies = await makePlayers(database, PLAYERS);
  const where = databaseUrl.startsWith("file:") ? "embedded file" : databaseUrl;
  say(
    `Database: ${where}; ${PLAYERS} players; production rate limits; ${WORKERS} server process(es); ${os.availableParallelism()} CPUs.`,
  );
  const stopDatabase = async () => sqld?.stop();
  return { entry, folder, env, database, cookies, poolIds, stopDatabase, databasePid: sqld?.pid };
}

/** Phase 1: steady load; acknowledged answers must equal the judgments stored. */
async function loadPhase(setup: Setup): Promise<boolean> {
  const nodeArgs = PROFILE_DIR ? ["--cpu-prof", `--cpu-prof-dir=${PROFILE_DIR}`] : [];
  const server = await startServer(setup.entry, setup.env, { workers: WORKERS, nodeArgs });
  try {
    const cpuBefore = serverCpu(server);
    const othersBefore = otherCpu(setup);
    const loadBefore = os.loadavg()[0] ?? 0;
    // CPU is read when answering stops: the last seconds only create rounds (see round-load.ts).
    let cpuAfter: number | null = null;
    let othersAfter = othersBefore;
    const load = await runRoundLoad({
      url: server.url,
      cookies: setup.cookies,
      connections: CONNECTIONS,
      durationS: SECONDS,
      roundsPerSecond: RATE,
      warmUpS: WARM_UP_S,
      at: {
        ms: SECONDS * 1000 - STOP_ANSWERING_BEFORE_END_MS,
        run: () => {
          cpuAfter = serverCpu(server);
          othersAfter = otherCpu(setup);
        },
      },
    });
    const loadAfter = os.loadavg()[0] ?? 0;
    say("");
    const offered = RATE === undefined ? "as fast as replies come" : `${RATE} rounds/s offered`;
    const perSecond = reportLoad(`Load, ${CONNECTIONS} connections, ${SECONDS} s, ${offered}`, load);
    if (cpuBefore !== null && cpuAfter !== null && load.acknowledged.size > 0) {
      const perRound = ((cpuAfter - cpuBefore) / load.acknowledged.size) * 1e6;
      say(
        `  server CPU ${(cpuAfter - cpuBefore).toFixed(1)} s = ${perRound.toFixed(0)} µs per answered round (creating and answering it), ` +
          `≈ ${(1e6 / perRound).toFixed(0)} rounds/s per fully available core; load average ${loadBefore.toFixed(1)} → ${loadAfter.toFixed(1)} on ${os.availableParallelism()} CPUs`,
      );
      reportMachineBudget(perRound, othersBefore, othersAfter, load.acknowledged.size);
    }
    const stored = await checkIntegrity(setup.database, load.acknowledged);
    // Equal, unless replies were so slow that answers were still in flight when the clients stopped: those
    // may be stored without having been acknowledged (never the other way round).
    const extra = stored.rows - load.acknowledged.size;
    const intact = stored.missing === 0 && stored.distinctRounds === stored.rows && extra <= load.answersInFlight;
    const inFlight =
      load.answersInFlight > 0 ? `, ${load.answersInFlight} answers in flight when the clients stopped` : "";
    const relation = extra === 0 ? "=" : "vs";
    say(
      `  acknowledged ${load.acknowledged.size} ${relation} judgments in the database ${stored.rows} (distinct rounds ${stored.distinctRounds}${inFlight}): ${verdict(intact)}`,
    );
    reportServerErrors(server, load);
    say(
      `  targets: ≥ ${TARGETS.roundsPerSecond} rounds/s ${verdict(perSecond >= TARGETS.roundsPerSecond)}, p99 ≤ ${TARGETS.p99Ms} ms ${verdict(load.latency.p99 <= TARGETS.p99Ms)}`,
    );
    return intact;
  } finally {
    await server.stop();
  }
}

/** Between phases 1 and 2: greedy players get no more than one allowance, whatever the processes. */
async function limitsPhase(setup: Setup): Promise<boolean> {
  const cookies = await makePlayers(setup.database, GREEDY.players);
  const server = await startServer(setup.entry, setup.env, { workers: WORKERS });
  try {
    const run = await runLimitLoad({
      url: server.url,
      cookies,
      connections: GREEDY.connections,
      durationS: GREEDY.seconds,
    });
    const held = run.accepted.every((n) => n <= run.allowed) && run.other === 0;
    say("");
    say(
      `Limits, ${GREEDY.players} greedy players × ${GREEDY.connections} connections, ${run.seconds.toFixed(1)} s, ${WORKERS} server process(es):`,
    );
    say(
      `  rounds made per player ${run.accepted.join(", ")} (refused ${run.refused.join(", ")}; other replies ${run.other}); ` +
        `allowed at most ${run.allowed} (per-process buckets would allow up to ${WORKERS * run.allowed}): ${verdict(held)}`,
    );
    return held;
  } finally {
    await server.stop();
  }
}

/** Phase 2: SIGKILL every server process a third of the way in, restart on the same port at once. */
async function crashPhase(setup: Setup): Promise<boolean> {
  const [before] = await setup.database.db.all<{ n: number }>(sql`SELECT count(*) AS n FROM judgments`);
  const alreadyStored = new Set(
    (await setup.database.db.all<{ round_id: string }>(sql`SELECT round_id FROM judgments`)).map((row) => row.round_id),
  );
  const first = await startServer(setup.entry, setup.env, { workers: WORKERS });
  let restarted: Promise<RunningServer> | undefined;
  const killAtMs = Math.round((CRASH_SECONDS * 1000) / 3);
  const crash = await runRoundLoad({
    url: first.url,
    cookies: setup.cookies,
    connections: CONNECTIONS,
    durationS: CRASH_SECONDS,
    roundsPerSecond: RATE,
    at: {
      ms: killAtMs,
      run: () => {
        restarted = first
          .kill()
          .then(() => startServer(setup.entry, setup.env, { port: first.port, workers: WORKERS }));
      },
    },
  });
  const second = restarted ? await restarted : first;
  await second.stop();
  say("");
  reportLoad(`Crash run, SIGKILL at ${(killAtMs / 1000).toFixed(1)} s, restarted at once`, crash);
  reportServerErrors(second, crash);
  const stored = await checkIntegrity(setup.database, new Set([...alreadyStored, ...crash.acknowledged]));
  const newRows = stored.rows - Number(before?.n);
  const intact = stored.missing === 0 && stored.distinctRounds === stored.rows;
  say(
    `  acknowledged ${crash.acknowledged.size}; new judgments stored ${newRows}; acknowledged but lost ${stored.missing}; doubled ${stored.rows - stored.distinctRounds}: ${verdict(intact)}`,
  );
  say(
    `  (${newRows - crash.acknowledged.size} stored answers were never acknowledged: their replies died with the server)`,
  );
  return intact;
}

/** Downloads the export, counting its bytes and rows without keeping it. */
async function downloadExport(url: string): Promise<{ rows: number; bytes: number; ms: number }> {
  const start = performance.now();
  const response = await fetch(url);
  if (!response.ok || !response.body) throw new Error(`export answered ${response.status}`);
  let bytes = 0;
  let lines = 0;
  for await (const chunk of response.body) {
    bytes += chunk.byteLength;
    for (const byte of chunk) if (byte === 10) lines++;
  }
  return { rows: lines - 1, bytes, ms: performance.now() - start };
}

/** Phase 3: GET /api/leaderboard over a database of a million judgments, then the open-data export. */
async function leaderboardPhase(setup: Setup): Promise<void> {
  say("");
  say(`Seeding ${JUDGMENTS.toLocaleString("en")} judgments for the leaderboard…`);
  const url = `file:${path.join(setup.folder, "big.db")}`;
  const big = await openDatabase({ url });
  await migrateDatabase(big);
  const seedStart = Date.now();
  await seedJudgments(big, JUDGMENTS, setup.poolIds);
  const [stored] = await big.db.all<{ n: number }>(sql`SELECT count(*) AS n FROM judgments`);
  say(
    `  ${Number(stored?.n).toLocaleString("en")} judgments stored in ${((Date.now() - seedStart) / 1000).toFixed(1)} s`,
  );
  big.close();
  const server = await startServer(
    setup.entry,
    { ...setup.env, DATABASE_URL: url, DATABASE_AUTH_TOKEN: "" },
    { workers: WORKERS },
  );
  try {
    const coldStart = performance.now();
    const board = (await (await fetch(`${server.url}/api/leaderboard`)).json()) as { models: unknown[] };
    say(`  first (cold) leaderboard: ${ms(performance.now() - coldStart)}, ${board.models.length} model/mode rows`);
    // Every worker computes its own copy once, and V8 optimizes the request path only after a few thousand
    // requests: warm up for a few seconds before measuring.
    await probeLatency(`${server.url}/api/leaderboard`, 10, 3_000);
    const probe = await probeLatency(`${server.url}/api/leaderboard`, 10, 10_000);
    say(
      `GET /api/leaderboard, 10 concurrent, 10 s: ${probe.perSecond.toFixed(0)} req/s, p50 ${ms(probe.p50)}, p95 ${ms(probe.p95)}, p99 ${ms(probe.p99)}, failures ${probe.failures}`,
    );
    say(`  target p95 ≤ ${TARGETS.leaderboardP95Ms} ms: ${verdict(probe.p95 <= TARGETS.leaderboardP95Ms)}`);
    // The open-data export reads every judgment in pages: how long it takes, and what it does to other requests.
    const [download, during] = await Promise.all([
      downloadExport(`${server.url}/api/judgments.csv`),
      probeLatency(`${server.url}/api/leaderboard`, 2, 5_000),
    ]);
    say(
      `GET /api/judgments.csv: ${download.rows.toLocaleString("en")} rows, ${(download.bytes / 1e6).toFixed(1)} MB in ${(download.ms / 1000).toFixed(1)} s; GET /api/leaderboard meanwhile: p50 ${ms(during.p50)}, p99 ${ms(during.p99)}, max ${ms(during.max)}`,
    );
  } finally {
    await server.stop();
  }
}

/** CPU seconds of the bench itself (the load generator) and of the sqld it started. */
function otherCpu(setup: Setup): { bench: number; database: number | null } {
  const { user, system } = process.cpuUsage();
  const database = setup.databasePid === undefined ? null : processCpuSeconds(setup.databasePid);
  return { bench: (user + system) / 1e6, database };
}

/**
 * Where a round's CPU goes when everything shares this machine: what the server, sqld and the load
 * generator each spend per answered round, and the rate the machine's cores could carry at most.
 */
function reportMachineBudget(
  serverPerRound: number,
  before: ReturnType<typeof otherCpu>,
  after: ReturnType<typeof otherCpu>,
  rounds: number,
): void {
  const perRound = (from: number | null, to: number | null) =>
    from === null || to === null ? 0 : ((to - from) / rounds) * 1e6;
  const database = perRound(before.database, after.database);
  const bench = perRound(before.bench, after.bench);
  const total = serverPerRound + database + bench;
  const parts = [`server ${serverPerRound.toFixed(0)} µs`];
  if (before.database !== null) parts.push(`sqld ${database.toFixed(0)} µs`);
  parts.push(`load generator ${bench.toFixed(0)} µs`);
  const cores = os.availableParallelism();
  say(
    `  CPU per answered round on this machine: ${parts.join(", ")} = ${total.toFixed(0)} µs; ` +
      `${cores} cores carry at most ≈ ${((cores * 1e6) / total).toFixed(0)} rounds/s`,
  );
}

function serverCpu(server: RunningServer): number | null {
  return server.process.pid === undefined ? null : processGroupCpuSeconds(server.process.pid);
}

/** Why the server answered 5xx, from its own log (the clients only see a generic message). */
function reportServerErrors(server: RunningServer, load: RoundLoadResult): void {
  if (!Object.keys(load.statuses).some((status) => status.startsWith("5"))) return;
  const lines = server
    .log()
    .split("\n")
    .filter((line) => / failed:|Error/.test(line));
  say(`  server errors (last ${Math.min(5, lines.length)}):\n    ${lines.slice(-5).join("\n    ")}`);
}

async function main(): Promise<void> {
  const folder = mkdtempSync(path.join(os.tmpdir(), "stf-bench-"));
  try {
    const setup = await setUp(folder);
    const intact = [
      PHASES.has("load") ? await loadPhase(setup) : true,
      PHASES.has("limits") ? await limitsPhase(setup) : true,
      PHASES.has("crash") ? await crashPhase(setup) : true,
    ];
    setup.database.close();
    await setup.stopDatabase();
    if (PHASES.has("leaderboard")) await leaderboardPhase(setup);
    if (intact.includes(false)) process.exitCode = 1;
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
}

if (isEntryPoint(import.meta.url)) runCommand("bench:server", main);
