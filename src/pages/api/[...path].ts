// Every /api/* request that reaches Astro (under `astro dev`; the production server answers them itself
// first, see src/server/entry.ts): the same router, through the fetch adapter.
import type { APIRoute } from "astro";
import { handleApi } from "../../server/api/handle-api.ts";
import { apiRequestFromWeb, webResponse } from "../../server/api/web-adapter.ts";

export const ALL: APIRoute = async ({ request, url, clientAddress }) =>
  webResponse(await handleApi(apiRequestFromWeb(request, url, clientAddress)));
