/**
 * GET /models/registry.json: the model registry (MODELS_DIR/manifest.json) as it is now.
 *
 * The build copies public/models/manifest.json into the static files, and static files are served before any
 * route, so /models/manifest.json shows the registry as it was at build time. The game warms up the generator
 * the server will actually use (src/server/models reads the live file), so it asks here.
 */
import { readFile } from "node:fs/promises";
import type { APIRoute } from "astro";
import { MODELS_DIR } from "../../../config/settings.ts";
import { manifestFile } from "../../model-manifest-file.ts";

export const prerender = false;

export const GET: APIRoute = async () => {
  try {
    // The file's own bytes: the registry tools wrote it validated and atomically, and the page validates nothing.
    const body = await readFile(manifestFile(MODELS_DIR));
    return new Response(new Uint8Array(body), {
      headers: { "Content-Type": "application/json; charset=utf-8", "Cache-Control": "no-cache" },
    });
  } catch {
    return new Response(JSON.stringify({ versions: [] }), {
      status: 404,
      headers: { "Content-Type": "application/json; charset=utf-8" },
    });
  }
};
