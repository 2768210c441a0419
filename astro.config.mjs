// @ts-check
import node from "@astrojs/node";
import preact from "@astrojs/preact";
import { defineConfig } from "astro/config";

// Server-rendered so the API, the player cookie and the round logic live with the pages.
export default defineConfig({
  output: "server",
  adapter: node({ mode: "standalone" }),
  integrations: [preact()],
  server: { host: "127.0.0.1", port: Number(process.env.PORT ?? 4321) },
  security: { checkOrigin: true },
});
