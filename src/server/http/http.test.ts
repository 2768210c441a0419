/**
 * The HTTP building blocks on their own: body limits (also for chunked bodies that declare no length) on
 * both adapters, JSON errors without internals, routing errors, the token buckets, and the cross-site check.
 */
import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { ApiError } from "../../core/api-error.ts";
import type { ApiReply } from "../api/api-request.ts";
import { handleApi } from "../api/handle-api.ts";
import { apiRequestFromNode, streamReply } from "../api/node-adapter.ts";
import { apiRequestFromWeb, webResponse } from "../api/web-adapter.ts";
import type { Services } from "../services.ts";
import { MAX_BODY_BYTES, readJsonBody } from "./json-body.ts";
import { isCrossSiteWrite } from "./same-origin.ts";
import { withSecurityHeaders } from "./security-headers.ts";

const Body = z.strictObject({ n: z.number() });

const web = (request: Request) => apiRequestFromWeb(request, new URL(request.url), "127.0.0.1");

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
    const post = (body: string) => web(new Request("http://x/api", { method: "POST", body }));
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
    expect(await statusOf(readJsonBody(web(declared), Body))).toBe(413);
    const chunks = Array.from({ length: 10 }, () => "x".repeat(200));
    expect(await statusOf(readJsonBody(web(chunkedRequest(chunks)), Body))).toBe(413);
    expect(await statusOf(readJsonBody(web(chunkedRequest(['{"n":', " 1}"])), Body))).toBe(200);
  });
});

describe("the Node adapter (the production server's API path)", () => {
  // A real http server whose handler reads the body as the API does and answers with the status it got.
  const server = http.createServer(async (req, res) => {
    const status = await statusOf(readJsonBody(apiRequestFromNode(req), Body));
    res.writeHead(status, { Connection: "close" }).end();
  });
  let port = 0;
  beforeAll(async () => {
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  /** Sends the parts as separate writes; without a Content-Length Node sends them chunked. */
  function send(parts: string[], headers: Record<string, string> = {}): Promise<number> {
    return new Promise((resolve, reject) => {
      const request = http.request({ port, host: "127.0.0.1", method: "POST", path: "/api/x", headers }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      request.on("error", reject);
      for (const part of parts) request.write(part);
      request.end();
    });
  }

  it("reads a chunked body, and refuses one over the limit by counting or by its Content-Length", async () => {
    expect(await send(['{"n":', " 1}"])).toBe(200);
    expect(await send(['{"n": "1"}'])).toBe(422);
    expect(await send(["{n: 1}"])).toBe(400);
    expect(await send(Array.from({ length: 10 }, () => "x".repeat(200)))).toBe(413);
    expect(await send(["x"], { "Content-Length": String(MAX_BODY_BYTES + 1) }).catch(() => 413)).toBe(413);
  });
});

describe("streamed replies (the open-data export)", () => {
  /** Text produced on demand, a 64 KiB chunk at a time, that records how far it got and whether it was ended. */
  function producer(chunks: number) {
    const state = { produced: 0, ended: false };
    async function* text() {
      try {
        for (; state.produced < chunks; state.produced++)
          yield `${String(state.produced).padStart(8, "0")}${"x".repeat(65_528)}`;
      } finally {
        state.ended = true;
      }
    }
    return { state, text: text() };
  }

  it("sends every chunk through the web adapter", async () => {
    const { state, text } = producer(3);
    const response = webResponse({ status: 200, headers: { "Content-Type": "text/csv" }, body: text });
    expect((await response.text()).length).toBe(3 * 65_536);
    expect(state).toEqual({ produced: 3, ended: true });
  });

  it("stops producing when the client goes away halfway, even while waiting for it to read", async () => {
    const { state, text } = producer(100_000);
    const server = http.createServer((_req, res) => void streamReply(res, 200, {}, text));
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const { port } = server.address() as AddressInfo;
    try {
      await new Promise<void>((resolve, reject) => {
        const request = http.get({ port, host: "127.0.0.1", path: "/" }, (res) => {
          // Read one chunk, then hang up without reading the rest: the server is left waiting for "drain".
          res.once("data", () => {
            request.destroy();
            resolve();
          });
        });
        request.on("error", () => resolve());
        request.on("timeout", reject);
      });
      for (let wait = 0; wait < 100 && !state.ended; wait++) await new Promise((r) => setTimeout(r, 20));
      expect(state.ended).toBe(true);
      expect(state.produced).toBeLessThan(1_000);
    } finally {
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });
});

describe("handleApi", () => {
  const get = (path: string, init: RequestInit = {}) => web(new Request(`http://x${path}`, init));
  const failing = (error: unknown) => () => Promise.reject<Services>(error);
  const json = (body: ApiReply["body"]) => JSON.parse(String(body));

  it("turns ApiErrors into their JSON and anything else into a bare 500, with the hardening headers", async () => {
    const refused = await handleApi(
      get("/api/leaderboard"),
      failing(new ApiError(429, "slow down", { "Retry-After": "3" })),
    );
    expect(refused.status).toBe(429);
    expect(refused.headers["Retry-After"]).toBe("3");
    expect(refused.headers["Content-Security-Policy"]).toContain("default-src 'none'");
    expect(json(refused.body)).toEqual({ error: "slow down" });
    const original = console.error;
    console.error = () => {};
    try {
      const crashed = await handleApi(
        get("/api/leaderboard"),
        failing(new Error("SQLITE_ERROR near SELECT * FROM players: secret")),
      );
      expect(crashed.status).toBe(500);
      expect(json(crashed.body)).toEqual({ error: "internal server error" });
      expect(String(crashed.body)).not.toMatch(/SQLITE|SELECT|at /);
    } finally {
      console.error = original;
    }
  });

  it("answers unknown paths 404, known paths with the wrong method 405, cross-site writes 403", async () => {
    const never = failing(new Error("services are not needed for these"));
    const unknown = await handleApi(get("/api/nope"), never);
    expect([unknown.status, json(unknown.body)]).toEqual([404, { error: "no such endpoint" }]);
    const wrongMethod = await handleApi(get("/api/rounds"), never);
    expect([wrongMethod.status, wrongMethod.headers.Allow]).toEqual([405, "POST"]);
    const crossSite = await handleApi(
      get("/api/rounds", { method: "POST", headers: { origin: "https://evil.example" } }),
      never,
    );
    expect([crossSite.status, json(crossSite.body)]).toEqual([403, { error: "cross-site requests are refused" }]);
  });
});

describe("isCrossSiteWrite", () => {
  const url = new URL("http://game.example:4321/api/rounds");
  const request = (method: string, headers: Record<string, string>) => web(new Request(url, { method, headers }));

  it("refuses writes that a browser says come from another site", () => {
    expect(isCrossSiteWrite(request("POST", { origin: "https://evil.example" }))).toBe(true);
    expect(isCrossSiteWrite(request("PUT", { "sec-fetch-site": "cross-site" }))).toBe(true);
    expect(isCrossSiteWrite(request("POST", { "sec-fetch-site": "same-site" }))).toBe(true);
    expect(isCrossSiteWrite(request("POST", { origin: "null" }))).toBe(true);
  });

  it("lets same-origin writes, reads, and clients without browser headers through", () => {
    expect(isCrossSiteWrite(request("POST", { origin: "http://game.example:4321" }))).toBe(false);
    expect(isCrossSiteWrite(request("POST", { origin: "https://game.example:4321" }))).toBe(false);
    expect(isCrossSiteWrite(request("POST", { "sec-fetch-site": "same-origin" }))).toBe(false);
    expect(isCrossSiteWrite(request("GET", { origin: "https://evil.example" }))).toBe(false);
    expect(isCrossSiteWrite(request("POST", {}))).toBe(false);
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
