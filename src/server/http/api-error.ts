/**
 * The one way request handlers fail on purpose: a status and a message a client may see. Anything else
 * thrown is a bug and reaches the client only as a generic 500 (see api-route.ts).
 */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    /** Extra response headers (Retry-After for 429). */
    readonly headers: Readonly<Record<string, string>> = {},
  ) {
    super(message);
    this.name = "ApiError";
  }
}

/** Every API response body is JSON, errors included: `{"error": "<message>"}`. */
export function jsonResponse(body: unknown, status = 200, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { "Content-Type": "application/json; charset=utf-8", "Cache-Control": "no-store", ...headers },
  });
}

export function errorResponse(error: ApiError): Response {
  return jsonResponse({ error: error.message }, error.status, { ...error.headers });
}
