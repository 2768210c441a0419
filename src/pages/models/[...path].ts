/**
 * GET /models/... from MODELS_DIR at run time.
 *
 * The server picks each round's generator from MODELS_DIR's manifest as it is now (src/server/models), while
 * the build only copied public/models as it was then. Files the build copied are served statically before
 * this route is reached; a version deployed after the build, or a MODELS_DIR outside public/, is served from
 * here, so every model a round names can be fetched without a rebuild.
 */
import { readFile } from "node:fs/promises";
import path from "node:path";
import type { APIRoute } from "astro";
import { VERSION_PATTERN } from "../../core/model-manifest.ts";
import { MODELS_DIR } from "../../core/settings.ts";

export const prerender = false;

const FILE_PATTERN = /^[A-Za-z0-9][\w.-]{0,127}$/;
const CONTENT_TYPES: Record<string, string> = {
  ".json": "application/json; charset=utf-8",
  ".bin": "application/octet-stream",
  ".png": "image/png",
  ".svg": "image/svg+xml",
};

export const GET: APIRoute = async ({ params }) => {
  const file = resolveModelFile(params.path ?? "");
  const type = file ? CONTENT_TYPES[path.extname(file)] : undefined;
  if (!file || !type) return new Response("Not found", { status: 404 });
  try {
    const body = await readFile(file);
    // The registry changes with every deploy; a version's files never change once it is published.
    const cache = path.basename(file) === "manifest.json" ? "no-cache" : "public, max-age=86400";
    return new Response(body, { headers: { "Content-Type": type, "Cache-Control": cache } });
  } catch {
    return new Response("Not found", { status: 404 });
  }
};

/** `manifest.json` or `<version>/<file>`, nothing else: no other folder of the disk is reachable. */
function resolveModelFile(requested: string): string | null {
  const parts = requested.split("/");
  if (parts.length === 1 && parts[0] === "manifest.json") return path.join(MODELS_DIR, "manifest.json");
  const [version, name] = parts;
  if (parts.length !== 2 || !version || !name) return null;
  if (!VERSION_PATTERN.test(version) || !FILE_PATTERN.test(name)) return null;
  return path.join(MODELS_DIR, version, name);
}
