/**
 * The player cookie: a random 256-bit secret, HttpOnly (scripts cannot read it) and SameSite=Strict (no
 * other site's page can make the browser send it). The database keeps only its SHA-256.
 */
import { createHash, randomBytes } from "node:crypto";
import type { AstroCookies } from "astro";

export const PLAYER_COOKIE = "stf_player";
const ONE_YEAR_S = 365 * 24 * 3600;
const TOKEN_PATTERN = /^[A-Za-z0-9_-]{43}$/;

export function newPlayerToken(): string {
  return randomBytes(32).toString("base64url");
}

export function hashToken(token: string): string {
  return createHash("sha256").update(token).digest("hex");
}

/** The cookie's token if it has the right shape (anything else is ignored, never looked up). */
export function readPlayerToken(cookies: AstroCookies): string | null {
  const value = cookies.get(PLAYER_COOKIE)?.value;
  return value !== undefined && TOKEN_PATTERN.test(value) ? value : null;
}

export function writePlayerToken(cookies: AstroCookies, token: string, https: boolean): void {
  cookies.set(PLAYER_COOKIE, token, {
    httpOnly: true,
    sameSite: "strict",
    secure: https,
    path: "/",
    maxAge: ONE_YEAR_S,
  });
}
