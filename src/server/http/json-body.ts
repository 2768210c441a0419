/**
 * Reading a JSON request body without trusting its size: the Content-Length is checked first and the
 * stream is counted as it arrives, so a chunked body cannot slip past the limit either.
 */
import type { z } from "zod";
import { ApiError } from "./api-error.ts";

/** Every API body is a handful of small fields; anything bigger is not a client of ours. */
export const MAX_BODY_BYTES = 1024;

/** The raw text of the body, or "" when there is none. */
export async function readBodyText(request: Request, maxBytes = MAX_BODY_BYTES): Promise<string> {
  const declared = Number(request.headers.get("content-length") ?? "0");
  if (declared > maxBytes) throw new ApiError(413, `request body over ${maxBytes} bytes`);
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
      throw new ApiError(413, `request body over ${maxBytes} bytes`);
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString("utf8");
}

/**
 * The body parsed and validated: 400 when it is not JSON, 422 when it is JSON of the wrong shape.
 * An empty body is read as `emptyAs` (undefined: not allowed).
 */
export async function readJsonBody<Schema extends z.ZodType>(
  request: Request,
  schema: Schema,
  emptyAs?: unknown,
): Promise<z.infer<Schema>> {
  const text = await readBodyText(request);
  let value: unknown;
  if (text.trim() === "" && emptyAs !== undefined) {
    value = emptyAs;
  } else {
    try {
      value = JSON.parse(text);
    } catch {
      throw new ApiError(400, "request body is not valid JSON");
    }
  }
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw new ApiError(422, describeIssues(parsed.error));
  return parsed.data;
}

function describeIssues(error: z.ZodError): string {
  return error.issues
    .slice(0, 3)
    .map((issue) => (issue.path.length > 0 ? `${issue.path.join(".")}: ${issue.message}` : issue.message))
    .join("; ");
}
