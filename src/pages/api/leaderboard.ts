// GET /api/leaderboard → 200 per-model statistics, lists and exclusions (src/server/stats/leaderboard.ts).
import { jsonResponse } from "../../server/http/api-error.ts";
import { apiRoute } from "../../server/http/api-route.ts";
import { services } from "../../server/services.ts";

export const GET = apiRoute(async () => {
  const s = await services();
  // Public and recomputed every few seconds at most: a short shared cache lifetime is honest.
  return jsonResponse(await s.leaderboard.get(), 200, { "Cache-Control": "public, max-age=5" });
});
