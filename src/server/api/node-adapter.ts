/**
 * The API on Node's own http objects: what the production server (src/server/entry.ts) runs for every
 * /api/* request, with no fetch Request/Response in between.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import type { TLSSocket } from "node:tls";
import { ApiError } from "../http/api-error.ts";
import type { Services } from "../services.ts";
import { type ApiRequest, bodyTooLarge } from "./api-request.ts";
import { handleApi } from "./handle-api.ts";

export async function serveApi(
  req: IncomingMessage,
  res: ServerResponse,
  getServices?: () => Promise<Services>,
): Promise<void> {
  const reply = await handleApi(apiRequestFromNode(req), getServices);
  const body = typeof reply.body === "string" ? Buffer.from(reply.body) : reply.body;
  // A refused body may still be arriving: close the connection rather than read the rest.
  const close = reply.status === 413 ? { Connection: "close" } : {};
  res.writeHead(reply.status, { ...reply.headers, ...close, "Content-Length": String(body.byteLength) });
  res.end(body);
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
