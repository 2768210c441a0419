/**
 * The API's map: every endpoint, its method and path, and the few lines that join HTTP to the domain
 * modules (rounds/, players/, faces/, stats/). The contract itself is in docs/server.md.
 */

import { ApiError } from "../../core/api-error.ts";
import { AnswerBody, CreateRoundBody } from "../../core/rounds-api.ts";
import { judgmentsCsv } from "../export/judgments-csv.ts";
import { pngReply } from "../faces/png-reply.ts";
import { realFaceOfRound } from "../faces/round-face.ts";
import { readJsonBody } from "../http/json-body.ts";
import { enforce } from "../http/rate-limits.ts";
import { findOrCreatePlayer, findPlayer } from "../players/current-player.ts";
import { NicknameBody } from "../players/nickname.ts";
import { answerRound } from "../rounds/answer-round.ts";
import { createRound } from "../rounds/create-round.ts";
import type { Services } from "../services.ts";
import { type ApiReply, type ApiRequest, jsonReply, jsonTextReply } from "./api-request.ts";

export interface Route {
  readonly method: "GET" | "POST" | "PUT";
  /** Matched against the whole path; named groups become the handler's params. */
  readonly path: RegExp;
  readonly handle: (request: ApiRequest, params: Readonly<Record<string, string>>, s: Services) => Promise<ApiReply>;
}

/** Round ids and pool face ids are URL-safe tokens; anything else cannot name one. */
const ID = "[A-Za-z0-9_-]{1,64}";

/** The Set-Cookie header for a player created by this request, if one was. */
const cookieHeaders = (player: { setCookie?: string }): Record<string, string> =>
  player.setCookie ? { "Set-Cookie": player.setCookie } : {};

export const ROUTES: readonly Route[] = [
  {
    // {"mode"?: "pair" | "single" | "timed"} → 201 a new round, decided entirely by the server.
    method: "POST",
    path: /^\/api\/rounds$/,
    async handle(request, _params, s) {
      const body = await readJsonBody(request, CreateRoundBody, {});
      const player = await findOrCreatePlayer(s, request);
      await enforce(s.limits.rounds, String(player.id));
      const round = await createRound(s, player.id, body.mode);
      return jsonReply(round, 201, cookieHeaders(player));
    },
  },
  {
    // {"choice"} | {"verdict"} (+ "responseMs") → 200 the scored answer (rounds/answer-round.ts).
    method: "POST",
    path: new RegExp(`^/api/rounds/(?<id>${ID})/answer$`),
    async handle(request, { id }, s) {
      const playerId = await findPlayer(s, request);
      // Cookie-less clients share a bucket per address: they cannot own a round, but they can still hammer.
      const client = playerId === null ? `address:${request.clientAddress}` : String(playerId);
      const now = Date.now();
      // A round this process made for this player and still open took a rounds token when it was made, and
      // is answered once: its claim takes no token of its own (one database statement less per round).
      // Every other answer (another server's round, a repeat, an unknown or expired id) takes one.
      if (!s.recent.answerable(id as string, playerId, now)) await enforce(s.limits.answers, client, now);
      const body = await readJsonBody(request, AnswerBody);
      const answer = await answerRound(s, {
        roundId: id as string,
        playerId,
        body,
        rateLimited: s.limits.answerFlag(client, now),
        now,
      });
      return jsonReply(answer);
    },
  },
  {
    // Per-model statistics, lists and exclusions (stats/leaderboard.ts), recomputed every few seconds at most.
    method: "GET",
    path: /^\/api\/leaderboard$/,
    async handle(_request, _params, s) {
      // Public, and the same for everyone: a short shared cache lifetime is honest.
      return jsonTextReply(await s.leaderboard.json(), 200, { "Cache-Control": "public, max-age=5" });
    },
  },
  {
    // Every counted judgment as CSV, players by pseudonym (export/): open data, columns in docs/server.md.
    method: "GET",
    path: /^\/api\/judgments\.csv$/,
    async handle(request, _params, s) {
      await enforce(s.limits.exports, `address:${request.clientAddress}`);
      const key = await s.exportKey();
      const headers = {
        "Content-Type": "text/csv; charset=utf-8",
        "Content-Disposition": 'attachment; filename="spot-the-fake-judgments.csv"',
        "Cache-Control": "no-store",
      };
      return { status: 200, headers, body: judgmentsCsv(s.db, key) };
    },
  },
  {
    method: "GET",
    path: /^\/api\/players\/me$/,
    async handle(request, _params, s) {
      const playerId = await findPlayer(s, request);
      const profile = playerId === null ? null : await s.players.profile(playerId);
      return jsonReply(profile ?? { nickname: null, judged: 0, correct: 0, exposureMs: null });
    },
  },
  {
    // {"nickname"}: 1–24 characters, trimmed (players/nickname.ts).
    method: "PUT",
    path: /^\/api\/players\/me$/,
    async handle(request, _params, s) {
      const { nickname } = await readJsonBody(request, NicknameBody);
      const player = await findOrCreatePlayer(s, request);
      await s.players.setNickname(player.id, nickname);
      return jsonReply({ nickname }, 200, cookieHeaders(player));
    },
  },
  {
    // A real face by its opaque pool id (the leaderboard's "most doubted").
    method: "GET",
    path: new RegExp(`^/api/faces/pool/(?<face>${ID})$`),
    async handle(_request, { face }, s) {
      const png = await s.pool.png(face as string);
      if (!png) throw new ApiError(404, "no such face");
      return pngReply(png);
    },
  },
  {
    // The real face shown in a round's slot (opaque: the URL names no pool face).
    method: "GET",
    path: new RegExp(`^/api/faces/(?<round>${ID})/(?<slot>[0-9]{1,3})$`),
    async handle(_request, { round, slot }, s) {
      const faceId = await realFaceOfRound(s, round as string, Number(slot));
      const png = faceId === null ? null : await s.pool.png(faceId);
      if (!png) throw new ApiError(404, "no such face");
      return pngReply(png);
    },
  },
];
