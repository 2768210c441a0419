// POST /api/rounds/{id}/answer {"choice"} | {"verdict"} (+ "responseMs") → 200 the scored answer.
import { ApiError, jsonResponse } from "../../../../server/http/api-error.ts";
import { apiRoute } from "../../../../server/http/api-route.ts";
import { readJsonBody } from "../../../../server/http/json-body.ts";
import { enforce } from "../../../../server/http/rate-limits.ts";
import { findPlayer } from "../../../../server/players/current-player.ts";
import { answerRound } from "../../../../server/rounds/answer-round.ts";
import { AnswerBody } from "../../../../server/rounds/contract.ts";
import { services } from "../../../../server/services.ts";

const ROUND_ID = /^[A-Za-z0-9_-]{1,64}$/;

export const POST = apiRoute(async (context) => {
  const s = await services();
  const playerId = await findPlayer(s, context);
  // Cookie-less clients share a bucket per address: they cannot own a round, but they can still hammer.
  const client = playerId === null ? `address:${context.clientAddress}` : String(playerId);
  enforce(s.limits.answers, client);
  const body = await readJsonBody(context.request, AnswerBody);
  const roundId = context.params.id ?? "";
  if (!ROUND_ID.test(roundId)) throw new ApiError(404, "no such round");
  const answer = await answerRound(s.database.db, {
    roundId,
    playerId,
    body,
    rateLimited: s.limits.flagged(client),
  });
  return jsonResponse(answer);
});
