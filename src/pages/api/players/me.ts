// GET /api/players/me → the caller's profile; PUT {"nickname"} → set it (1–24 characters, trimmed).
import { jsonResponse } from "../../../server/http/api-error.ts";
import { apiRoute } from "../../../server/http/api-route.ts";
import { readJsonBody } from "../../../server/http/json-body.ts";
import { findOrCreatePlayer, findPlayer } from "../../../server/players/current-player.ts";
import { NicknameBody } from "../../../server/players/nickname.ts";
import { services } from "../../../server/services.ts";

export const GET = apiRoute(async (context) => {
  const s = await services();
  const playerId = await findPlayer(s, context);
  const profile = playerId === null ? null : await s.players.profile(playerId);
  return jsonResponse(profile ?? { nickname: null, judged: 0, correct: 0, exposureMs: null });
});

export const PUT = apiRoute(async (context) => {
  const { nickname } = await readJsonBody(context.request, NicknameBody);
  const s = await services();
  const playerId = await findOrCreatePlayer(s, context);
  await s.players.setNickname(playerId, nickname);
  return jsonResponse({ nickname });
});
