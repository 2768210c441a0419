// Imported before @astrojs/node/server.js, which starts its own server on load unless told not to: the
// production server (../entry.ts) listens itself and hands Astro only what is not API.
process.env.ASTRO_NODE_AUTOSTART = "disabled";
