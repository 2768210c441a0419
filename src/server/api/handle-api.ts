/**
 * One API request, start to finish: refuse cross-site writes, find the route, run it, and make every way
 * out JSON with the hardening headers. ApiErrors become `{"error"}` with their status; anything unexpected
 * is logged here and reaches the client as a bare 500, never a stack trace or SQL.
 */
import { ApiError } from "../../core/api-error.ts";
import { isCrossSiteWrite } from "../http/same-origin.ts";
import { resourceSecurityHeaders } from "../http/security-headers.ts";
import { type Services, services } from "../services.ts";
import { type ApiReply, type ApiRequest, jsonReply } from "./api-request.ts";
import { ROUTES, type Route } from "./routes.ts";

export async function handleApi(
  request: ApiRequest,
  getServices: () => Promise<Services> = services,
): Promise<ApiReply> {
  const reply = await dispatch(request, getServices).catch((error: unknown) => failure(request, error));
  return { ...reply, headers: { ...reply.headers, ...resourceSecurityHeaders(request.https) } };
}

async function dispatch(request: ApiRequest, getServices: () => Promise<Services>): Promise<ApiReply> {
  if (isCrossSiteWrite(request)) throw new ApiError(403, "cross-site requests are refused");
  const { route, params, allowed } = match(request);
  if (!route) {
    if (allowed.length === 0) throw new ApiError(404, "no such endpoint");
    throw new ApiError(405, `use ${allowed.join(" or ")}`, { Allow: allowed.join(", ") });
  }
  return route.handle(request, params, await getServices());
}

interface Match {
  readonly route?: Route;
  readonly params: Readonly<Record<string, string>>;
  /** Methods the path does answer, when the request's method is not one of them. */
  readonly allowed: readonly string[];
}

function match(request: ApiRequest): Match {
  // HEAD is GET without the body (Node's http server drops it).
  const method = request.method === "HEAD" ? "GET" : request.method;
  const allowed: string[] = [];
  for (const route of ROUTES) {
    const found = route.path.exec(request.path);
    if (!found) continue;
    if (route.method === method) return { route, params: { ...found.groups }, allowed };
    allowed.push(route.method);
  }
  return { params: {}, allowed };
}

function failure(request: ApiRequest, error: unknown): ApiReply {
  if (error instanceof ApiError) return jsonReply({ error: error.message }, error.status, error.headers);
  console.error(`${request.method} ${request.path} failed:`, error);
  return jsonReply({ error: "internal server error" }, 500);
}
