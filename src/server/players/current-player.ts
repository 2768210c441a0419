/**
 * The player behind a request: found by cookie, or (for requests that need one) created, which is rate
 * limited per network address so a script dropping its cookie cannot mint players without bound.
 */
import type { ApiRequest } from "../api/api-request.ts";
import { enforce } from "../http/rate-limits.ts";
import type { Services } from "../services.ts";
import { playerCookieHeader, readPlayerToken } from "./player-cookie.ts";

export function findPlayer(services: Services, request: ApiRequest): Promise<number | null> {
  return services.players.find(readPlayerToken(request.header("cookie")));
}

/** The caller's player id; `setCookie` is the header to send when the player was created just now. */
export async function findOrCreatePlayer(
  services: Services,
  request: ApiRequest,
): Promise<{ id: number; setCookie?: string }> {
  const existing = await findPlayer(services, request);
  if (existing !== null) return { id: existing };
  await enforce(services.limits.newPlayers, request.clientAddress);
  const { id, token } = await services.players.create();
  // Nobody has shown this player anything yet: no need to read their history on the first round.
  services.seen.newPlayer(id);
  return { id, setCookie: playerCookieHeader(token, request.https) };
}
