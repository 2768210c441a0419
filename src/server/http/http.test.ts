/**
 * The HTTP building blocks on their own: body limits (also for chunked bodies that declare no length),
 * JSON errors without internals, the token buckets, and the cross-site check.
 */
import type { APIContext } from "astro";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { ApiError } from "./api-error.ts";
import { apiRoute } from "./api-route.ts";
import { MAX_BODY_BYTES, readJsonBody } from "./json-body.ts";
import { FLAG_WINDOW_MS, RateLimiter } from "./rate-limiter.ts";
import { isCrossSiteWrite } from "./same-origin.ts";
import { withSecurityHeaders } from "./security-headers.ts";

const Body = z.strictObject({ n: z.number() });

function chunkedRequest(parts: string[]): Request {
  const stream = new ReadableStream<Uint8Array>({
    start(controller) {
      for (const part of parts) controller.enqueue(new TextEncoder().encode(part));
      controller.close();
    },
  });
  return new Request("http://x/api", { method: "POST", body: stream, duplex: "half" } as RequestInit);
}

async function statusOf(promise: Promise<unknown>): Promise<number> {
  try {
    await promise;
    return 200;
  } catch (error) {
    if (error instanceof ApiError) return error.status;
    throw error;
  }
}

describe("readJsonBody", () => {
  it("parses, and tells malformed (400) from wrong fields (422)", async () => {
    const post = (body: string) => new Request("http://x/api", { method: "POST", body });
    await expect(readJsonBody(post('{"n": 1}'), Body)).resolves.toEqual({ n: 1 });
    expect(await statusOf(readJsonBody(post("{n: 1}"), Body))).toBe(400);
    expect(await statusOf(readJsonBody(post(""), Body))).toBe(400);
    expect(await statusOf(readJsonBody(post('{"n": "1"}'), Body))).toBe(422);
    expect(await statusOf(readJsonBody(post('{"n": 1, "m": 2}'), Body))).toBe(422);
    await expect(readJsonBody(post(""), z.object({}), {})).resolves.toEqual({});
  });

  it("refuses an oversized body by its Content-Length and by counting a chunked stream", async () => {
    const declared = new Request("http://x/api", {
      method: "POST",
      body: "x",
      headers: { "content-length": String(MAX_BODY_BYTES + 1) },
    });
    expect(await statusOf(readJsonBody(declared, Body))).toBe(413);
    const chunks = Array.from({ length: 10 }, () => "x".repeat(200));
    expect(await statusOf(readJsonBody(chunkedRequest(chunks), Body))).toBe(413);
    expect(await statusOf(readJsonBody(chunkedRequest(['{"n":', " 1}"]), Body))).toBe(200);
  });
});

describe("apiRoute", () => {
  const context = { request: new Request("http://x/api/t"), url: new URL("http://x/api/t") } as APIContext;

  it("turns ApiErrors into their JSON and anything else into a bare 500", async () => {
    const refused = await apiRoute(async () => {
      throw new ApiError(429, "slow down", { "Retry-After": "3" });
    })(context);
    expect(refused.status).toBe(429);
    expect(refused.headers.get("retry-after")).toBe("3");
    expect(await refused.json()).toEqual({ error: "slow down" });
    const original = console.error;
    console.error = () => {};
    try {
      const crashed = await apiRoute(async () => {
        throw new Error("SQLITE_ERROR near SELECT * FROM players: secret");
      })(context);
      expect(crashed.status).toBe(500);
      const text = await crashed.text();
      expect(JSON.parse(text)).toEqual({ error: "internal server error" });
      expect(text).not.toMatch(/SQLITE|SELECT|at /);
    } finally {
      console.error = original;
    }
  });
});

describe("RateLimiter", () => {
  it("allows a burst, refills at its rate, and flags a refused client for a while", () => {
    const limiter = new RateLimiter({ perSecond: 2, burst: 3 });
    const t = 1_000_000;
    expect([1, 2, 3].map(() => limiter.take("a", t).ok)).toEqual([true, true, true]);
    const refused = limiter.take("a", t);
    expect(refused).toEqual({ ok: false, retryAfterSeconds: 1 });
    expect(limiter.take("b", t).ok).toBe(true);
    expect(limiter.flagged("a", t)).toBe(true);
    expect(limiter.flagged("b", t)).toBe(false);
    expect(limiter.take("a", t + 500).ok).toBe(true);
    expect(limiter.take("a", t + 500).ok).toBe(false);
    expect(limiter.flagged("a", t + 500 + FLAG_WINDOW_MS)).toBe(false);
  });
});

describe("isCrossSiteWrite", () => {
  const url = new URL("http://game.example:4321/api/rounds");
  const request = (method: string, headers: Record<string, string>) => new Request(url, { method, headers });

  it("refuses writes that a browser says come from another site", () => {
    expect(isCrossSiteWrite(request("POST", { origin: "https://evil.example" }), url)).toBe(true);
    expect(isCrossSiteWrite(request("PUT", { "sec-fetch-site": "cross-site" }), url)).toBe(true);
    expect(isCrossSiteWrite(request("POST", { "sec-fetch-site": "same-site" }), url)).toBe(true);
    expect(isCrossSiteWrite(request("POST", { origin: "null" }), url)).toBe(true);
  });

  it("lets same-origin writes, reads, and clients without browser headers through", () => {
    expect(isCrossSiteWrite(request("POST", { origin: "http://game.example:4321" }), url)).toBe(false);
    expect(isCrossSiteWrite(request("POST", { origin: "https://game.example:4321" }), url)).toBe(false);
    expect(isCrossSiteWrite(request("POST", { "sec-fetch-site": "same-origin" }), url)).toBe(false);
    expect(isCrossSiteWrite(request("GET", { origin: "https://evil.example" }), url)).toBe(false);
    expect(isCrossSiteWrite(request("POST", {}), url)).toBe(false);
  });
});

describe("withSecurityHeaders", () => {
  it("adds isolation and hardening headers, keeping a page's own CSP", () => {
    const page = withSecurityHeaders(
      new Response("<p>", { headers: { "Content-Type": "text/html", "Content-Security-Policy": "script-src 'self'" } }),
      { https: true },
    );
    expect(page.headers.get("content-security-policy")).toBe("script-src 'self'");
    expect(page.headers.get("cross-origin-embedder-policy")).toBe("require-corp");
    expect(page.headers.get("strict-transport-security")).toMatch(/max-age/);
    const redirect = withSecurityHeaders(Response.redirect("http://x/", 302), { https: false });
    expect(redirect.headers.get("content-security-policy")).toContain("default-src 'none'");
  });
});
