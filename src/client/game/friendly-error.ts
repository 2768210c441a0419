/** What the player reads when something fails: the cause in plain words and what to do, never a stack trace. */
import { ApiError } from "../../core/api-error.ts";

export function friendlyError(error: unknown): string {
  if (error instanceof ApiError) {
    if (error.status === 429)
      return "Whoa, that was fast! Too many rounds in a short time — wait a few seconds and try again.";
    if (error.status === 503)
      return "The game is taking a break: no face generator is published right now. Try again later.";
    if (error.status === 410) return "That round expired before it was answered. Start a new game to play on.";
    return error.message;
  }
  if (error instanceof TypeError) return "The connection to the game dropped. Check your network and try again.";
  return error instanceof Error ? error.message : String(error);
}
