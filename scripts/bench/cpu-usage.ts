/**
 * CPU seconds used by a process group (the server and its workers), read from /proc. Machines shared with
 * other work stretch wall-clock latency, but the CPU a server spends per request barely changes, so
 * "CPU per answered round" is the bench's contention-independent measure of cost. Linux only (null
 * elsewhere).
 */
import { readdirSync, readFileSync } from "node:fs";

const CLOCK_TICKS_PER_SECOND = 100;

export function processGroupCpuSeconds(groupId: number): number | null {
  let ticks = 0;
  try {
    for (const entry of readdirSync("/proc")) {
      if (!/^\d+$/.test(entry)) continue;
      const fields = statFields(entry);
      // After "pid (comm) ": state, ppid, pgrp, ..., utime (14th field overall), stime (15th).
      if (fields && Number(fields[2]) === groupId) ticks += Number(fields[11]) + Number(fields[12]);
    }
  } catch {
    return null;
  }
  return ticks / CLOCK_TICKS_PER_SECOND;
}

/** CPU seconds used by one process (e.g. the sqld the bench started), or null once it is gone. */
export function processCpuSeconds(pid: number): number | null {
  const fields = statFields(String(pid));
  return fields ? (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS_PER_SECOND : null;
}

function statFields(pid: string): string[] | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    return stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  } catch {
    // The process ended between the listing and the read.
    return null;
  }
}
