/**
 * The API on Node's own http objects: what the production server (src/server/entry.ts) runs for every
 * /api/* request, with no fetch Request/Response in between.
 */
import { once } from "node:events";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { TLSSocket } from "node:tls";
import { ApiError } from "../../core/api-error.ts";
import type { Services } from "../services.ts";
import { type ApiRequest, bodyTooLarge } from "./api-request.ts";
import { handleApi } from "./handle-api.ts";

export async function serveApi(
  req: IncomingMessage,
  res: ServerResponse,
  getServices?: () => Promise<Services>,
): Promise<void> {
  const reply = await handleApi(apiRequestFromNode(req), getServices);
  if (typeof reply.body !== "string" && !(reply.body instanceof Uint8Array)) {
    // HEAD gets the headers alone: producing the text only to drop it could mean reading every judgment.
    if (req.method === "HEAD") return void res.writeHead(reply.status, reply.headers).end();
    return streamReply(res, reply.status, reply.headers, reply.body);
  }
  const body = typeof reply.body === "string" ? Buffer.from(reply.body) : reply.body;
  // A refused body may still be arriving: close the connection rather than read the rest.
  const close = reply.status === 413 ? { Connection: "close" } : {};
  res.writeHead(reply.status, { ...reply.headers, ...close, "Content-Length": String(body.byteLength) });
  res.end(body);
}

/**
 * Sends text as it is produced, waiting whenever the client reads slower than we write. A failure halfway
 * cannot become an error reply any more (the status is sent): the connection is cut, so the client sees a
 * truncated download rather than a file that looks complete.
 */
export async function streamReply(
  res: ServerResponse,
  status: number,
  headers: Readonly<Record<string, string>>,
  body: AsyncIterable<string>,
): Promise<void> {
  res.writeHead(status, headers);
  try {
    // Leaving the loop early (the client went away) ends the producer too.
    for await (const chunk of body) {
      if (res.destroyed) return;
      if (!res.write(chunk)) await drainedOrClosed(res);
    }
    res.end();
  } catch (error) {
    console.error("streamed reply failed halfway:", error);
    res.destroy();
  }
}

/** Until the client has read what is buffered, or has gone away (then no "drain" ever comes). */
async function drainedOrClosed(res: ServerResponse): Promise<void> {
  // The listener that did not fire is removed, or one would pile up per wait of a long download.
  const settled = new AbortController();
  try {
    await Promise.race([once(res, "drain", settled), once(res, "close", settled)]);
  } finally {
    settled.abort();
  }
}

export function apiRequestFromNode(req: IncomingMessage): ApiRequest {
  const url = req.url ?? "/";
  const query = url.indexOf("?");
  return {
    method: req.method ?? "GET",
    path: query === -1 ? url : url.slice(0, query),
    header: (name) => {
      const value = req.headers[name];
      return Array.isArray(value) ? value.join(", ") : value;
    },
    https: (req.socket as TLSSocket).encrypted === true,
    clientAddress: req.socket.remoteAddress ?? "unknown",
    body: (maxBytes) => readBody(req, maxBytes),
  };
}

function readBody(req: IncomingMessage, maxBytes: number): Promise<string> {
  if (Number(req.headers["content-length"] ?? "0") > maxBytes) return Promise.reject(bodyTooLarge(maxBytes));
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.byteLength;
      if (size > maxBytes) {
        req.off("data", onData);
        reject(bodyTooLarge(maxBytes));
        return;
      }
      chunks.push(chunk);
    };
    req.on("data", onData);
    req.once("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    req.once("error", reject);
    // A client that hangs up mid-body: no "end" will come (after "end" this rejects nothing).
    req.once("close", () => reject(new ApiError(400, "request body incomplete")));
  });
}
