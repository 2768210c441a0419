// GET /api/leaderboard → 200 per-model statistics, lists and exclusions (src/server/stats/leaderboard.ts).
import { apiRoute } from "../../server/http/api-route.ts";
import { services } from "../../server/services.ts";

export const GET = apiRoute(async () => {
  const s = await services();
  return new Response(await s.leaderboard.json(), {
    // Public and recomputed every few seconds at most: a short shared cache lifetime is honest.
    headers: { "Content-Type": "application/json; charset=utf-8", "Cache-Control": "public, max-age=5" },
  });
});
