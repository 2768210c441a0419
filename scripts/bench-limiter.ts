/**
 * `npx tsx scripts/bench-limiter.ts`: what one shared rate-limit take costs an app server, against a
 * real sqld (or BENCH_DATABASE=file: an embedded file). Takes are sent the way requests send them, many
 * at once through the group commit, in waves of WAVE concurrent takes over PLAYERS players; prints the
 * app server's CPU per take (this process: building the statement, the HTTP exchange, reading the row) and
 * the latency of a take. The database's own CPU (sqld) is reported separately when it runs here.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { migrateDatabase, openDatabase } from "../db/client.ts";
import { startSqld } from "../db/testing/sqld.ts";
import { RateLimits } from "../src/server/http/rate-limits.ts";
import { isEntryPoint, runCommand } from "../training/cli/run-command.ts";

const TAKES = Number(process.env.BENCH_TAKES ?? 20_000);
const WAVE = 100;
const PLAYERS = 2_000;

async function main(): Promise<void> {
  const folder = mkdtempSync(path.join(os.tmpdir(), "stf-limiter-"));
  const sqld = process.env.BENCH_DATABASE === "file" ? undefined : await startSqld();
  const url = sqld?.url ?? `file:${path.join(folder, "game.db")}`;
  const database = await openDatabase({ url, authToken: sqld?.authToken });
  try {
    await migrateDatabase(database);
    const limits = new RateLimits(database.writes);
    const latencies: number[] = [];
    const take = async (i: number) => {
      const started = performance.now();
      await limits.rounds.take(String(i % PLAYERS));
      latencies.push(performance.now() - started);
    };
    for (let i = 0; i < 2_000; i += WAVE) await Promise.all(Array.from({ length: WAVE }, (_, j) => take(i + j)));
    latencies.length = 0;
    const sqldPid = sqldProcessId();
    const sqldBefore = sqldPid === null ? null : processCpuSeconds(sqldPid);
    const cpu = process.cpuUsage();
    const wall = performance.now();
    for (let i = 0; i < TAKES; i += WAVE) await Promise.all(Array.from({ length: WAVE }, (_, j) => take(i + j)));
    const seconds = (performance.now() - wall) / 1000;
    const used = process.cpuUsage(cpu);
    const sqldAfter = sqldPid === null ? null : processCpuSeconds(sqldPid);
    latencies.sort((a, b) => a - b);
    const at = (q: number) => latencies[Math.floor(q * (latencies.length - 1))] ?? 0;
    console.log(
      `${TAKES} takes on ${sqld ? "sqld" : "an embedded file"}, ${WAVE} at a time: ${(TAKES / seconds).toFixed(0)} takes/s; ` +
        `app-server CPU ${(((used.user + used.system) / TAKES) | 0).toLocaleString("en")} µs per take` +
        (sqldBefore !== null && sqldAfter !== null
          ? `, sqld CPU ${(((sqldAfter - sqldBefore) * 1e6) / TAKES).toFixed(0)} µs per take`
          : "") +
        `; latency p50 ${at(0.5).toFixed(1)} ms, p99 ${at(0.99).toFixed(1)} ms (load average ${os.loadavg()[0]?.toFixed(1)})`,
    );
  } finally {
    database.close();
    await sqld?.stop();
    rmSync(folder, { recursive: true, force: true });
  }
}

/** The sqld this script started (a sqld whose parent is this process), from /proc; null elsewhere. */
function sqldProcessId(): number | null {
  try {
    for (const entry of readdirSync("/proc")) {
      if (!/^\d+$/.test(entry)) continue;
      const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
      const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      if (stat.includes("(sqld)") && Number(fields[1]) === process.pid) return Number(entry);
    }
  } catch {
    // not Linux
  }
  return null;
}

/** One process's CPU seconds (user + system), from /proc. */
function processCpuSeconds(pid: number): number | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return null;
  }
}

if (isEntryPoint(import.meta.url)) runCommand("bench-limiter", main);
