// Any other /api path: a JSON 404 rather than the HTML not-found page.
import { ApiError } from "../../server/http/api-error.ts";
import { apiRoute } from "../../server/http/api-route.ts";

export const ALL = apiRoute(async () => {
  throw new ApiError(404, "no such endpoint");
});
