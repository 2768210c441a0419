/**
 * The round load for `npm run bench:server`: each autocannon connection creates a pair round, then answers
 * it, over and over, with the cookie of one of the bench's players (round-robin). The answer follows its
 * round by less than the response-time floor, so these judgments are kept but excluded from the
 * statistics; recording one costs the server exactly the same as recording a counted one (the statistics
 * fold them in later, in bulk).
 *
 * Answering stops a few seconds before the end, so no answer is still in flight when autocannon closes its
 * sockets: what the bench saw acknowledged is then exactly comparable with what the database holds.
 *
 * Pacing: autocannon's rate limit lets each connection send its quota for the second back to back, then
 * waits for a one-second tick that every connection of a run shares, so 200 paced connections arrive as one
 * burst of 200 at the top of each second. Players do not synchronise like that; a paced load therefore
 * runs as GROUPS autocannon runs of a few connections each, started evenly across the first second, so
 * the bursts are small and spread over the second. Unpaced (as fast as replies come) it is one run.
 */
import autocannon, { type AutocannonRequest } from "autocannon";

export interface RoundLoadOptions {
  readonly url: string;
  /** Player cookies ("stf_player=..."); rounds are spread over them round-robin. */
  readonly cookies: readonly string[];
  readonly connections: number;
  readonly durationS: number;
  /**
   * Rounds per second the clients offer in all (each round is two requests), like players who take a
   * moment between rounds; undefined: every connection sends its next request as soon as a reply arrives.
   */
  readonly roundsPerSecond?: number;
  /** Responses in the first this-many seconds are left out of the steady-state latency (JIT, first requests). */
  readonly warmUpS?: number;
  /** Called once, this many ms into the run (the crash phase kills the server from here). */
  readonly at?: { readonly ms: number; readonly run: () => void };
}

export interface RoundLoadResult {
  /** Round ids whose answer got a 200. */
  readonly acknowledged: ReadonlySet<string>;
  readonly created: number;
  /** Seconds during which answers were being sent. */
  readonly answeringS: number;
  readonly latency: Latency;
  /** Seconds of warm-up left out of steadyLatency (0: none). */
  readonly warmUpS: number;
  /** The same, for responses after the warm-up. */
  readonly steadyLatency: Latency;
  /** The second (from the start) with the slowest response, and that response's time. */
  readonly slowestSecond: { readonly second: number; readonly ms: number };
  readonly requests: number;
  /** Answers sent whose reply had not come back when the clients stopped (0 unless replies take seconds). */
  readonly answersInFlight: number;
  /** Socket errors and timeouts (no HTTP response), and non-2xx answers by status. */
  readonly errors: number;
  readonly timeouts: number;
  readonly statuses: Readonly<Record<string, number>>;
}

export const STOP_ANSWERING_BEFORE_END_MS = 3_000;
/** Paced loads start this many autocannon runs, evenly spread over a second. */
const GROUPS = 10;

export interface Latency {
  readonly p50: number;
  readonly p99: number;
  readonly mean: number;
  readonly max: number;
}

function latencyOf(times: readonly number[]): Latency {
  const sorted = [...times].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;
  const mean = sorted.reduce((sum, t) => sum + t, 0) / Math.max(1, sorted.length);
  return { p50: at(0.5), p99: at(0.99), mean, max: sorted.at(-1) ?? 0 };
}

interface Context {
  cookie?: string;
  round?: { id: string; choice: number };
}

function parseJson(body: string): Record<string, unknown> | null {
  try {
    return JSON.parse(body) as Record<string, unknown>;
  } catch {
    return null;
  }
}

export async function runRoundLoad(options: RoundLoadOptions): Promise<RoundLoadResult> {
  let nextCookie = 0;
  let created = 0;
  let answersSent = 0;
  let answerReplies = 0;
  const acknowledged = new Set<string>();
  const statuses: Record<string, number> = {};
  const count = (label: string) => {
    statuses[label] = (statuses[label] ?? 0) + 1;
  };
  const started = Date.now();
  const answerUntil = started + options.durationS * 1000 - STOP_ANSWERING_BEFORE_END_MS;
  const timer = options.at ? setTimeout(options.at.run, options.at.ms) : undefined;

  /**
   * Replies are recognised by their body, not by which request autocannon thinks they answer: after a
   * connection dies (the crash phase) autocannon can pair a reply with the wrong request of its sequence.
   */
  const record = (status: number, body: string, context: Context) => {
    const reply = parseJson(body);
    if (status === 201 && reply && Array.isArray(reply.faces)) {
      created++;
      const faces = reply.faces as { slot: number; source: string }[];
      const real = faces.find((face) => face.source === "real")?.slot ?? 0;
      // About 60 % right, like a player who is somewhat better than chance.
      context.round = { id: String(reply.id), choice: created % 5 < 3 ? real : 1 - real };
    } else if (status === 200 && reply && typeof reply.roundId === "string") {
      acknowledged.add(reply.roundId);
    } else {
      count(String(status));
    }
  };

  const runGroup = (connections: number) =>
    autocannon({
      url: options.url,
      connections,
      duration: options.durationS,
      timeout: 10,
      connectionRate: options.roundsPerSecond ? (2 * options.roundsPerSecond) / options.connections : undefined,
      requests: [
        {
          method: "POST",
          path: "/api/rounds",
          headers: { "content-type": "application/json" },
          body: '{"mode":"pair"}',
          setupRequest: (request: AutocannonRequest, context: Context) => {
            const cookie = options.cookies[nextCookie++ % options.cookies.length] as string;
            context.cookie = cookie;
            return { ...request, headers: { ...request.headers, cookie } };
          },
          onResponse: (status: number, body: string, context: Context) => record(status, body, context),
        },
        {
          method: "POST",
          path: "/api/rounds/x/answer",
          headers: { "content-type": "application/json" },
          setupRequest: (request: AutocannonRequest, context: Context) => {
            // No round to answer (its creation failed), or too close to the end: create again instead
            // (autocannon restarts the sequence when this returns nothing).
            if (!context.round || Date.now() > answerUntil) return undefined;
            answersSent++;
            return {
              ...request,
              path: `/api/rounds/${context.round.id}/answer`,
              headers: { ...request.headers, cookie: context.cookie ?? "" },
              body: JSON.stringify({ choice: context.round.choice }),
            };
          },
          onResponse: (status: number, body: string, context: Context) => {
            answerReplies++;
            record(status, body, context);
          },
        },
      ],
    });
  const arrivals: { atMs: number; ms: number }[] = [];
  const groups = options.roundsPerSecond === undefined ? 1 : Math.min(GROUPS, options.connections);
  const runs = Array.from({ length: groups }, async (_, i) => {
    await new Promise((resolve) => setTimeout(resolve, (i * 1000) / groups));
    const share = Math.floor(options.connections / groups) + (i < options.connections % groups ? 1 : 0);
    const run = runGroup(share);
    run.on("response", (_client, _status, _bytes, ms) => arrivals.push({ atMs: Date.now() - started, ms }));
    return run;
  });
  const results = await Promise.all(runs);
  if (timer) clearTimeout(timer);
  const warmUpMs = (options.warmUpS ?? 0) * 1000;
  const slowest = arrivals.reduce((worst, a) => (a.ms > worst.ms ? a : worst), { atMs: 0, ms: 0 });

  return {
    acknowledged,
    created,
    answeringS: (Math.min(answerUntil, Date.now()) - started) / 1000,
    latency: latencyOf(arrivals.map((a) => a.ms)),
    warmUpS: options.warmUpS ?? 0,
    steadyLatency: latencyOf(arrivals.filter((a) => a.atMs >= warmUpMs).map((a) => a.ms)),
    slowestSecond: { second: Math.floor(slowest.atMs / 1000), ms: slowest.ms },
    requests: results.reduce((sum, r) => sum + r.requests.total, 0),
    answersInFlight: Math.max(0, answersSent - answerReplies),
    errors: results.reduce((sum, r) => sum + r.errors, 0),
    timeouts: results.reduce((sum, r) => sum + r.timeouts, 0),
    statuses,
  };
}
