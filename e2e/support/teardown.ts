/** Removes the run's temporary database and quiz pool. */
import { rmSync } from "node:fs";

export default function teardown(): void {
  const dir = process.env.E2E_DIR;
  if (dir?.includes("spot-the-fake-e2e-")) rmSync(dir, { recursive: true, force: true });
}
