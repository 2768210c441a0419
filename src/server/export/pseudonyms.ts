/**
 * The open-data export names players by pseudonym: an HMAC of the player's id under a key kept in the
 * database (`secrets`), so the same player has the same pseudonym in every export and on every app server
 * (anyone can bootstrap over players from the file), yet nobody without the key can link a pseudonym to a
 * player id, and nothing links it to the cookie (whose token the database keeps only as a hash).
 */
import { createHmac, randomBytes } from "node:crypto";
import { eq, sql } from "drizzle-orm";
import type { Db } from "../../../db/client.ts";
import { secrets } from "../../../db/schema.ts";

const KEY_NAME = "pseudonym";

/** The key, created on first use; whichever server creates it first wins, the others read that one. */
export async function pseudonymKey(db: Db): Promise<string> {
  await db.run(
    sql`INSERT INTO secrets (name, value) VALUES (${KEY_NAME}, ${randomBytes(32).toString("base64url")})
      ON CONFLICT (name) DO NOTHING`,
  );
  const [row] = await db.select({ value: secrets.value }).from(secrets).where(eq(secrets.name, KEY_NAME));
  if (!row) throw new Error("the pseudonym key could not be created");
  return row.value;
}

/** 72 bits: collisions among even millions of players are negligible, and the column stays short. */
export function pseudonym(key: string, playerId: number): string {
  return `p${createHmac("sha256", key).update(String(playerId)).digest("base64url").slice(0, 12)}`;
}
