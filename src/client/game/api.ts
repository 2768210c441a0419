/**
 * The game's side of the HTTP API (POST /api/rounds, POST /api/rounds/{id}/answer, PUT /api/players/me).
 * Answers are checked on the server: a round never says which face is fake until it has been answered.
 */
import { ApiError } from "../../core/api-error.ts";
import type { RoundMode } from "../../core/round-modes.ts";
import type { AnswerBody, AnswerView, CreateRoundBody, PlayerAnswer, RoundView } from "../../core/rounds-api.ts";

export function createRound(mode: RoundMode, signal?: AbortSignal): Promise<RoundView> {
  return request<RoundView>("POST", "/api/rounds", { mode } satisfies CreateRoundBody, signal);
}

export function answerRound(id: string, answer: PlayerAnswer, responseMs: number): Promise<AnswerView> {
  return request<AnswerView>("POST", `/api/rounds/${encodeURIComponent(id)}/answer`, {
    ...answer,
    responseMs: Math.round(responseMs),
  } satisfies AnswerBody);
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
