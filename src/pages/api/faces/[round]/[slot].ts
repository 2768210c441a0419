// GET /api/faces/{round id}/{slot} → the PNG of that round's real face (opaque: names no pool face).

import { pngResponse } from "../../../../server/faces/png-response.ts";
import { realFaceOfRound } from "../../../../server/faces/round-face.ts";
import { ApiError } from "../../../../server/http/api-error.ts";
import { apiRoute } from "../../../../server/http/api-route.ts";
import { services } from "../../../../server/services.ts";

export const GET = apiRoute(async ({ params }) => {
  const slot = Number(params.slot);
  const roundId = params.round ?? "";
  if (!Number.isInteger(slot) || slot < 0 || !/^[A-Za-z0-9_-]{1,64}$/.test(roundId))
    throw new ApiError(404, "no such face");
  const s = await services();
  const faceId = await realFaceOfRound(s.database.db, roundId, slot);
  const png = faceId === null ? null : await s.pool.png(faceId);
  if (!png) throw new ApiError(404, "no such face");
  return pngResponse(png);
});
