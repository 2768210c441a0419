/**
 * The one way request handlers fail on purpose: a status and a message a client may see. Anything else
 * thrown is a bug and reaches the client only as a generic 500 (see src/server/api/handle-api.ts).
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
