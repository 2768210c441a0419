/**
 * Runs around every response Astro renders: refuses cross-site writes (Astro's own origin check only
 * covers form content types and answers in plain text; this one covers every write and answers JSON) and
 * adds the security headers (src/server/http/security-headers.ts). The API does both itself
 * (src/server/api/handle-api.ts), since in production its requests never reach Astro.
 */
import { defineMiddleware } from "astro:middleware";
import { jsonReply } from "./server/api/api-request.ts";
import { apiRequestFromWeb, webResponse } from "./server/api/web-adapter.ts";
import { isCrossSiteWrite } from "./server/http/same-origin.ts";
import { withSecurityHeaders } from "./server/http/security-headers.ts";

export const onRequest = defineMiddleware(async (context, next) => {
  const https = context.url.protocol === "https:";
  // Only the method and headers are read: no address needed.
  if (isCrossSiteWrite(apiRequestFromWeb(context.request, context.url, ""))) {
    return withSecurityHeaders(webResponse(jsonReply({ error: "cross-site requests are refused" }, 403)), { https });
  }
  return withSecurityHeaders(await next(), { https });
});
