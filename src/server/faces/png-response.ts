/**
 * Face images. Every face, whatever it is, gets the same headers: no ETag or Last-Modified (they would
 * let a client recognise a face it has seen before across rounds), the same private cache lifetime.
 */
export function pngResponse(bytes: Buffer): Response {
  return new Response(new Uint8Array(bytes), {
    status: 200,
    headers: {
      "Content-Type": "image/png",
      "Content-Length": String(bytes.byteLength),
      "Cache-Control": "private, max-age=3600",
    },
  });
}
