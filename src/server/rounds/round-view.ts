/**
 * A stored round as the client sees it. Real faces are named by a URL made of the round's own random id
 * and the slot, so the URL says nothing about which pool face it is, and the same face has a different URL
 * in every round.
 */
import type { SlotSource } from "../../../db/schema.ts";
import type { RoundFace, RoundView } from "../../core/rounds-api.ts";

export interface StoredRound {
  readonly id: string;
  readonly mode: RoundView["mode"];
  readonly modelVersion: string;
  readonly seed: number | null;
  readonly truncation: number | null;
  readonly slots: readonly SlotSource[];
  readonly exposureMs: number | null;
  readonly expiresAt: number;
}

export function faceUrl(roundId: string, slot: number): string {
  return `/api/faces/${roundId}/${slot}`;
}

export function roundView(round: StoredRound): RoundView {
  const faces = round.slots.map((source, slot): RoundFace => {
    if (source === "real") return { slot, source: "real", url: faceUrl(round.id, slot) };
    return {
      slot,
      source: "generated",
      model: round.modelVersion,
      seed: round.seed ?? 0,
      truncation: round.truncation,
    };
  });
  const view: RoundView = { id: round.id, mode: round.mode, faces, expiresAt: new Date(round.expiresAt).toISOString() };
  return round.exposureMs === null ? view : { ...view, exposureMs: round.exposureMs };
}

export function slotsOf(slots: readonly SlotSource[], source: SlotSource): number[] {
  return slots.flatMap((value, slot) => (value === source ? [slot] : []));
}
