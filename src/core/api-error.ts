/**
 * An API request that failed on purpose: a status and a message a client may see. The server's handlers
 * throw it to answer with that status (anything else thrown is a bug and reaches the client only as a
 * generic 500, see src/server/api/handle-api.ts); the browser's API client throws it for a reply that is
 * not ok, so the page can say what went wrong by status (src/client/game/friendly-error.ts).
 * Dependency-free: both sides import this one class.
 */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    /** Extra response headers (Retry-After for 429); the browser's copy of a reply leaves them out. */
    readonly headers: Readonly<Record<string, string>> = {},
  ) {
    super(message);
    this.name = "ApiError";
  }
}
