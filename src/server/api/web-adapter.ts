/**
 * The API behind Astro's own router (`astro dev`, and anything else that hands us a fetch Request): the
 * production server answers /api/* itself (node-adapter.ts) before Astro sees it.
 */
import { type ApiReply, type ApiRequest, bodyTooLarge } from "./api-request.ts";

export function apiRequestFromWeb(request: Request, url: URL, clientAddress: string): ApiRequest {
  return {
    method: request.method,
    path: url.pathname,
    // The host the browser used, which is what Origin is compared with.
    header: (name) => (name === "host" ? url.host : (request.headers.get(name) ?? undefined)),
    https: url.protocol === "https:",
    clientAddress,
    body: (maxBytes) => readBodyText(request, maxBytes),
  };
}

export function webResponse(reply: ApiReply): Response {
  const { body } = reply;
  const content =
    typeof body === "string" ? body : body instanceof Uint8Array ? new Uint8Array(body) : textStream(body);
  return new Response(content, { status: reply.status, headers: reply.headers });
}

/** Text produced as it is read: the next chunk is made only when the reader asks for it. */
function textStream(chunks: AsyncIterable<string>): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  const iterator = chunks[Symbol.asyncIterator]();
  return new ReadableStream({
    async pull(controller) {
      const { done, value } = await iterator.next();
      if (done) controller.close();
      else controller.enqueue(encoder.encode(value));
    },
    async cancel() {
      await iterator.return?.();
    },
  });
}

async function readBodyText(request: Request, maxBytes: number): Promise<string> {
  if (Number(request.headers.get("content-length") ?? "0") > maxBytes) throw bodyTooLarge(maxBytes);
  if (!request.body) return "";
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      await reader.cancel();
      throw bodyTooLarge(maxBytes);
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString("utf8");
}
