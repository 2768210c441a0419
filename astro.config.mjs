// @ts-check
import node from "@astrojs/node";
import preact from "@astrojs/preact";
import { defineConfig } from "astro/config";
import { tfjsWasmThreads } from "./src/tfjs-accel/browser-wasm-threads.ts";

/**
 * @astrojs/node, with our own server entry (src/server/entry.ts) in place of its standalone one: that entry
 * answers /api/* on Node's http objects and hands the rest to the adapter's handler.
 */
function nodeWithOwnEntry() {
  const integration = node({ mode: "standalone" });
  const configDone = integration.hooks["astro:config:done"];
  integration.hooks["astro:config:done"] = (params) =>
    configDone?.({
      ...params,
      setAdapter: (adapter) =>
        params.setAdapter({ ...adapter, serverEntrypoint: new URL("./src/server/entry.ts", import.meta.url) }),
    });
  return integration;
}

// Server-rendered so the API, the player cookie and the round logic live with the pages.
export default defineConfig({
  output: "server",
  adapter: nodeWithOwnEntry(),
  integrations: [preact()],
  server: { host: "127.0.0.1", port: Number(process.env.PORT ?? 4321) },
  // tfjs's threaded wasm backend must survive minification (see the plugin).
  vite: { plugins: [tfjsWasmThreads()] },
  security: {
    // src/middleware.ts refuses every cross-site write (Astro's check only covers form content types and
    // answers in plain text, outside the API's JSON error contract).
    checkOrigin: false,
    // Astro hashes the inline scripts and styles it emits and sends the policy as a header on every
    // server-rendered page. tfjs needs 'wasm-unsafe-eval' (wasm backend), blob: workers (its threaded wasm),
    // and data:/blob: images for generated faces; nothing is loaded from other origins.
    csp: {
      directives: [
        "default-src 'self'",
        "img-src 'self' data: blob:",
        "worker-src 'self' blob:",
        "connect-src 'self'",
        "font-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
      ],
      // blob:: the threaded wasm workers importScripts() the backend from a blob: URL, under this policy.
      scriptDirective: { resources: ["'self'", "'wasm-unsafe-eval'", "blob:"] },
      // Preact islands may render style="" attributes; element styles stay hash-checked.
      styleDirective: { resources: ["'self'", { resource: "'unsafe-inline'", kind: "attribute" }] },
    },
  },
});
