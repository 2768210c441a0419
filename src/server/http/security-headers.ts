/**
 * Headers every response gets. Pages are cross-origin isolated (COOP same-origin + COEP require-corp) so
 * the browser's tfjs wasm backend may use threads (SharedArrayBuffer). Their Content-Security-Policy is
 * built by Astro (security.csp in astro.config.mjs) because only Astro knows the hashes of the inline
 * scripts it emits; API and image responses get a policy that allows nothing, since they are never
 * meant to run as documents.
 */
const COMMON_HEADERS: Readonly<Record<string, string>> = {
  "Cross-Origin-Opener-Policy": "same-origin",
  "Cross-Origin-Embedder-Policy": "require-corp",
  "Cross-Origin-Resource-Policy": "same-origin",
  "X-Content-Type-Options": "nosniff",
  "X-Frame-Options": "DENY",
  "Referrer-Policy": "no-referrer",
  "Permissions-Policy": "camera=(), microphone=(), geolocation=(), payment=(), usb=()",
};

/** For anything that is not an HTML page: nothing may load, run or frame it. */
export const RESOURCE_CSP = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

/**
 * Fallback for an HTML response Astro did not give a policy (an error page, or `astro dev`, where Astro's
 * CSP is off and Vite injects inline scripts): framing and plugins are still refused.
 */
const PAGE_FALLBACK_CSP = "frame-ancestors 'none'; object-src 'none'; base-uri 'self'";

const HSTS = { "Strict-Transport-Security": "max-age=31536000; includeSubDomains" } as const;
const RESOURCE_HEADERS = Object.freeze({ ...COMMON_HEADERS, "Content-Security-Policy": RESOURCE_CSP });
const RESOURCE_HEADERS_HTTPS = Object.freeze({ ...RESOURCE_HEADERS, ...HSTS });

/** The headers of every API reply (JSON or image): built once, not per request. */
export function resourceSecurityHeaders(https: boolean): Readonly<Record<string, string>> {
  return https ? RESOURCE_HEADERS_HTTPS : RESOURCE_HEADERS;
}

export function withSecurityHeaders(response: Response, options: { https: boolean }): Response {
  const target = mutable(response);
  for (const [name, value] of Object.entries(COMMON_HEADERS)) {
    if (!target.headers.has(name)) target.headers.set(name, value);
  }
  if (!target.headers.has("Content-Security-Policy")) {
    const html = (target.headers.get("Content-Type") ?? "").startsWith("text/html");
    target.headers.set("Content-Security-Policy", html ? PAGE_FALLBACK_CSP : RESOURCE_CSP);
  }
  if (options.https) target.headers.set("Strict-Transport-Security", HSTS["Strict-Transport-Security"]);
  return target;
}

/** Responses built from fetch() or Response.redirect() have immutable headers; copy those. */
function mutable(response: Response): Response {
  try {
    response.headers.set("X-Content-Type-Options", "nosniff");
    return response;
  } catch {
    return new Response(response.body, {
      status: response.status,
      statusText: response.statusText,
      headers: new Headers(response.headers),
    });
  }
}
