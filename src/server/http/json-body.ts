/**
 * Reading a JSON request body without trusting it: at most MAX_BODY_BYTES (each adapter checks the
 * Content-Length first and counts the stream as it arrives, so a chunked body cannot slip past either),
 * then parsed and validated.
 */
import type { z } from "zod";
import { ApiError } from "../../core/api-error.ts";
import type { ApiRequest } from "../api/api-request.ts";

/** Every API body is a handful of small fields; anything bigger is not a client of ours. */
export const MAX_BODY_BYTES = 1024;

/**
 * The body parsed and validated: 400 when it is not JSON, 422 when it is JSON of the wrong shape.
 * An empty body is read as `emptyAs` (undefined: not allowed).
 */
export async function readJsonBody<Schema extends z.ZodType>(
  request: Pick<ApiRequest, "body">,
  schema: Schema,
  emptyAs?: unknown,
): Promise<z.infer<Schema>> {
  const text = await request.body(MAX_BODY_BYTES);
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
