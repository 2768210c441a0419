/**
 * Cross-site request refusal for state-changing requests. Browsers say where a request comes from
 * (Sec-Fetch-Site, Origin); a request from another site is refused whatever its content type. Clients
 * that send neither header (curl, other servers, our load tests) are not browsers acting for a visitor,
 * so there is no ambient cookie to abuse and they pass.
 *
 * Hosts are compared, not full origins: behind a TLS-terminating proxy the server sees http while the
 * browser's Origin says https.
 */
const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

/** What the check reads of a request: its method and headers (lower-case names). */
export interface RequestHeaders {
  readonly method: string;
  header(name: string): string | undefined;
}

export function isCrossSiteWrite(request: RequestHeaders): boolean {
  if (SAFE_METHODS.has(request.method)) return false;
  const fetchSite = request.header("sec-fetch-site");
  if (fetchSite !== undefined && fetchSite !== "same-origin" && fetchSite !== "none") return true;
  const origin = request.header("origin");
  if (origin === undefined) return false;
  try {
    return new URL(origin).host !== request.header("host");
  } catch {
    // "null" (sandboxed frames, some redirects) or garbage: not provably ours.
    return true;
  }
}
