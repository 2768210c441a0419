/**
 * Exact latency percentiles for one GET endpoint: a fixed number of concurrent loops, each timing its own
 * requests end to end (autocannon's summary has no 95th percentile).
 */
export interface ProbeResult {
  readonly requests: number;
  readonly perSecond: number;
  readonly p50: number;
  readonly p95: number;
  readonly p99: number;
  readonly max: number;
  readonly failures: number;
}

export async function probeLatency(url: string, concurrency: number, durationMs: number): Promise<ProbeResult> {
  const timings: number[] = [];
  let failures = 0;
  const deadline = performance.now() + durationMs;
  const loop = async () => {
    while (performance.now() < deadline) {
      const start = performance.now();
      const response = await fetch(url);
      await response.arrayBuffer();
      timings.push(performance.now() - start);
      if (!response.ok) failures++;
    }
  };
  const started = performance.now();
  await Promise.all(Array.from({ length: concurrency }, loop));
  const elapsed = (performance.now() - started) / 1000;
  timings.sort((a, b) => a - b);
  const at = (p: number) => timings[Math.min(timings.length - 1, Math.floor(p * timings.length))] ?? Number.NaN;
  return {
    requests: timings.length,
    perSecond: timings.length / elapsed,
    p50: at(0.5),
    p95: at(0.95),
    p99: at(0.99),
    max: timings.at(-1) ?? Number.NaN,
    failures,
  };
}
