// autocannon 9 ships no types; this declares the part of its programmatic API the benchmarks use.
declare module "autocannon" {
  export interface AutocannonRequest {
    method?: string;
    path?: string;
    headers?: Record<string, string>;
    body?: string;
    // biome-ignore lint/suspicious/noExplicitAny: autocannon passes one context object through both callbacks.
    setupRequest?: (request: AutocannonRequest, context: any) => AutocannonRequest | undefined;
    // biome-ignore lint/suspicious/noExplicitAny: as above.
    onResponse?: (status: number, body: string, context: any, headers: Record<string, string>) => void;
  }

  export interface AutocannonOptions {
    url: string;
    connections?: number;
    duration?: number;
    amount?: number;
    timeout?: number;
    /** Requests per second per connection (unset: as fast as replies come back). */
    connectionRate?: number;
    method?: string;
    headers?: Record<string, string>;
    requests?: AutocannonRequest[];
  }

  export interface Histogram {
    average: number;
    mean: number;
    stddev: number;
    min: number;
    max: number;
    p50: number;
    p90: number;
    p97_5: number;
    p99: number;
  }

  export interface AutocannonResult {
    duration: number;
    errors: number;
    timeouts: number;
    non2xx: number;
    latency: Histogram;
    requests: Histogram & { total: number };
  }

  /** The run: a promise of its result, and an emitter of each response as it arrives. */
  export interface AutocannonInstance extends Promise<AutocannonResult> {
    on(
      event: "response",
      listener: (client: unknown, statusCode: number, resBytes: number, responseTimeMs: number) => void,
    ): this;
  }

  export default function autocannon(options: AutocannonOptions): AutocannonInstance;
}
