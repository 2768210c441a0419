/**
 * Nicknames: 1–24 characters after trimming, counted as the user sees them (code points, NFC). Control
 * and bidirectional-override characters are refused (they can make a name render as something else).
 * Anything else is allowed and is always rendered escaped, never as HTML.
 */
import { z } from "zod";

export const NICKNAME_MAX = 24;
// biome-ignore lint/suspicious/noControlCharactersInRegex: refusing control characters is the point.
const FORBIDDEN = /[\u0000-\u001f\u007f-\u009f\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]/u;

export const Nickname = z
  .string()
  .transform((value) => value.normalize("NFC").trim())
  .refine((value) => value.length > 0, "nickname must not be empty")
  .refine((value) => [...value].length <= NICKNAME_MAX, `nickname must be at most ${NICKNAME_MAX} characters`)
  .refine((value) => !FORBIDDEN.test(value), "nickname contains control or direction characters");

export const NicknameBody = z.strictObject({ nickname: Nickname });
