/**
 * A TCP port nobody listens on right now, from the OS (bind to port 0, read it, let go). For the helpers that
 * start servers in tests and benchmarks (db's sqld, the built site): it imports nothing of the project, so
 * every layer may use it.
 */
import { createServer } from "node:net";

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() =>
        typeof address === "object" && address ? resolve(address.port) : reject(new Error("no port")),
      );
    });
  });
}
