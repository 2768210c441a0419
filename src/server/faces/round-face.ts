/**
 * Which pool face a round's real-face URL (/api/faces/<round id>/<slot>) stands for. Only the round's real
 * slot resolves, and only until a while after the round expires. The browser asks right after the round is
 * made, so the round usually comes from this process's memory of its unanswered rounds.
 */
import { eq } from "drizzle-orm";
import type { Db } from "../../../db/client.ts";
import { rounds } from "../../../db/schema.ts";
import type { RecentRounds } from "../rounds/recent-rounds.ts";
import { FACE_URL_GRACE_MS } from "../rounds/rules.ts";

export async function realFaceOfRound(
  { db, recent }: { readonly db: Db; readonly recent?: RecentRounds },
  roundId: string,
  slot: number,
  now = Date.now(),
): Promise<string | null> {
  const round = recent?.get(roundId) ?? (await readRound(db, roundId));
  if (round?.slots[slot] !== "real" || now > round.expiresAt + FACE_URL_GRACE_MS) return null;
  return round.realFaceId;
}

async function readRound(db: Db, roundId: string) {
  const [round] = await db
    .select({ slots: rounds.slots, realFaceId: rounds.realFaceId, expiresAt: rounds.expiresAt })
    .from(rounds)
    .where(eq(rounds.id, roundId));
  return round;
}
