/**
 * The API's own request and reply, free of any framework: the production server builds them straight from
 * Node's http objects (src/server/api/node-adapter.ts), `astro dev` from Astro's (web-adapter.ts), and the
 * handlers cannot tell which. Going through Astro's Request/Response pipeline cost ~0.8 ms of CPU per API
 * request, 25× what Node's own http server needs (docs/server.md), and every round is two requests.
 */
import { ApiError } from "../../core/api-error.ts";

export interface ApiRequest {
  readonly method: string;
  /** The path without the query string, not decoded (route patterns only accept URL-safe characters). */
  readonly path: string;
  /** A request header by lower-case name. */
  header(name: string): string | undefined;
  /** Whether the client reached us over TLS (then cookies are Secure and HSTS is sent). */
  readonly https: boolean;
  /** The client's network address, for the per-address rate limits. */
  readonly clientAddress: string;
  /** The body as text; an ApiError 413 once it passes `maxBytes` (declared or counted as it arrives). */
  body(maxBytes: number): Promise<string>;
}

/** What `ApiRequest.body` throws past its limit, whichever adapter reads the body. */
export function bodyTooLarge(maxBytes: number): ApiError {
  return new ApiError(413, `request body over ${maxBytes} bytes`);
}

export interface ApiReply {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  /** Text or bytes, or text produced as it is sent (the open-data export: too large to hold at once). */
  readonly body: string | Uint8Array | AsyncIterable<string>;
}

const JSON_TYPE = "application/json; charset=utf-8";

/** Every API reply that is not an image is JSON, errors included: `{"error": "<message>"}`. */
export function jsonReply(body: unknown, status = 200, headers: Readonly<Record<string, string>> = {}): ApiReply {
  return jsonTextReply(JSON.stringify(body), status, headers);
}

/** JSON already serialized (the leaderboard keeps its text cached). */
export function jsonTextReply(text: string, status = 200, headers: Readonly<Record<string, string>> = {}): ApiReply {
  return { status, headers: { "Content-Type": JSON_TYPE, "Cache-Control": "no-store", ...headers }, body: text };
}
