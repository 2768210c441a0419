/**
 * Serving a version's files (model.json, weight shards, sample grid, loss curve, metadata) straight from the
 * models folder. Versions present at build time are also static files, served before this; a version
 * deployed since then exists only on disk, and this is how a running site serves it without a rebuild.
 */
import { readFile, stat } from "node:fs/promises";
import path from "node:path";
import { VERSION_PATTERN } from "../core/model-manifest.ts";

const TYPES: Record<string, string> = {
  ".json": "application/json",
  ".bin": "application/octet-stream",
  ".png": "image/png",
  ".svg": "image/svg+xml",
};

/** Plain names only: no folders, no dot-files (temporary files of writers in progress), no traversal. */
const FILE_PATTERN = /^[A-Za-z0-9_-][A-Za-z0-9._-]{0,127}$/;

export async function versionFile(modelsDir: string, version: string, file: string): Promise<Response> {
  const type = TYPES[path.extname(file)];
  if (!VERSION_PATTERN.test(version) || !FILE_PATTERN.test(file) || !type) return notFound();
  const location = path.join(modelsDir, version, file);
  try {
    if (!(await stat(location)).isFile()) return notFound();
    const body = await readFile(location);
    // JSON changes when a version is re-evaluated; the binary files only when it is re-exported.
    const maxAge = type === "application/json" ? 60 : 3600;
    const headers = { "content-type": type, "cache-control": `public, max-age=${maxAge}` };
    return new Response(new Uint8Array(body), { status: 200, headers });
  } catch {
    return notFound();
  }
}

function notFound(): Response {
  return new Response("not found", { status: 404, headers: { "content-type": "text/plain" } });
}
