// POST /api/rounds {"mode"?: "pair" | "single" | "timed"} → 201 a new round (see src/server/rounds/).

import { jsonResponse } from "../../../server/http/api-error.ts";
import { apiRoute } from "../../../server/http/api-route.ts";
import { readJsonBody } from "../../../server/http/json-body.ts";
import { enforce } from "../../../server/http/rate-limits.ts";
import { findOrCreatePlayer } from "../../../server/players/current-player.ts";
import { CreateRoundBody } from "../../../server/rounds/contract.ts";
import { createRound } from "../../../server/rounds/create-round.ts";
import { services } from "../../../server/services.ts";

export const POST = apiRoute(async (context) => {
  const body = await readJsonBody(context.request, CreateRoundBody, {});
  const s = await services();
  const playerId = await findOrCreatePlayer(s, context);
  enforce(s.limits.rounds, String(playerId));
  const round = await createRound(s, playerId, body.mode);
  return jsonResponse(round, 201);
});
