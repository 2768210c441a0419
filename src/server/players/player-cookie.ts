/**
 * The player cookie: a random 256-bit secret, HttpOnly (scripts cannot read it) and SameSite=Strict (no
 * other site's page can make the browser send it). The database keeps only its SHA-256.
 */
import { createHash, randomBytes } from "node:crypto";
import { parseCookie, stringifySetCookie } from "cookie";

export const PLAYER_COOKIE = "stf_player";
const ONE_YEAR_S = 365 * 24 * 3600;
const TOKEN_PATTERN = /^[A-Za-z0-9_-]{43}$/;

export function newPlayerToken(): string {
  return randomBytes(32).toString("base64url");
}

export function hashToken(token: string): string {
  return createHash("sha256").update(token).digest("hex");
}

/** The token in a Cookie header if it has the right shape (anything else is ignored, never looked up). */
export function readPlayerToken(cookieHeader: string | undefined): string | null {
  if (!cookieHeader?.includes(PLAYER_COOKIE)) return null;
  const value = parseCookie(cookieHeader)[PLAYER_COOKIE];
  return value !== undefined && TOKEN_PATTERN.test(value) ? value : null;
}

/** The Set-Cookie header value that hands a new player their token. */
export function playerCookieHeader(token: string, https: boolean): string {
  return stringifySetCookie({
    name: PLAYER_COOKIE,
    value: token,
    httpOnly: true,
    sameSite: "strict",
    secure: https,
    path: "/",
    maxAge: ONE_YEAR_S,
  });
}
