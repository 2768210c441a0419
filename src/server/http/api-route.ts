/**
 * Wraps an API handler so that every way out is JSON: ApiErrors become `{"error"}` with their status,
 * and anything unexpected is logged here and reaches the client as a bare 500, never a stack trace or SQL.
 */
import type { APIContext, APIRoute } from "astro";
import { ApiError, errorResponse, jsonResponse } from "./api-error.ts";

export function apiRoute(handler: (context: APIContext) => Promise<Response>): APIRoute {
  return async (context) => {
    try {
      return await handler(context);
    } catch (error) {
      if (error instanceof ApiError) return errorResponse(error);
      console.error(`${context.request.method} ${context.url.pathname} failed:`, error);
      return jsonResponse({ error: "internal server error" }, 500);
    }
  };
}
