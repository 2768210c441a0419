/**
 * The game's side of the HTTP API (POST /api/rounds, POST /api/rounds/{id}/answer, PUT /api/players/me).
 * Answers are checked on the server: a round never says which face is fake until it has been answered.
 */
import { ApiError } from "../../core/api-error.ts";

export const MODES = ["pair", "single", "timed"] as const;
export type Mode = (typeof MODES)[number];

export type RoundFace =
  | { slot: number; source: "real"; url: string }
  | { slot: number; source: "generated"; model: string; seed: number; truncation: number | null };

export interface Round {
  id: string;
  mode: Mode;
  faces: RoundFace[];
  expiresAt: string;
  /** Timed rounds: how long the face stays on screen before the mask. */
  exposureMs?: number;
}

export type Answer = { choice: number } | { verdict: "real" | "fake" };

export interface AnswerResult {
  correct: boolean;
  fakeSlots: number[];
}

export function createRound(mode: Mode, signal?: AbortSignal): Promise<Round> {
  return request<Round>("POST", "/api/rounds", { mode }, signal);
}

export function answerRound(id: string, answer: Answer, responseMs: number): Promise<AnswerResult> {
  return request<AnswerResult>("POST", `/api/rounds/${encodeURIComponent(id)}/answer`, {
    ...answer,
    responseMs: Math.round(responseMs),
  });
}

export function setNickname(nickname: string): Promise<unknown> {
  return request("PUT", "/api/players/me", { nickname });
}

/** The player's nickname so far (null before they chose one, or before their first round). */
export async function currentNickname(): Promise<string | null> {
  const response = await fetch("/api/players/me", {
    credentials: "same-origin",
    headers: { accept: "application/json" },
  });
  if (!response.ok) return null;
  const { nickname } = (await response.json()) as { nickname?: string | null };
  return nickname ?? null;
}

async function request<T>(method: string, url: string, body: unknown, signal?: AbortSignal): Promise<T> {
  const response = await fetch(url, {
    method,
    signal,
    credentials: "same-origin",
    headers: { "content-type": "application/json", accept: "application/json" },
    body: JSON.stringify(body),
  });
  const payload = (await response.json().catch(() => ({}))) as { error?: string };
  if (!response.ok) throw new ApiError(response.status, payload.error ?? `HTTP ${response.status}`);
  return payload as T;
}
