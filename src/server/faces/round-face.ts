/**
 * Which pool face a round's real-face URL (/api/faces/<round id>/<slot>) stands for. Only the round's real
 * slot resolves, and only until a while after the round expires.
 */
import { eq } from "drizzle-orm";
import type { Db } from "../../../db/client.ts";
import { rounds } from "../../../db/schema.ts";
import { FACE_URL_GRACE_MS } from "../rounds/rules.ts";

export async function realFaceOfRound(db: Db, roundId: string, slot: number, now = Date.now()): Promise<string | null> {
  const [round] = await db
    .select({ slots: rounds.slots, realFaceId: rounds.realFaceId, expiresAt: rounds.expiresAt })
    .from(rounds)
    .where(eq(rounds.id, roundId));
  if (round?.slots[slot] !== "real" || now > round.expiresAt + FACE_URL_GRACE_MS) return null;
  return round.realFaceId;
}
