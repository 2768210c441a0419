/**
 * The rate-limit check of `npm run bench:server`: a few greedy players, each sending POST /api/rounds as
 * fast as replies come over several connections at once. The connections are spread over every server
 * process (the cluster hands connections out in turn), so a limit kept per process would let a player
 * through once per process; kept in the shared database, it lets through at most the burst plus what
 * refills while they send.
 */
import autocannon from "autocannon";
import { DEFAULT_RULES } from "../../src/server/http/rate-limits.ts";

export interface LimitLoadOptions {
  readonly url: string;
  /** One cookie per greedy player, players nobody has used yet (full buckets). */
  readonly cookies: readonly string[];
  /** Connections per player: several, so every server process gets some of them. */
  readonly connections: number;
  readonly durationS: number;
}

export interface LimitLoadResult {
  /** Rounds made, per player. */
  readonly accepted: readonly number[];
  /** 429s, per player. */
  readonly refused: readonly number[];
  /** Other replies (neither 201 nor 429), all players. */
  readonly other: number;
  /** The most a player may get in the run: the burst plus the refill over its duration (+1 for rounding). */
  readonly allowed: number;
  readonly seconds: number;
}

export async function runLimitLoad(options: LimitLoadOptions): Promise<LimitLoadResult> {
  const accepted = options.cookies.map(() => 0);
  const refused = options.cookies.map(() => 0);
  let other = 0;
  const started = performance.now();
  await Promise.all(
    options.cookies.map((cookie, i) =>
      autocannon({
        url: options.url,
        connections: options.connections,
        duration: options.durationS,
        timeout: 10,
        requests: [
          {
            method: "POST",
            path: "/api/rounds",
            headers: { "content-type": "application/json", cookie },
            body: '{"mode":"pair"}',
            onResponse: (status: number) => {
              if (status === 201) accepted[i] = (accepted[i] ?? 0) + 1;
              else if (status === 429) refused[i] = (refused[i] ?? 0) + 1;
              else other++;
            },
          },
        ],
      }),
    ),
  );
  const seconds = (performance.now() - started) / 1000;
  const rule = DEFAULT_RULES.roundsPerPlayer;
  return { accepted, refused, other, allowed: Math.floor(rule.burst + rule.perSecond * seconds) + 1, seconds };
}
