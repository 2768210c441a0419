/**
 * Face images. Every face, whatever it is, gets the same headers: no ETag or Last-Modified (they would
 * let a client recognise a face it has seen before across rounds), the same private cache lifetime.
 */
import type { ApiReply } from "../api/api-request.ts";

export function pngReply(bytes: Uint8Array): ApiReply {
  return {
    status: 200,
    headers: { "Content-Type": "image/png", "Cache-Control": "private, max-age=3600" },
    body: bytes,
  };
}
