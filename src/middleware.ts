/**
 * Runs around every server-rendered response: refuses cross-site writes (Astro's own origin check only
 * covers form content types and answers in plain text; this one covers every write and answers JSON) and
 * adds the security headers (src/server/http/security-headers.ts).
 */
import { defineMiddleware } from "astro:middleware";
import { jsonResponse } from "./server/http/api-error.ts";
import { isCrossSiteWrite } from "./server/http/same-origin.ts";
import { withSecurityHeaders } from "./server/http/security-headers.ts";

export const onRequest = defineMiddleware(async (context, next) => {
  const https = context.url.protocol === "https:";
  if (isCrossSiteWrite(context.request, context.url)) {
    return withSecurityHeaders(jsonResponse({ error: "cross-site requests are refused" }, 403), { https });
  }
  return withSecurityHeaders(await next(), { https });
});
