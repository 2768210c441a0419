/** A model version's files, read from the models folder at request time (see src/model-cards/version-files.ts). */
import type { APIRoute } from "astro";
import { MODELS_DIR } from "../../../../config/settings.ts";
import { versionFile } from "../../../model-cards/version-files.ts";

export const GET: APIRoute = ({ params }) => versionFile(MODELS_DIR, params.version ?? "", params.file ?? "");
