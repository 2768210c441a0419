/** Where a shipped version's files are served from (MODELS_DIR/<version>/, public/models/ by default). */
export function modelFileUrl(version: string, file = "model.json"): string {
  return `/models/${encodeURIComponent(version)}/${encodeURIComponent(file)}`;
}
