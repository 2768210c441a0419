/**
 * The player behind a request: found by cookie, or (for requests that need one) created, which is rate
 * limited per network address so a script dropping its cookie cannot mint players without bound.
 */
import type { APIContext } from "astro";
import { enforce } from "../http/rate-limits.ts";
import type { Services } from "../services.ts";
import { readPlayerToken, writePlayerToken } from "./player-cookie.ts";

export async function findPlayer(services: Services, context: APIContext): Promise<number | null> {
  return services.players.find(readPlayerToken(context.cookies));
}

export async function findOrCreatePlayer(services: Services, context: APIContext): Promise<number> {
  const existing = await findPlayer(services, context);
  if (existing !== null) return existing;
  enforce(services.limits.newPlayers, context.clientAddress);
  const { id, token } = await services.players.create();
  writePlayerToken(context.cookies, token, context.url.protocol === "https:");
  return id;
}
