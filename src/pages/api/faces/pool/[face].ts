// GET /api/faces/pool/{pool id} → a real face by its opaque pool id (the leaderboard's "most doubted").

import { pngResponse } from "../../../../server/faces/png-response.ts";
import { ApiError } from "../../../../server/http/api-error.ts";
import { apiRoute } from "../../../../server/http/api-route.ts";
import { services } from "../../../../server/services.ts";

export const GET = apiRoute(async ({ params }) => {
  const s = await services();
  const png = await s.pool.png(params.face ?? "");
  if (!png) throw new ApiError(404, "no such face");
  return pngResponse(png);
});
